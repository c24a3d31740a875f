"""The complaint workflow (SP4N-LAPOR!) on the shared engine.

(new) --submit (reporter, web or Open311)--> submitted
submitted --route (system, keeps state)--> submitted
submitted --dispose (verifier)--> disposed --start (office)--> in_progress
disposed/in_progress --respond (office)--> responded --close (reporter/desk)--> closed
responded --autoclose (system, 10 working days after the response)--> closed
responded --reopen (reporter, reason)--> in_progress
submitted --reject (verifier, reason)--> rejected
disposed/in_progress --hand_on ("bukan wewenang", reason)--> same state at another office
disposed/in_progress --return_to_desk (reason)--> submitted at the desk

Effects make every domain write (photos, routing proposal, response rows, clocks); the hook
``on_transition`` only writes outbox rows. The reporter hears of every change of office.
An anonymous reporter has no account: services verify their secret code and act as an
``engine.CodeVerifiedOwner`` (the engine's owner kind, shown as "Pelapor" in the history).
Attached to ``Complaint`` in ``PengaduanConfig.ready()``.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kupang_portal.notifications.services import notify
from kupang_portal.workflow import notices, numbering, recipients, routing, sla
from kupang_portal.workflow.engine import Actor, Transition, Workflow

from . import app_settings, deadlines, tasks
from .forms import DisposeForm, HandOnForm, RejectForm, RespondForm
from .models import ComplaintPhoto, ComplaintResponse, Status
from .routing import desk_office

OWNER, CLERK, VERIFIER, SYSTEM = Actor.OWNER, Actor.CLERK, Actor.VERIFIER, Actor.SYSTEM


def follow_up_days(case):
    by_kind = app_settings.kind_follow_up_days()
    return by_kind.get(case.kind) or case.category.follow_up_days


def desk():
    return desk_office()


def at_the_desk(case):
    return case.office_id is not None and case.office.code == app_settings.desk_office_code()


def away_from_the_desk(case):
    return not at_the_desk(case)


# --- guards ------------------------------------------------------------------------------------

def _route_guard(case, actor, ctx):
    if ctx.get("office") is None:
        return gettext("Rute tidak menghasilkan OPD.")
    return None


def _active_office_guard(case, actor, ctx):
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
    problem = _active_office_guard(case, actor, ctx)
    if problem:
        return problem
    office = ctx.get("office")
    if office.pk == case.office_id:
        return gettext("Pengaduan sudah berada di OPD tersebut.")
    if office.code == app_settings.desk_office_code():
        return gettext("Untuk mengembalikan ke meja pengaduan, gunakan “Kembalikan ke meja pengaduan”.")
    return None


def may_reopen(case):
    return case.reopen_count < app_settings.get("MAX_REOPEN", 3)


def _reopen_guard(case, actor, ctx):
    if not may_reopen(case):
        return gettext("Pengaduan ini sudah terlalu sering dibuka kembali; hubungi meja pengaduan.")
    return None


# --- effects -----------------------------------------------------------------------------------

def _submit_effect(case, actor, ctx):
    """A new complaint: number, the desk's verification clock, photos, routing after commit."""
    case.number = numbering.next_number(app_settings.number_prefix(), now=ctx.now)
    case.office = desk_office()
    case.follow_up_days = case.category.follow_up_days
    sla.start_clock(case, app_settings.verify_days(), ctx.now)
    photos = ctx.get("photos") or ()
    if photos:
        ctx.after_save.append(lambda: _store_photos(case, photos, ctx))
    ctx.on_commit.append(lambda: routing.enqueue(tasks.route_complaint, case.pk))  # pk: known after the save


def _store_photos(case, photos, ctx):
    """Photos already re-encoded without EXIF: (content_type, file); removed again on failure."""
    for content_type, clean in photos:
        photo = ComplaintPhoto(complaint=case, content_type=content_type, size=clean.size)
        photo.file.save(clean.name, clean, save=False)
        ctx.on_rollback.append(lambda storage=photo.file.storage, name=photo.file.name: storage.delete(name))
        photo.save()


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
    deadlines.on_handed_to_office(case, ctx.now)  # first follow-up within 5 working days (SP4N-LAPOR!)


