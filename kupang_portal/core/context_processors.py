def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from kupang_portal.notifications import unread as unread_cache

        unread = unread_cache.count(user, getattr(request, "unread_stamp", None))
    context = {"unread_notifications": unread}
    if user is not None and user.is_authenticated and user.is_staff and request.path.startswith("/admin/") \
            and user.has_perm("organization.add_holiday"):
        from kupang_portal.organization import calendar

        # The admin banner: holidays of the current or (from 1 October) the coming year missing.
        context["calendar_missing_years"] = calendar.missing_years()
    return context
