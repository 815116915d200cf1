from chibo import access


def roles(request):
    """The kinds of role the user holds, for the navigation (not for access:
    views decide through chibo.access)."""
    return {"role_kinds": access.role_kinds(getattr(request, "user", None))}
