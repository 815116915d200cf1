from chibo.access import grants_for


def roles(request):
    """The kinds of role the user holds, for the navigation (not for access:
    views decide through chibo.access)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_kinds": set()}
    grants = grants_for(user)
    kinds = set(grants.paths)
    if grants.is_superuser:
        kinds.add("admin")
    return {"role_kinds": kinds}