def _respond_effect(case, actor, ctx):
    case.responded_at = ctx.now
    ComplaintResponse.objects.create(complaint=case, office=case.office, text=ctx.get("text").strip())
    # The reporter has 10 working days to reply; then the complaint closes by itself.
    sla.start_clock(case, app_settings.close_after_days(), ctx.now)


def _close_effect(case, actor, ctx):
    case.closed_at = ctx.now
    case.deadline = None
    sla.stop_clock(case, ctx.now)


def _closed_after_response_effect(case, actor, ctx):
    """Close, and open the SKM survey for the complaint handling (layanan/skm, complaint unsur only)."""
    from layanan.skm.services import invite_for_complaint

    _close_effect(case, actor, ctx)
    invite_for_complaint(case)


def _reopen_effect(case, actor, ctx):
    case.reopen_count += 1
    case.closed_at = None
    sla.start_clock(case, case.follow_up_days, ctx.now)


def _reject_effect(case, actor, ctx):
    case.reject_reason = ctx.get("reason") or ""
    _close_effect(case, actor, ctx)


def _hand_on_effect(case, actor, ctx):
    """Another office takes over in the same state; its follow-up clock starts now."""
    case.office = ctx.get("office")
    case.assignee = None
    deadlines.on_handed_to_office(case, ctx.now)  # first follow-up within 5 working days (SP4N-LAPOR!)


def _return_to_desk_effect(case, actor, ctx):
    """Back to the desk for a new disposition (status: submitted, set by the transition)."""
    case.office = desk_office()
    case.proposed_office = None
    case.assignee = None
    sla.start_clock(case, app_settings.verify_days(), ctx.now)


# --- notifications (outbox rows only) ------------------------------------------------------------

def _when(value):
    return date_format(timezone.localtime(value), "j F Y") if value else "-"


def reporter_link(case):
    return reverse("pengaduan:detail", args=[case.number])


def desk_recipients(case):
    return recipients.desk() or recipients.office_staff(case.office)


def on_transition(case, transition, event, actor, ctx):
    reporter = [case.reporter] if case.reporter_id else []
    name = transition.name
    link = reporter_link(case)

    def tell_reporter(code, context=None, **kwargs):
        notify(code, reporter, context or {}, link=link, case_number=case.number, **kwargs)

    if name == "route":
        notices.new_in_queue(case, desk_recipients(case), title=case.category, event=event)
        tell_reporter("complaint_received", {"deadline": _when(case.deadline)}, dedupe_key=f"pengaduan:received:{case.pk}")
    elif name == "dispose":
        tell_reporter("complaint_disposed", {"office": str(case.office), "deadline": _when(case.deadline)})
        notices.new_in_queue(case, recipients.office_staff(case.office), title=case.category, event=event)
    elif name == "respond":
        tell_reporter("complaint_responded", {"office": str(case.office)})
    elif name == "reject":
        tell_reporter("complaint_rejected", {"reason": ctx.note})
    elif name in ("close", "autoclose"):
        tell_reporter("complaint_closed")
    elif name == "reopen":
        notify("complaint_reopened", recipients.office_staff(case.office), {"reason": ctx.note},
               link=notices.admin_link(case), case_number=case.number)
    elif name in ("hand_on", "return_to_desk"):
        staff = desk_recipients(case) if name == "return_to_desk" else recipients.office_staff(case.office)
        notices.new_in_queue(case, staff, title=case.category, event=event)
        tell_reporter("complaint_office_changed", {"office": case.office.name, "deadline": _when(case.deadline)})


