from django.utils.functional import SimpleLazyObject

from chibo import access
from chibo import notifications as inbox


def roles(request):
    """The kinds of role the user holds, for the navigation (not for access:
    views decide through chibo.access)."""
    return {"role_kinds": access.role_kinds(getattr(request, "user", None))}


def notifications(request):
    """The bell's unread count, read only by a page that shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: inbox.unread_count(user))}
