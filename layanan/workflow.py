"""The application workflow: states, who may move an application where, and what that changes.

draft -> submitted -> verified -> in_process -> completed | rejected
submitted/verified -> needs_revision -> submitted (the SLA clock pauses while waiting for the resident)
draft/submitted/needs_revision -> withdrawn (by the resident, before processing)
verified/in_process: finish_step hands the case to the next office of the service's chain; the
Celery task ``layanan.tasks.route_application`` then performs ``route`` as SYSTEM.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.workflow import numbering, sla
from kupang_portal.workflow.engine import Actor, Transition, Workflow

from .constants import ApplicationStatus as S
from .forms import CompleteForm

OWNER = frozenset({Actor.OWNER})
CLERK = frozenset({Actor.CLERK})
SYSTEM = frozenset({Actor.SYSTEM})


def _documents_guard(case, actor, ctx):
    from . import services

    problems = services.missing_requirements(case)
    if problems:
        return _("Dokumen wajib belum lengkap: %(names)s.") % {"names": ", ".join(r.name for r in problems)}
    return None


def _submit_effect(case, actor, ctx):
    from . import services

    if not case.number:
        case.number = numbering.next_number(case.service.number_prefix, now=ctx.now)
    case.submitted_at = ctx.now
    case.current_step = 0
    case.office = services.step_office(case.service, 0)
    sla.start_clock(case, case.service.completion_days, ctx.now)
    case.revision_reason = ""


def _resubmit_effect(case, actor, ctx):
    sla.resume_clock(case, ctx.now)
    case.revision_reason = ""


def _revision_effect(case, actor, ctx):
    sla.pause_clock(case, ctx.now)
    case.revision_reason = ctx.note


def _complete_guard(case, actor, ctx):
    from . import services

    if services.next_step(case) is not None:
        return _("Masih ada tahap berikutnya (%(label)s). Teruskan ke OPD berikutnya terlebih dahulu.") % {
            "label": services.next_step(case).label}
    return None


def _complete_effect(case, actor, ctx):
    sla.stop_clock(case, ctx.now)
    case.completed_at = ctx.now


def _reject_effect(case, actor, ctx):
    sla.stop_clock(case, ctx.now)
    case.rejection_reason = ctx.note
    case.completed_at = ctx.now


def _withdraw_effect(case, actor, ctx):
    sla.stop_clock(case, ctx.now)


def _finish_step_guard(case, actor, ctx):
    from . import services

    if services.next_step(case) is None:
        return _("Ini tahap terakhir; tidak ada OPD berikutnya. Gunakan “Selesaikan”.")
    return None


def _finish_step_effect(case, actor, ctx):
    from .tasks import enqueue_routing

    step = case.current_step
    case.routing_pending = True
    ctx.on_commit.append(lambda pk=case.pk: enqueue_routing(pk, step))


def _route_guard(case, actor, ctx):
    from . import services

    if ctx.get("from_step") is not None and int(ctx.get("from_step")) != case.current_step:
        return _("Permohonan ini sudah diteruskan.")
    if services.next_step(case) is None:
        return _("Tidak ada tahap berikutnya.")
    return None


def _route_effect(case, actor, ctx):
    from . import services

    case.current_step += 1
    case.routing_pending = False
    case.office = services.step_office(case.service, case.current_step)
    case.assignee = None


def _deadline_text(case):
    if case.deadline is None:
        return "-"
    return formats.date_format(timezone.localtime(case.deadline), "j F Y")


def on_transition(case, transition, event, actor, ctx):
    """Outbox rows for the resident and the office, written in the transition's transaction."""
    from kupang_portal.notifications.services import notify

    from . import services

    name = transition.name
    link = case.get_absolute_url()
    common = {"service": case.service.name, "deadline": _deadline_text(case)}
    resident = [case.applicant]
    if name == "submit":
        notify("application_submitted", resident, common, link=link, case_number=case.number,
               dedupe_key=f"layanan:{case.pk}:submitted")
    elif name == "verify":
        notify("application_verified", resident, common, link=link, case_number=case.number)
    elif name == "request_revision":
        notify("application_revision_requested", resident, {**common, "reason": ctx.note}, link=link,
               case_number=case.number)
    elif name == "complete":
        services.attach_issued_document(case, ctx.get("issued_document"), actor)
        notify("application_completed", resident, common, link=link, case_number=case.number)
        from .skm import invite  # SKM survey invitation (layanan/skm.py), idempotent

        invite(case)
    elif name == "reject":
        notify("application_rejected", resident, {**common, "reason": ctx.note}, link=link, case_number=case.number)
    if name in ("submit", "resubmit", "route"):
        services.notify_office_queue(case, event)


TRANSITIONS = [
    Transition("submit", (S.DRAFT,), S.SUBMITTED, _("Ajukan permohonan"), OWNER,
               guard=_documents_guard, effect=_submit_effect),
    Transition("resubmit", (S.NEEDS_REVISION,), S.SUBMITTED, _("Kirim perbaikan"), OWNER,
               guard=_documents_guard, effect=_resubmit_effect),
    Transition("withdraw", (S.DRAFT, S.SUBMITTED, S.NEEDS_REVISION), S.WITHDRAWN, _("Batalkan permohonan"), OWNER,
               effect=_withdraw_effect, style="danger"),
    Transition("verify", (S.SUBMITTED,), S.VERIFIED, _("Verifikasi berkas"), CLERK, style="success"),
    Transition("request_revision", (S.SUBMITTED, S.VERIFIED), S.NEEDS_REVISION, _("Minta perbaikan"), CLERK,
               requires_note=True, effect=_revision_effect, style="warning"),
    Transition("process", (S.VERIFIED,), S.IN_PROCESS, _("Proses"), CLERK),
    Transition("finish_step", (S.IN_PROCESS,), S.IN_PROCESS, _("Teruskan ke OPD berikutnya"), CLERK,
               guard=_finish_step_guard, effect=_finish_step_effect, keeps_state=True, style="secondary"),
    Transition("route", (S.IN_PROCESS,), S.IN_PROCESS, _("Diteruskan ke OPD berikutnya"), SYSTEM,
               guard=_route_guard, effect=_route_effect, keeps_state=True),
    Transition("complete", (S.IN_PROCESS,), S.COMPLETED, _("Selesaikan"), CLERK, form_class=CompleteForm,
               guard=_complete_guard, effect=_complete_effect, style="success"),
    Transition("reject", (S.SUBMITTED, S.VERIFIED, S.IN_PROCESS), S.REJECTED, _("Tolak"), CLERK,
               requires_note=True, effect=_reject_effect, style="danger"),
]

APPLICATION_WORKFLOW = Workflow("layanan.application", S, TRANSITIONS, on_transition=on_transition)
