"""The unread in-app count every page's navigation shows, cached per user.

The count is stored under a per-user *stamp* that every change of the user's in-app rows replaces
after its commit: a row written (``services._write``: ``post_save``; ``services._write_many``: its
one raw INSERT, then ``changed``), read (``services.mark_read``), edited in the admin or deleted
(``post_save`` / ``post_delete``). A request that counted before the commit can only store its
count under the old stamp, which nobody reads any more; an evicted stamp starts a new random one.
Values under stamped keys never change meaning, so each web process keeps them in memory too
(``core.memo``): a page then costs one shared-cache read (the stamp) instead of a COUNT query, and
none when the page read the stamp already with its own keys (``request.unread_stamp``, see
``dashboards.fragments``). ``COUNT_SECONDS`` bounds a count if rows are ever written another way.
"""

import secrets

from django.db.models.signals import post_delete, post_save

from kupang_portal.core import cache, memo

COUNT_SECONDS = 300
STAMP_SECONDS = 30 * 24 * 3600


def stamp_key(user_id):
    return f"notifications:unread-stamp:{user_id}"


def stamp(user_id, known=None):
    """The user's current stamp (``known``: the value the caller read already, if any)."""
    if known:
        return known
    found = cache.call("get_many", [stamp_key(user_id), cache.GENERATION_KEY])
    if cache.is_down():  # a fallback copy misses the other processes' changes: count again
        return secrets.token_hex(8)
    missing = {key: secrets.token_hex(8) for key in (stamp_key(user_id), cache.GENERATION_KEY) if key not in found}
    if missing:
        cache.call("set_many", missing, STAMP_SECONDS)
        found.update(missing)
    return cache.stamp(found, stamp_key(user_id))


def count(user, known_stamp=None):
    """The number of unread in-app notifications of ``user``."""
    from .models import Notification

    key = f"notifications:unread-count:{user.pk}:{stamp(user.pk, known_stamp)}"
    value = memo.get(key)
    if value is None:
        value = Notification.objects.unread_count(user)
        memo.set(key, value, COUNT_SECONDS)
    return value


def changed(*user_ids):
    """The in-app rows of these users changed: replace their stamps after the commit."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if ids:  # with the transaction's other stamps, in one write after the commit (core.cache)
        cache.replace_stamps_on_commit([stamp_key(pk) for pk in ids], STAMP_SECONDS)


def _row_changed(sender, instance, **kwargs):
    from .models import Channel

    if instance.channel == Channel.INAPP:
        changed(instance.recipient_id)


def connect():
    from .models import Notification

    post_save.connect(_row_changed, sender=Notification, dispatch_uid="notifications-unread-save")
    post_delete.connect(_row_changed, sender=Notification, dispatch_uid="notifications-unread-delete")
