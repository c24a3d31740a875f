"""A minimal case type ("ticket") for testing the shared workflow engine independently of the apps."""

from django.conf import settings
from django.db import models

from kupang_portal.workflow import sla
from kupang_portal.workflow.engine import Actor, Transition, Workflow
from kupang_portal.workflow.forms import TransitionForm
from kupang_portal.workflow.models import Case


class TicketStatus(models.TextChoices):
    NEW = "new", "Baru"
    CHECKED = "checked", "Diperiksa"
    WAITING = "waiting", "Menunggu warga"
    DONE = "done", "Selesai"
    REJECTED = "rejected", "Ditolak"


OPENED = []  # pks of tickets whose "open" effect ran after the commit


class ForwardForm(TransitionForm):
    from django import forms as _forms

    office_code = _forms.CharField()


def _forward(case, actor, ctx):
    from kupang_portal.organization.models import Office

    case.office = Office.objects.get(code=ctx.data["office_code"])


def _no_done_without_assignee(case, actor, ctx):
    if case.assignee_id is None:
        return "Ambil kasus dulu."
    return None


def _on_transition(case, transition, event, actor, ctx):
    from kupang_portal.notifications.services import notify

    if transition.name == "check" and case.owner_id:
        notify("application_verified", [case.owner], {"service": "Tiket"}, case_number=case.number, link="/")


TICKET_WORKFLOW = Workflow(
    "ticket",
    TicketStatus,
    [
        Transition("open", (), TicketStatus.NEW, "Buka", frozenset({Actor.OWNER, Actor.SYSTEM}),
                   effect=lambda case, actor, ctx: ctx.on_commit.append(lambda: OPENED.append(case.pk)),
                   story="Tiket dibuka di %(office)s.", story_owner="Anda membuka tiket di %(office)s."),
        Transition("check", (TicketStatus.NEW,), TicketStatus.CHECKED, "Periksa", frozenset({Actor.CLERK}),
                   effect=lambda case, actor, ctx: sla.start_clock(case, 3, ctx.now)),
        Transition("ask", (TicketStatus.CHECKED,), TicketStatus.WAITING, "Minta perbaikan", frozenset({Actor.CLERK}),
                   requires_note=True, effect=lambda case, actor, ctx: sla.pause_clock(case, ctx.now)),
        Transition("resubmit", (TicketStatus.WAITING,), TicketStatus.CHECKED, "Kirim ulang", frozenset({Actor.OWNER}),
                   effect=lambda case, actor, ctx: sla.resume_clock(case, ctx.now)),
        Transition("finish", (TicketStatus.CHECKED,), TicketStatus.DONE, "Selesai", frozenset({Actor.CLERK}),
                   guard=_no_done_without_assignee),
        Transition("reject", (TicketStatus.NEW, TicketStatus.CHECKED), TicketStatus.REJECTED, "Tolak",
                   frozenset({Actor.CLERK, Actor.OFFICE_HEAD}), requires_note=True),
        Transition("forward", (TicketStatus.CHECKED,), TicketStatus.CHECKED, "Teruskan", frozenset({Actor.CLERK, Actor.SYSTEM}),
                   form_class=ForwardForm, effect=_forward, keeps_state=True),
    ],
    on_transition=_on_transition,
)


class Ticket(Case):
    status = models.CharField(max_length=30, db_index=True, choices=TicketStatus.choices)
    number = models.CharField(max_length=30, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    workflow = TICKET_WORKFLOW
    owner_field = "owner"
    open_states = (TicketStatus.NEW, TicketStatus.CHECKED, TicketStatus.WAITING)

    def __str__(self):
        return self.number

    @property
    def sla_title(self):
        """What reminders call the case (optional on a case type)."""
        return f"Uji {self.number}"
