"""Version stamps that the dashboards' caches are keyed on, and who replaces them.

A cached dashboard value (a user's scope, the exception lists, the period figures, a rendered
part of a page) is stored under a key that contains the stamps of everything it was computed
from. A change replaces the stamp *after its commit*, so a request that read the data before the
commit can only store its result under the old stamp, which nobody reads any more; an evicted
stamp starts a new random one, so a stale value can never come back. The stamps:

- ``data``: the rollups (DailyRollup, StaffDaily, FillRun). Replaced when a fill writes a day and
  when a fill run finishes (``services.fill_day`` / ``fill_range``).
- ``cases:all`` and ``cases:<office id>``: the open cases. Replaced on every recorded change of a
  case: the workflow engine writes a ``CaseEvent`` in the same transaction as every create,
  transition and assignment (``engine.record_event``), and its ``post_save`` replaces the stamps of
  the office the case left and the one it is in now, and ``cases:all`` every time.
- ``cases:epoch``: everything the exception lists are computed with besides the cases: holidays,
  services' and categories' standard times, office, service and category names. Replaced when one
  of those is saved or deleted, and by ``generate_cases`` (it writes cases with COPY).
- ``user:<id>``: what ``selectors.scope_for`` reads: the user row, their groups and office
  memberships. Replaced when one of those changes.

All stamps a request needs are read with one ``get_many`` (one Redis round trip). While Redis is
unreachable every read gives new stamps (nothing cached is reused); when it is back, the stamps a
process replaced meanwhile are deleted there first (``core.cache``).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from kupang_portal.core import cache

DATA = "dashboards:data-version"
CASES_ALL = "dashboards:cases:all"
EPOCH = "dashboards:cases:epoch"


def office_key(office_id):
    return f"dashboards:cases:{office_id}"


def user_key(user_id):
    return f"dashboards:user:{user_id}"


STAMP_SECONDS = cache.STAMP_SECONDS


def read(keys, plain=()):
    """{key: stamp} for ``keys`` (``core.cache.read_stamps``: a missing stamp is started, the
    shared cache's generation is appended, and nothing repeats while Redis is down)."""
    return cache.read_stamps(keys, plain)


def bump(*keys):
    """Replace the stamps ``keys`` now (callers inside a transaction use ``bump_on_commit``)."""
    cache.renew_stamps(*keys)


def bump_on_commit(*keys):
    """``bump`` after the commit; the calls of one transaction are one write (``core.cache``)."""
    cache.replace_stamps_on_commit(keys, STAMP_SECONDS)


def case_keys(scope):
    """The stamps of the open cases a scope sees (plus the epoch)."""
    if scope.office_ids is None:
        return [EPOCH, CASES_ALL]
    return [EPOCH] + [office_key(office_id) for office_id in sorted(scope.office_ids)]


def cases_changed(*office_ids):
    """A case changed in these offices (None = no office yet): after the commit, replace their stamps."""
    bump_on_commit(CASES_ALL, *(office_key(o) for o in sorted({o for o in office_ids if o is not None})))


# --- receivers ------------------------------------------------------------------------------------

def _case_event(sender, instance, created, **kwargs):
    if created:
        cases_changed(instance.from_office_id, instance.to_office_id)


def _epoch_changed(sender, **kwargs):
    bump_on_commit(EPOCH)


def _user_saved(sender, instance, **kwargs):
    bump_on_commit(user_key(instance.pk))


def _membership_changed(sender, instance, **kwargs):
    bump_on_commit(user_key(instance.user_id))


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:  # user.groups.add(...)
        bump_on_commit(user_key(instance.pk))
    elif action == "pre_clear":  # group.user_set.clear(): pk_set is None, read the members first
        bump_on_commit(*(user_key(pk) for pk in instance.user_set.values_list("pk", flat=True)))
    elif pk_set:  # group.user_set.add(...)/remove(...)
        bump_on_commit(*(user_key(pk) for pk in pk_set))


def _group_members(sender, instance, **kwargs):
    bump_on_commit(*(user_key(pk) for pk in instance.user_set.values_list("pk", flat=True)))


def connect():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kupang_portal.accounts.models import OfficeMembership
    from kupang_portal.organization.models import Holiday, Office
    from kupang_portal.workflow.models import CaseEvent
    from layanan.models import Service
    from pengaduan.models import Category

    User = get_user_model()
    post_save.connect(_case_event, sender=CaseEvent, dispatch_uid="dashboards-case-event")
    for model in (Holiday, Office, Service, Category):
        post_save.connect(_epoch_changed, sender=model, dispatch_uid=f"dashboards-epoch-save-{model.__name__}")
        post_delete.connect(_epoch_changed, sender=model, dispatch_uid=f"dashboards-epoch-delete-{model.__name__}")
    post_save.connect(_user_saved, sender=User, dispatch_uid="dashboards-user-save")
    post_delete.connect(_user_saved, sender=User, dispatch_uid="dashboards-user-delete")
    post_save.connect(_membership_changed, sender=OfficeMembership, dispatch_uid="dashboards-membership-save")
    post_delete.connect(_membership_changed, sender=OfficeMembership, dispatch_uid="dashboards-membership-delete")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="dashboards-user-groups")
    pre_delete.connect(_group_members, sender=Group, dispatch_uid="dashboards-group-delete")
    post_save.connect(_group_members, sender=Group, dispatch_uid="dashboards-group-save")  # roles go by group name
