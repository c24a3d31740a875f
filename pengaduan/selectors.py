"""Reads for complaints: who sees what (staff scope, reporter, the public), timelines and the
public tracking lookup. Public answers never carry personal data; confidential complaints show
no content to the public at all."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kupang_portal.accounts.roles import Role
from kupang_portal.core.tracking import TrackingResult
from kupang_portal.workflow import timeline as case_timeline

from . import app_settings, services
from .models import Complaint, Status

# Content (description, responses) is public only after the desk verified the report, never for
# confidential or rejected ones.
PUBLIC_CONTENT_STATES = (Status.DISPOSED, Status.IN_PROGRESS, Status.RESPONDED, Status.CLOSED)


def staff_queryset(queryset, user):
    """Complaints a staff member may see (``ComplaintQuerySet.visible_to``)."""
    return queryset.visible_to(user)


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
    """The resident's named complaints, newest first: the order of ``complaint_reporter_created_idx``
    (reporter, created_at DESC), so a page reads its 20 index entries (EXPLAIN: docs/performance.md);
    ``-id`` only breaks ties of the same microsecond for a stable pagination."""
    return (Complaint.objects.filter(reporter=user).select_related("category", "office", "proposed_office", "kelurahan")
            .order_by("-created_at", "-id"))


def public_content_visible(complaint):
    return not complaint.is_confidential and complaint.status in PUBLIC_CONTENT_STATES


def timeline(complaint, with_notes=False, *, to_owner=None):
    """Past-tense sentences naming the office ("Pengaduan dialihkan dari ... ke ..."); "Anda" for
    the reporter's own actions when they read it (``to_owner``, by default with the notes)."""
    to_owner = with_notes if to_owner is None else to_owner
    return case_timeline.build(complaint, to_owner=to_owner, with_notes=with_notes, status_labels=dict(Status.choices))


def deadline_label(complaint):
    """What the complaint's deadline means now: after a response it is the day the complaint
    closes by itself unless the reporter replies (issue 11, point 12)."""
    if complaint.status == Status.RESPONDED:
        return _("Ditutup otomatis bila tidak ada balasan pada")
    return _("Tenggat tahap ini")


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
    if complaint.is_open and complaint.deadline:  # the stage's deadline, named as on the reporter's page
        extra[deadline_label(complaint)] = date_format(timezone.localtime(complaint.deadline), "j F Y")
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
        timeline=timeline(complaint, with_notes=False),
        detail_url=detail_url,
        owner_id=None if code_ok else complaint.reporter_id,
        extra=extra,
    )


def _normalize(code):
    return services.normalize_code(code)
