"""The application workflow: states, who may move an application where, and what that changes.

(new) -start-> draft -> submitted -> verified -> in_process -> completed | rejected
submitted -> in_process in one step ("verify_and_process") for services handled by one office
submitted/verified -> needs_revision -> submitted (the SLA clock pauses while waiting for the resident)
draft/submitted/needs_revision -> withdrawn (by the resident, before processing)
in_process: finish_step (only while the service's chain has a next office) hands the case on;
the Celery task ``layanan.tasks.route_application`` then performs ``route`` as SYSTEM.
complete only at the last step of the chain.

Effects make the domain writes (number, clock, issued document, SKM survey); ``on_transition``
writes outbox rows only. Attached to ``Application`` in ``LayananConfig.ready()``.
"""

import uuid

from django.utils.translation import gettext_lazy as _

from kupang_portal.core import uploads
from kupang_portal.notifications.services import notify, one_insert
from kupang_portal.workflow import notices, numbering, recipients, routing, sla
from kupang_portal.workflow.engine import Actor, Transition, Workflow

from . import services, tasks
from .catalogue import completion_instructions
from .constants import ApplicationStatus as S
from .constants import DocumentKind
from .forms import CompleteForm
from .models import ApplicationDocument

OWNER = frozenset({Actor.OWNER})
CLERK = frozenset({Actor.CLERK})
SYSTEM = frozenset({Actor.SYSTEM})


# --- conditions without input (what the clerk is offered) ----------------------------------------

def has_next_step(case):
    return services.next_step(case) is not None


def at_last_step(case):
    return services.next_step(case) is None


def single_office(case):
    """A service handled by one office from intake to result (no chain of offices)."""
    return len({step.office_id for step in case.service.chain()}) <= 1


# --- guards and effects --------------------------------------------------------------------------

def _documents_guard(case, actor, ctx):
    problems = services.missing_requirements(case)
    if problems:
        return _("Dokumen wajib belum lengkap: %(names)s.") % {"names": ", ".join(r.name for r in problems)}
    return None


def _submit_effect(case, actor, ctx):
    case.current_step = 0
    case.office = services.step_office(case.service, 0)
    sla.start_clock(case, case.service.completion_days, ctx.now)
    case.revision_reason = ""
    if not case.number:  # last: the counter row it updates stays locked until the commit
        case.number = numbering.next_number(case.service.number_prefix, now=ctx.now)


def _resubmit_effect(case, actor, ctx):
    sla.resume_clock(case, ctx.now)
    case.revision_reason = ""


def _revision_effect(case, actor, ctx):
    sla.pause_clock(case, ctx.now)
    case.revision_reason = ctx.note


def _store_issued_document(case, uploaded, actor, ctx):
    """The issued document given with "complete"; deleted again if the transition fails."""
    if not uploaded:
        return None
    checked = uploads.check_upload(uploaded)
    content, size = services.prepared_file(checked)
    case.documents.filter(kind=DocumentKind.ISSUED, is_current=True).update(is_current=False)
    doc = ApplicationDocument(
        application=case, kind=DocumentKind.ISSUED, original_name=checked.original_name,
        content_type=checked.content_type, size=size, uploaded_by=actor,
    )
    doc.file.save(f"{uuid.uuid4().hex}.{uploads.EXTENSIONS[checked.content_type]}", content, save=False)
    ctx.on_rollback.append(lambda storage=doc.file.storage, name=doc.file.name: storage.delete(name))
    doc.save()
    return doc


def _complete_effect(case, actor, ctx):
    from .skm.services import invite  # the SKM survey for this application (idempotent)

    sla.stop_clock(case, ctx.now)
    case.completed_at = ctx.now
    _store_issued_document(case, ctx.get("issued_document"), actor, ctx)
    invite(case)


def _reject_effect(case, actor, ctx):
    sla.stop_clock(case, ctx.now)
    case.rejection_reason = ctx.note
    case.completed_at = ctx.now


def _withdraw_effect(case, actor, ctx):
    sla.stop_clock(case, ctx.now)


def _finish_step_effect(case, actor, ctx):
    case.routing_pending = True
    routing.after_commit(ctx, tasks.route_application, case.pk, case.current_step)


def _route_guard(case, actor, ctx):
    if ctx.get("from_step") is not None and int(ctx.get("from_step")) != case.current_step:
        return _("Permohonan ini sudah diteruskan.")
    return None


def _route_effect(case, actor, ctx):
    case.current_step += 1
    case.routing_pending = False
    case.office = services.step_office(case.service, case.current_step)
    case.assignee = None


# --- notifications (outbox rows only) ------------------------------------------------------------

RESIDENT_EVENTS = {
    "submit": "application_submitted",
    "verify": "application_verified",
    "verify_and_process": "application_verified",
    "request_revision": "application_revision_requested",
    "complete": "application_completed",
    "reject": "application_rejected",
}