WORKFLOW = Workflow(
    "pengaduan",
    Status,
    [
        Transition("submit", (), Status.SUBMITTED, _("Pengaduan disampaikan"), frozenset({OWNER, SYSTEM}),
                   effect=_submit_effect, story=_("Pengaduan disampaikan."),
                   story_owner=_("Anda menyampaikan pengaduan.")),
        Transition("route", (Status.SUBMITTED,), Status.SUBMITTED, _("Rute otomatis: usulan OPD"), frozenset({SYSTEM}),
                   public=False, keeps_state=True, guard=_route_guard, effect=_route_effect),
        Transition("dispose", (Status.SUBMITTED,), Status.DISPOSED, _("Verifikasi dan teruskan (disposisi)"), frozenset({VERIFIER}),
                   form_class=DisposeForm, guard=_active_office_guard, effect=_dispose_effect, style="success",
                   story=_("Pengaduan diverifikasi dan diteruskan ke %(office)s untuk ditindaklanjuti.")),
        Transition("start", (Status.DISPOSED,), Status.IN_PROGRESS, _("Terima dan mulai tindak lanjut"), frozenset({CLERK}),
                   effect=lambda case, actor, ctx: deadlines.on_first_follow_up(case, ctx.now),
                   story=_("%(actor_office)s mulai menindaklanjuti pengaduan.")),
        Transition("respond", (Status.DISPOSED, Status.IN_PROGRESS), Status.RESPONDED, _("Kirim tanggapan (tindak lanjut)"),
                   frozenset({CLERK}), form_class=RespondForm, guard=_respond_guard, effect=_respond_effect, style="success",
                   story=_("%(actor_office)s mengirim tanggapan.")),
        Transition("hand_on", (Status.DISPOSED, Status.IN_PROGRESS), Status.DISPOSED, _("Bukan wewenang: serahkan ke OPD lain"),
                   frozenset({CLERK, VERIFIER}), requires_note=True, form_class=HandOnForm, guard=_hand_on_guard,
                   effect=_hand_on_effect, keeps_state=True, style="warning",
                   story=_("Pengaduan dialihkan dari %(from_office)s ke %(office)s (bukan wewenang %(from_office)s).")),
        Transition("return_to_desk", (Status.DISPOSED, Status.IN_PROGRESS), Status.SUBMITTED,
                   _("Bukan wewenang: kembalikan ke meja pengaduan"), frozenset({CLERK, VERIFIER}), requires_note=True,
                   applies=away_from_the_desk, effect=_return_to_desk_effect, style="warning",
                   story=_("Pengaduan dikembalikan oleh %(from_office)s ke meja pengaduan (%(office)s) untuk disposisi ulang.")),
        Transition("reject", (Status.SUBMITTED,), Status.REJECTED, _("Tolak laporan"), frozenset({VERIFIER}), requires_note=True,
                   form_class=RejectForm, effect=_reject_effect, style="danger",
                   story=_("Laporan tidak dapat ditindaklanjuti; ditolak oleh meja pengaduan.")),
        Transition("close", (Status.RESPONDED,), Status.CLOSED, _("Tutup pengaduan (selesai)"), frozenset({OWNER, VERIFIER}),
                   effect=_closed_after_response_effect, style="secondary",
                   story=_("Pengaduan ditutup."), story_owner=_("Anda menutup pengaduan.")),
        Transition("autoclose", (Status.RESPONDED,), Status.CLOSED, _("Ditutup otomatis: 10 hari kerja tanpa balasan"),
                   frozenset({SYSTEM}), guard=_autoclose_guard, effect=_closed_after_response_effect,
                   story=_("Pengaduan ditutup otomatis: 10 hari kerja tanpa balasan setelah tanggapan.")),
        Transition("reopen", (Status.RESPONDED,), Status.IN_PROGRESS, _("Dibuka kembali oleh pelapor"), frozenset({OWNER}),
                   requires_note=True, guard=_reopen_guard, applies=may_reopen, effect=_reopen_effect, style="warning",
                   story=_("Pengaduan dibuka kembali oleh pelapor dan dikembalikan ke %(office)s."),
                   story_owner=_("Anda membuka kembali pengaduan; dikembalikan ke %(office)s.")),
    ],
    on_transition=on_transition,
)
