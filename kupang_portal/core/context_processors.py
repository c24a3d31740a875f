def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from kupang_portal.notifications.models import Notification

        unread = Notification.objects.unread_count(user)
    return {"unread_notifications": unread}