def on_transition(case, transition, event, actor, ctx):
    """Outbox rows for the resident and the office, written in the transition's transaction
    (one INSERT for both)."""
    with one_insert():
        _notify(case, transition, event, ctx)


def _notify(case, transition, event, ctx):
    name = transition.name
    code = RESIDENT_EVENTS.get(name)
    if code:
        context = {"service": case.service.name, "deadline": notices.deadline_text(case)}
        if name in ("request_revision", "reject"):
            context["reason"] = ctx.note
        if name == "complete":  # where and when the in-person step happens (KTP-el, KIA), else where the document is
            context["instructions"] = completion_instructions(case.service)
        notify(code, [case.applicant], context, link=case.get_absolute_url(), case_number=case.number,
               dedupe_key=f"layanan:{case.pk}:submitted" if name == "submit" else None)
    if name in ("submit", "resubmit", "route"):
        notices.new_in_queue(case, recipients.office_staff(case.office), title=case.service.name, event=event)


def step_of(case, event, n):
    """The processing step the n-th routing event led to: chain[n] (step 0 is the intake)."""
    if event.transition != "route":
        return ""
    # Read the chain once per timeline, not once per event (the tracking page's query count).
    steps = case.__dict__.get("_timeline_chain")
    if steps is None:
        steps = case.__dict__["_timeline_chain"] = case.service.chain()
    if n >= len(steps):
        return ""
    label = steps[n].label
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


TRANSITIONS = [
    Transition("start", (), S.DRAFT, _("Draf dibuat"), OWNER, public=False),
    Transition("submit", (S.DRAFT,), S.SUBMITTED, _("Ajukan permohonan"), OWNER,
               guard=_documents_guard, effect=_submit_effect,
               story=_("Permohonan diajukan ke %(office)s."),
               story_owner=_("Anda mengajukan permohonan ke %(office)s.")),
    Transition("resubmit", (S.NEEDS_REVISION,), S.SUBMITTED, _("Kirim perbaikan"), OWNER,
               guard=_documents_guard, effect=_resubmit_effect,
               story=_("Pemohon mengirim perbaikan berkas; tenggat berjalan kembali."),
               story_owner=_("Anda mengirim perbaikan berkas; tenggat berjalan kembali.")),
    Transition("withdraw", (S.DRAFT, S.SUBMITTED, S.NEEDS_REVISION), S.WITHDRAWN, _("Batalkan permohonan"), OWNER,
               effect=_withdraw_effect, style="danger",
               story=_("Permohonan dibatalkan oleh pemohon."), story_owner=_("Anda membatalkan permohonan.")),
    Transition("verify_and_process", (S.SUBMITTED,), S.IN_PROCESS, _("Verifikasi & proses"), CLERK,
               applies=single_office, style="success",
               story=_("Berkas diverifikasi dan mulai diproses oleh %(actor_office)s.")),
    Transition("verify", (S.SUBMITTED,), S.VERIFIED, _("Verifikasi berkas"), CLERK, style="success",
               story=_("Berkas diverifikasi oleh %(actor_office)s.")),
    Transition("request_revision", (S.SUBMITTED, S.VERIFIED), S.NEEDS_REVISION, _("Minta perbaikan"), CLERK,
               requires_note=True, effect=_revision_effect, style="warning",
               story=_("%(actor_office)s meminta perbaikan berkas; tenggat dihentikan sementara.")),
    Transition("process", (S.VERIFIED,), S.IN_PROCESS, _("Proses"), CLERK,
               story=_("Permohonan mulai diproses oleh %(actor_office)s.")),
    Transition("finish_step", (S.IN_PROCESS,), S.IN_PROCESS, _("Teruskan ke OPD berikutnya"), CLERK,
               applies=has_next_step, effect=_finish_step_effect, keeps_state=True, style="secondary",
               story=_("Tahap di %(actor_office)s selesai; berkas diteruskan ke OPD berikutnya.")),
    Transition("route", (S.IN_PROCESS,), S.IN_PROCESS, _("Diteruskan ke OPD berikutnya"), SYSTEM,
               applies=has_next_step, guard=_route_guard, effect=_route_effect, keeps_state=True,
               story=_("Berkas diteruskan ke %(office)s untuk %(step)s.")),
    Transition("complete", (S.IN_PROCESS,), S.COMPLETED, _("Selesaikan"), CLERK, form_class=CompleteForm,
               applies=at_last_step, effect=_complete_effect, style="success",
               story=_("Permohonan selesai; hasil layanan diterbitkan oleh %(actor_office)s.")),
    Transition("reject", (S.SUBMITTED, S.VERIFIED, S.IN_PROCESS), S.REJECTED, _("Tolak"), CLERK,
               requires_note=True, effect=_reject_effect, style="danger",
               story=_("Permohonan ditolak oleh %(actor_office)s.")),
]

APPLICATION_WORKFLOW = Workflow("layanan.application", S, TRANSITIONS, on_transition=on_transition)
