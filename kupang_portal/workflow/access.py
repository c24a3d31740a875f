"""Record and read staff access to a case's personal data (``CaseAccess``)."""

import ipaddress

from django.contrib.contenttypes.models import ContentType

from kupang_portal.core import ratelimit

from .models import CaseAccess


def _ip(request):
    raw = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def acting_office_id(user, case):
    """The office the staff member acted for: the case's office when they belong to it, else
    their first office (desk, another office), else none (city-wide roles)."""
    from .engine import _memberships

    memberships = _memberships(user)
    if any(office_id == case.office_id for office_id, _role in memberships):
        return case.office_id
    return memberships[0][0] if memberships else None


def record(request, case, action=CaseAccess.Action.VIEW):
    """One INSERT: who, when, which case, from where."""
    return CaseAccess.objects.create(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk,
        case_number=getattr(case, "number", "") or str(case.pk), user=request.user,
        office_id=acting_office_id(request.user, case), action=action, ip_address=_ip(request),
    )


def for_case(case):
    return CaseAccess.objects.filter(content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk)


def may_read_log(user, case):
    """The head of the case's office, and the city IT admins."""
    from kupang_portal.accounts.roles import Role

    from .engine import _memberships

    if user.is_superuser or user.has_role(Role.ADMIN):
        return True
    return any(office_id == case.office_id and role == Role.OFFICE_HEAD for office_id, role in _memberships(user))


def log_for_viewer(user, case, limit=50):
    """The case's access record for the case page, or None when ``user`` may not read it."""
    if not may_read_log(user, case):
        return None
    return list(for_case(case).select_related("user", "office")[:limit])


def offices_for_resident(case):
    """What the resident sees: which offices opened their case and when last (no names)."""
    from django.db.models import Max
    from django.utils.translation import gettext as _

    rows = for_case(case).values("office__name").annotate(last=Max("created_at")).order_by("-last")
    return [{"office": row["office__name"] or _("Pemerintah Kota Kupang (pimpinan/admin)"), "last": row["last"]} for row in rows]
