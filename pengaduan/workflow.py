"""The complaint workflow (SP4N-LAPOR!) on the shared engine.

submitted --route (system, keeps state)--> submitted
submitted --dispose (verifier)--> disposed --start (office)--> in_progress
disposed/in_progress --respond (office)--> responded --close (reporter/desk)--> closed
responded --autoclose (system, 10 working days after the response)--> closed
responded --reopen (reporter, reason)--> in_progress
submitted --reject (verifier, reason)--> rejected
disposed/in_progress --hand_on ("bukan wewenang", reason)--> same state at another office,
                                                              or submitted at the desk

An anonymous reporter has no account: services verify their secret code and act as an
``engine.CodeVerifiedOwner`` (the engine's owner kind, shown as "Pelapor" in the history).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.roles import GROUP_NAMES, Role
from kupang_portal.notifications.services import notify
from kupang_portal.organization.models import Office
from kupang_portal.workflow import sla
from kupang_portal.workflow.engine import Actor, Transition, Workflow

from . import app_settings
from .forms import DisposeForm, HandOnForm, RejectForm, RespondForm
from .models import Complaint, ComplaintResponse, Status

OWNER, CLERK, VERIFIER, SYSTEM = Actor.OWNER, Actor.CLERK, Actor.VERIFIER, Actor.SYSTEM


def follow_up_days(case):
    by_kind = app_settings.kind_follow_up_days()
    return by_kind.get(case.kind) or case.category.follow_up_days


def desk():
    return Office.objects.get(code=app_settings.desk_office_code())


# --- guards ------------------------------------------------------------------------------------

def _route_guard(case, actor, ctx):
    if ctx.get("office") is None:
        return gettext("Rute tidak menghasilkan OPD.")
    return None


def _dispose_guard(case, actor, ctx):
    office = ctx.get("office")
    if office is None or not office.is_active:
        return gettext("Pilih OPD tujuan yang aktif.")
    return None


def _respond_guard(case, actor, ctx):
    if not (ctx.get("text") or "").strip():
        return gettext("Teks tanggapan wajib diisi.")
    return None


def _autoclose_guard(case, actor, ctx):
    if case.deadline is None or case.deadline > ctx.now:
        return gettext("Belum 10 hari kerja sejak tanggapan.")
    return None


def _hand_on_guard(case, actor, ctx):
    office = ctx.get("office")
    if office is None or not office.is_active:
        return gettext("Pilih OPD tujuan yang aktif.")
    if office.pk == case.office_id:
        return gettext("Pengaduan sudah berada di OPD tersebut.")
    return None


def _reopen_guard(case, actor, ctx):
    if case.reopen_count >= app_settings.get("MAX_REOPEN", 3):
        return gettext("Pengaduan ini sudah terlalu sering dibuka kembali; hubungi meja pengaduan.")
    return None


# --- effects -----------------------------------------------------------------------------------

def _route_effect(case, actor, ctx):
    case.proposed_office = ctx.get("office")
    case.routed_at = ctx.now
    case.follow_up_days = follow_up_days(case)
    # The desk's verification clock runs from the submission, whenever the worker got to it.
    sla.start_clock(case, app_settings.verify_days(), case.created_at or ctx.now)


def _dispose_effect(case, actor, ctx):
    case.office = ctx.get("office")
    if ctx.get("kind"):
        case.kind = ctx.get("kind")
    # The desk may make a report confidential (e.g. it names third parties), never the reverse.
    case.is_confidential = case.is_confidential or bool(ctx.get("is_confidential"))
    case.follow_up_days = follow_up_days(case)
    case.disposed_at = ctx.now
    case.assignee = None
    sla.start_clock(case, case.follow_up_days, ctx.now)


def _respond_effect(case, actor, ctx):
    case.responded_at = ctx.now
    # The reporter has 10 working days to reply; then the complaint closes by itself.
    sla.start_clock(case, app_settings.close_after_days(), ctx.now)


def _close_effect(case, actor, ctx):
    case.closed_at = ctx.now
    case.deadline = None
    sla.stop_clock(case, ctx.now)


def _reopen_effect(case, actor, ctx):
    case.reopen_count += 1
    case.closed_at = None
    sla.start_clock(case, case.follow_up_days, ctx.now)


def _reject_effect(case, actor, ctx):
    case.reject_reason = ctx.get("reason") or ""
    _close_effect(case, actor, ctx)


def _hand_on_effect(case, actor, ctx):
    target = ctx.get("office")
    case.assignee = None
    if target.code == app_settings.desk_office_code():
        case.status = Status.SUBMITTED
        case.office = target
        case.proposed_office = None
        sla.start_clock(case, app_settings.verify_days(), ctx.now)
    else:
        case.office = target
        sla.start_clock(case, case.follow_up_days, ctx.now)


# --- notifications (the workflow hook) -----------------------------------------------------------

def office_staff(office):
    User = get_user_model()
    return list(User.objects.filter(is_active=True, office_memberships__office=office, office_memberships__is_active=True).distinct())


def verifiers():
    User = get_user_model()
    return list(User.objects.filter(is_active=True, is_staff=True, groups__name=GROUP_NAMES[Role.VERIFIER]).distinct())


def _when(value):
    return date_format(timezone.localtime(value), "j F Y") if value else "-"


def reporter_link(case):
    return reverse("pengaduan:detail", args=[case.number])


def staff_link(case):
    return reverse("admin:pengaduan_complaint_change", args=[case.pk])


def _queue_notice(case, office, recipients):
    notify("case_new_in_queue", recipients, {"office": str(office), "title": str(case.category), "deadline": _when(case.deadline)},
           link=staff_link(case), case_number=case.number, dedupe_key=f"pengaduan:queue:{case.pk}:{case.version}")


def on_transition(case, transition, event, actor, ctx):
    reporter = [case.reporter] if case.reporter_id else []
    name = transition.name
    if name == "route":
        _queue_notice(case, case.office, verifiers() or office_staff(case.office))
        notify("complaint_received", reporter, {"deadline": _when(case.deadline)}, link=reporter_link(case),
               case_number=case.number, dedupe_key=f"pengaduan:received:{case.pk}")
    elif name == "dispose":
        notify("complaint_disposed", reporter, {"office": str(case.office), "deadline": _when(case.deadline)},
               link=reporter_link(case), case_number=case.number)
        _queue_notice(case, case.office, office_staff(case.office))
    elif name == "respond":
        ComplaintResponse.objects.create(complaint=case, office=case.office, text=ctx.get("text").strip())
        notify("complaint_responded", reporter, {"office": str(case.office)}, link=reporter_link(case), case_number=case.number)
    elif name == "reject":
        notify("complaint_rejected", reporter, {"reason": ctx.note}, link=reporter_link(case), case_number=case.number)
    elif name in ("close", "autoclose"):
        notify("complaint_closed", reporter, {}, link=reporter_link(case), case_number=case.number)
    elif name == "reopen":
        notify("complaint_reopened", office_staff(case.office), {"reason": ctx.note}, link=staff_link(case), case_number=case.number)
    elif name == "hand_on":
        if case.status == Status.SUBMITTED:
            _queue_notice(case, case.office, verifiers() or office_staff(case.office))
        else:
            _queue_notice(case, case.office, office_staff(case.office))


WORKFLOW = Workflow(
    "pengaduan",
    Status,
    [
        Transition("route", (Status.SUBMITTED,), Status.SUBMITTED, _("Rute otomatis: usulan OPD"), frozenset({SYSTEM}),
                   public=False, keeps_state=True, guard=_route_guard, effect=_route_effect),
        Transition("dispose", (Status.SUBMITTED,), Status.DISPOSED, _("Verifikasi dan teruskan (disposisi)"), frozenset({VERIFIER}),
                   form_class=DisposeForm, guard=_dispose_guard, effect=_dispose_effect, style="success"),
        Transition("start", (Status.DISPOSED,), Status.IN_PROGRESS, _("Terima dan mulai tindak lanjut"), frozenset({CLERK})),
        Transition("respond", (Status.DISPOSED, Status.IN_PROGRESS), Status.RESPONDED, _("Kirim tanggapan (tindak lanjut)"),
                   frozenset({CLERK}), form_class=RespondForm, guard=_respond_guard, effect=_respond_effect, style="success"),
        Transition("hand_on", (Status.DISPOSED, Status.IN_PROGRESS), Status.DISPOSED, _("Bukan wewenang: serahkan"),
                   frozenset({CLERK, VERIFIER}), requires_note=True, form_class=HandOnForm, guard=_hand_on_guard,
                   effect=_hand_on_effect, keeps_state=True, style="warning"),
        Transition("reject", (Status.SUBMITTED,), Status.REJECTED, _("Tolak laporan"), frozenset({VERIFIER}), requires_note=True,
                   form_class=RejectForm, effect=_reject_effect, style="danger"),
        Transition("close", (Status.RESPONDED,), Status.CLOSED, _("Tutup pengaduan (selesai)"), frozenset({OWNER, VERIFIER}),
                   effect=_close_effect, style="secondary"),
        Transition("autoclose", (Status.RESPONDED,), Status.CLOSED, _("Ditutup otomatis: 10 hari kerja tanpa balasan"),
                   frozenset({SYSTEM}), guard=_autoclose_guard, effect=_close_effect),
        Transition("reopen", (Status.RESPONDED,), Status.IN_PROGRESS, _("Dibuka kembali oleh pelapor"), frozenset({OWNER}),
                   requires_note=True, guard=_reopen_guard, effect=_reopen_effect, style="warning"),
    ],
    on_transition=on_transition,
)

Complaint.workflow = WORKFLOW
