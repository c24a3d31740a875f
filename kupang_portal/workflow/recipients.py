"""Who hears about a case: the staff of an office by role, the complaint desk, office heads and
the city supervisors. Every staff notice asks this module.

The rule, decided once: a staff recipient is an *active* user with ``is_staff`` (they can open
the admin link the notice carries) and, for an office, an *active* membership in it. A member
whose staff flag was removed, or whose membership ended, hears nothing.
"""

from django.contrib.auth import get_user_model

from kupang_portal.accounts.roles import GROUP_NAMES, Role


def _staff():
    return get_user_model().objects.filter(is_active=True, is_staff=True)


def office_staff(office, roles=None):
    """Staff with an active membership in ``office`` (an Office or its id), any role or ``roles``."""
    office_id = getattr(office, "pk", office)
    if office_id is None:
        return []
    members = _staff().filter(office_memberships__office_id=office_id, office_memberships__is_active=True)
    if roles:
        members = members.filter(office_memberships__role__in=list(roles))
    return list(members.distinct().order_by("pk"))


def office_clerks(office):
    """Who works an office's cases: its clerks, or its heads when it has no clerk."""
    return office_staff(office, [Role.CLERK]) or office_heads(office)


def office_heads(office):
    return office_staff(office, [Role.OFFICE_HEAD])


def desk():
    """The complaint desk: users with the Verifikator role."""
    return list(_staff().filter(groups__name=GROUP_NAMES[Role.VERIFIER]).distinct().order_by("pk"))


def supervisors():
    """The city supervisors (Pimpinan)."""
    return list(_staff().filter(groups__name=GROUP_NAMES[Role.SUPERVISOR]).distinct().order_by("pk"))


class Cached:
    """The same lookups, remembered for one job run (reminders over thousands of cases)."""

    def __init__(self):
        self._memo = {}

    def _get(self, key, load):
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    def office_clerks(self, office_id):
        return self._get(("clerks", office_id), lambda: office_clerks(office_id))

    def office_heads(self, office_id):
        return self._get(("heads", office_id), lambda: office_heads(office_id))

    def supervisors(self):
        return self._get(("supervisors",), supervisors)
