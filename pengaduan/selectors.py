"""Reads for complaints: who sees what (staff scope, reporter, the public), timelines and the
public tracking lookup. Public answers never carry personal data; confidential complaints show
no content to the public at all."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kupang_portal.accounts.roles import Role
from kupang_portal.core.tracking import TrackingResult
from kupang_portal.workflow import engine, scoping
from kupang_portal.workflow.models import CaseEvent

from . import app_settings
from .models import Complaint, Status

# Content (description, responses) is public only after the desk verified the report, never for
# confidential or rejected ones.
PUBLIC_CONTENT_STATES = (Status.DISPOSED, Status.IN_PROGRESS, Status.RESPONDED, Status.CLOSED)


def staff_queryset(queryset, user):
    """Complaints a staff member may see: their offices' (clerks), plus every complaint waiting
    for verification (the desk, i.e. users with the Verifikator role); city-wide roles see all."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return queryset.none()
    if user.is_superuser or user.has_role(Role.SUPERVISOR):
        return scoping.visible_to_staff(queryset, user)
    if user.has_role(Role.VERIFIER):
        return queryset.filter(Q(office_id__in=user.office_ids()) | Q(status=Status.SUBMITTED))
    return scoping.visible_to_staff(queryset, user)


def staff_can_see(user, complaint):
    return staff_queryset(Complaint.objects.filter(pk=complaint.pk), user).exists()


def may_see_reporter(user, complaint):
    """Named complaints: staff see the name. A confidential complaint's reporter is known only to
    the desk (Verifikator) and the handling office (its clerks and head), nobody else, city-wide
    roles and the IT admin included; anonymous complaints have no reporter at all."""
    if complaint.reporter_id is None:
        return False
    if not complaint.is_confidential:
        return True
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.has_role(Role.VERIFIER) or (complaint.office_id is not None and complaint.office_id in user.office_ids())


def my_complaints(user):
    return Complaint.objects.filter(reporter=user).select_related("category", "office", "proposed_office", "kelurahan").order_by("-created_at")


def public_content_visible(complaint):
    return not complaint.is_confidential and complaint.status in PUBLIC_CONTENT_STATES


def timeline(complaint, with_notes=False):
    rows = []
    for event in CaseEvent.objects.for_case(complaint).public():
        rows.append({
            "time": event.created_at,
            "label": event.transition_label,
            "actor": event.actor_label,
            "status": Status(event.to_state).label if event.to_state in Status.values else event.to_state,
            "note": event.note if with_notes else "",
            "to_office": str(event.to_office) if event.to_office_id and event.from_office_id != event.to_office_id else "",
        })
    return rows


def find_by_number(number):
    return Complaint.objects.select_related("category", "office", "proposed_office", "kelurahan__kecamatan").filter(
        number=(number or "").strip().upper()).first()


def tracking_lookup(number, code):
    """/lacak/ for complaints: status, category, office, timeline; the response text only with the
    matching secret code or for a public (non-confidential, verified) complaint."""
    if not number.startswith(f"{app_settings.number_prefix()}-"):
        return None
    complaint = find_by_number(number)
    if complaint is None:
        return None
    code_ok = bool(code) and complaint.check_tracking_code(_normalize(code))
    office = complaint.routed_office
    extra = {_("Jenis laporan"): complaint.get_kind_display()}
    if complaint.is_confidential:
        extra[_("Kerahasiaan")] = _("Rahasia: isi laporan tidak ditampilkan kepada publik")
    if complaint.status == Status.RESPONDED and complaint.deadline:
        extra[_("Selesai otomatis bila tidak ada balasan pada")] = date_format(timezone.localtime(complaint.deadline), "j F Y")
    response = complaint.latest_response
    if response is not None and (code_ok or public_content_visible(complaint)):
        extra[_("Tanggapan %(office)s") % {"office": response.office.short_name}] = response.text
        if response.rating:
            extra[_("Penilaian pelapor")] = f"{response.rating}/5"
    detail_url = ""
    if code_ok:
        from django.urls import reverse

        detail_url = reverse("pengaduan:anonymous", args=[complaint.number])
    elif complaint.reporter_id:
        from django.urls import reverse

        detail_url = reverse("pengaduan:detail", args=[complaint.number])
    return TrackingResult(
        number=complaint.number,
        kind=_("Pengaduan"),
        title=complaint.category.name,
        status=complaint.get_status_display(),
        office=office.name if office else "",
        deadline=complaint.deadline if complaint.status in (Status.SUBMITTED, Status.DISPOSED, Status.IN_PROGRESS) else None,
        timeline=timeline(complaint, with_notes=False),
        detail_url=detail_url,
        owner_id=None if code_ok else complaint.reporter_id,
        extra=extra,
    )


def _normalize(code):
    from .services import normalize_code

    return normalize_code(code)
