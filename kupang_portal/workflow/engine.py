"""The one workflow engine, used by applications (layanan) and complaints (pengaduan).

A ``Workflow`` declares states and ``Transition`` objects: which states a transition leaves,
where it goes, who may perform it (``Actor`` kinds), what must be given (a note, extra form
fields) and what it changes (``effect``). ``perform`` runs one transition as one transaction:
check, apply, versioned UPDATE (optimistic concurrency), history row, the workflow's
``on_transition`` hook (outbox rows) and side effects registered for after the commit.
``create`` does the same for a case entering its first state (a transition without sources).

Effects make every domain write (fields, response rows, stored files); they never set
``status`` (the engine does, from ``target``) and the engine refuses one that does. Files an
effect stores are registered with ``ctx.on_rollback`` so a refused or failed transition leaves
nothing behind. Hooks only write outbox rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kupang_portal.accounts.roles import Role

from . import lifecycle
from .models import CaseEvent
from .signals import notify_changed

logger = logging.getLogger(__name__)


class Actor:
    """Kinds of actor a transition may allow. An actor can be several kinds at once."""

    OWNER = "owner"  # the resident who owns the case
    CLERK = "clerk"  # staff (clerk, verifier or head) of the case's current office
    OFFICE_HEAD = "office_head"  # head of the case's current office
    VERIFIER = "verifier"  # the city complaint desk (any office)
    SUPERVISOR = "supervisor"  # city-wide read-only role: never performs transitions
    SYSTEM = "system"  # Celery tasks and the portal itself (actor is None)


@dataclass(frozen=True)
class CodeVerifiedOwner:
    """The owner of a case who has no account (an anonymous reporter), proven by the case's
    secret code. The caller checks the code before building one; the engine then treats it as
    ``Actor.OWNER`` and the history shows ``label`` (no person is stored)."""

    label: str = "Pelapor"
    is_authenticated = False


class TransitionError(Exception):
    """A transition was refused. ``message`` is safe to show to the user; nothing was changed."""

    default_message = _("Tindakan ini tidak dapat dilakukan.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class WorkflowMisconfigured(Exception):
    """A programming error in a workflow declaration (not a refusal to show a user)."""


class TransitionNotAllowed(TransitionError):
    default_message = _("Tindakan ini tidak berlaku untuk status kasus saat ini.")


class ActorNotPermitted(TransitionError):
    default_message = _("Anda tidak berwenang melakukan tindakan ini pada kasus ini.")


class NoteRequired(TransitionError):
    default_message = _("Alasan atau catatan wajib diisi untuk tindakan ini.")


class ConcurrentTransition(TransitionError):
    default_message = _(
        "Kasus ini baru saja diubah oleh petugas lain. Muat ulang halaman untuk melihat status terbaru; "
        "tindakan Anda tidak disimpan."
    )


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    target: str
    label: str
    actors: frozenset
    requires_note: bool = False
    # Shown on the resident's timeline and the public tracking page (the note only to the owner).
    public: bool = True
    # Extra input a staff member gives (a Django Form class); its cleaned_data arrives in ctx.
    form_class: type | None = None
    # guard(case, actor, ctx) -> None, or an error message when the transition must be refused.
    guard: Callable | None = None
    # effect(case, actor, ctx) mutates the case in memory before it is saved.
    effect: Callable | None = None
    # Button style in the admin: "primary", "success", "warning", "danger", "secondary".
    style: str = "primary"
    keeps_state: bool = False  # e.g. "forward": same state, other office
    # applies(case) -> bool: a condition that needs no input (e.g. "there is a next office").
    # ``available`` offers the transition only when it holds; ``perform`` refuses it otherwise.
    applies: Callable | None = None
    # The public timeline's past-tense sentence (kupang_portal/workflow/timeline.py), with
    # %(office)s (the office after the change), %(from_office)s, %(actor_office)s, %(step)s;
    # ``story_owner`` is the resident's own action told to them ("Anda ...").
    story: str = ""
    story_owner: str = ""

    @property
    def initial(self):
        """A transition without sources creates a case in its first state (``engine.create``)."""
        return not self.sources


@dataclass
class TransitionContext:
    """What a transition run carries between guard, effect and hooks."""

    note: str = ""
    data: dict = field(default_factory=dict)
    now: object = None
    on_commit: list = field(default_factory=list)
    # Writes that need the saved row (e.g. files of a case being created), run right after the save.
    after_save: list = field(default_factory=list)
    # Callbacks undoing what the database cannot roll back (stored files); run when the
    # transition fails after its effect.
    on_rollback: list = field(default_factory=list)
    # Filled by the engine: the offices before and after (for routing hops in the history).
    from_office_id: int | None = None

    def get(self, key, default=None):
        return self.data.get(key, default)


class Workflow:
    def __init__(self, name, states, transitions, on_transition=None):
        self.name = name
        self.states = states  # a TextChoices class
        self.transitions = {t.name: t for t in transitions}
        self.on_transition = on_transition  # hook(case, transition, event, actor, ctx)
        for t in transitions:
            unknown = {t.target, *t.sources} - set(states.values)
            if unknown:
                raise ValueError(f"{name}.{t.name} names unknown states {unknown}")

    def __getitem__(self, name):
        try:
            return self.transitions[name]
        except KeyError:
            raise TransitionNotAllowed(_("Tindakan tidak dikenal.")) from None

    def from_state(self, state):
        return [t for t in self.transitions.values() if state in t.sources]

    def available(self, case, actor):
        """Transitions this actor may start on this case now: allowed from its state, for this
        actor, and whose input-free condition (``applies``) holds. Guards needing input (a form,
        a note) are checked when it is given."""
        kinds = actor_kinds(actor, case)
        return [t for t in self.from_state(case.status) if kinds & t.actors and (t.applies is None or t.applies(case))]

    def can(self, case, actor, name):
        """Whether ``available`` offers transition ``name`` (views and templates ask this)."""
        return any(t.name == name for t in self.available(case, actor))


def actor_kinds(actor, case):
    """The kinds (Actor.*) that ``actor`` is with respect to ``case``."""
    if actor is None:
        return {Actor.SYSTEM}
    if isinstance(actor, CodeVerifiedOwner):
        return {Actor.OWNER}
    kinds = set()
    if case.is_owned_by(actor):
        kinds.add(Actor.OWNER)
    if not actor.is_active or not actor.is_staff:
        return kinds
    if actor.is_superuser:
        return kinds | {Actor.CLERK, Actor.OFFICE_HEAD, Actor.VERIFIER}
    memberships = _memberships(actor)
    for office_id, role in memberships:
        if office_id == case.office_id:
            kinds.add(Actor.CLERK)
            if role == Role.OFFICE_HEAD:
                kinds.add(Actor.OFFICE_HEAD)
    if actor.has_role(Role.VERIFIER):
        kinds.add(Actor.VERIFIER)
    if actor.has_role(Role.SUPERVISOR):
        kinds.add(Actor.SUPERVISOR)
    return kinds


def _memberships(user):
    cached = getattr(user, "_workflow_memberships", None)
    if cached is None:
        cached = user._workflow_memberships = list(
            user.office_memberships.filter(is_active=True).values_list("office_id", "role")
        )
    return cached


def actor_display(actor, case):
    """What the timeline shows: never a staff member's name, only their office or role."""
    if actor is None:
        return str(_("Sistem")), None
    if isinstance(actor, CodeVerifiedOwner):
        return str(actor.label), None
    if case.is_owned_by(actor):
        return str(_("Pemohon/pelapor")), None
    memberships = _memberships(actor)
    office_id = next((oid for oid, _role in memberships if oid == case.office_id), None)
    if office_id is None and memberships:
        office_id = memberships[0][0]
    if office_id is not None:
        from kupang_portal.organization.models import Office

        office = Office.objects.filter(pk=office_id).first()
        return (office.short_name if office else str(_("Petugas"))), office
    return str(_("Petugas")), None


def _snapshot(case):
    return {f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields}


def _restore(case, snapshot):
    for name, value in snapshot.items():
        setattr(case, name, value)


def versioned_save(case, expected_version, now):
    """Write every field of ``case`` if the row still has ``expected_version``; bump the version."""
    case.version = expected_version + 1
    case.updated_at = now
    values = {f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields if not f.primary_key}
    updated = type(case)._default_manager.filter(pk=case.pk, version=expected_version).update(**values)
    if updated != 1:
        raise ConcurrentTransition()


def perform(case, name, actor, *, note="", data=None, expected_version=None, now=None, savepoint=True):
    """Run transition ``name`` on ``case`` as ``actor`` (None = system). Returns the CaseEvent.

    Raises a TransitionError subclass, with nothing changed, when the transition is not allowed
    from the case's state, the actor may not perform it, a required note is missing, a guard
    refuses it, or another change reached the case first (``expected_version`` is the version the
    actor saw; by default the one loaded in ``case``).

    ``savepoint=False`` (inside a caller's transaction): no savepoint around the transition, two
    statements fewer; a refusal then marks the caller's whole transaction for rollback, so the
    caller must let it end (and may start again), never carry on inside it.
    """
    workflow = type(case).workflow
    transition = workflow[name]
    ctx = TransitionContext(note=(note or "").strip(), data=dict(data or {}), now=now or timezone.now())
    expected = case.version if expected_version is None else int(expected_version)
    snapshot = _snapshot(case)
    try:
        with transaction.atomic(savepoint=savepoint):
            if expected != case.version:
                raise ConcurrentTransition()
            if case.status not in transition.sources:
                raise TransitionNotAllowed()
            _check(transition, case, actor, ctx)
            kinds = actor_kinds(actor, case)
            from_state, ctx.from_office_id = case.status, case.office_id
            _apply_effect(transition, case, actor, ctx)
            lifecycle.apply(case, from_state=from_state, actor_kinds=kinds, now=ctx.now)
            versioned_save(case, expected, ctx.now)
            _run(ctx.after_save)
            event = _finish(workflow, transition, case, actor, ctx, from_state)
    except BaseException:
        _restore(case, snapshot)
        _undo(ctx)
        raise
    return event


def create(case, name, actor, *, note="", data=None, now=None, savepoint=True):
    """Save the new ``case`` in the first state of initial transition ``name``; returns the CaseEvent.

    The same path as ``perform``: actor, note, guard and condition checks, the effect, the
    lifecycle times, the history row (from state ""), the workflow's hook (outbox rows) and the
    effects after commit, all in one transaction. ``case`` must not be saved yet.
    ``savepoint``: as for ``perform``.
    """
    workflow = type(case).workflow
    transition = workflow[name]
    if not transition.initial:
        raise WorkflowMisconfigured(f"{workflow.name}.{name} has sources; use perform()")
    if case.pk is not None:
        raise WorkflowMisconfigured("create() takes a case that is not saved yet")
    ctx = TransitionContext(note=(note or "").strip(), data=dict(data or {}), now=now or timezone.now())
    snapshot = _snapshot(case)
    try:
        with transaction.atomic(savepoint=savepoint):
            case.status = transition.target
            _check(transition, case, actor, ctx)
            _apply_effect(transition, case, actor, ctx)
            lifecycle.start(case, ctx.now)
            case.version = 0
            case.save(force_insert=True)
            _run(ctx.after_save)
            event = _finish(workflow, transition, case, actor, ctx, "")
    except BaseException:
        _restore(case, snapshot)
        _undo(ctx)
        raise
    return event


def _check(transition, case, actor, ctx):
    if not actor_kinds(actor, case) & transition.actors:
        raise ActorNotPermitted()
    if transition.requires_note and not ctx.note:
        raise NoteRequired()
    if transition.guard:  # first: its message says more than "not applicable"
        problem = transition.guard(case, actor, ctx)
        if problem:
            raise TransitionError(problem)
    if transition.applies is not None and not transition.applies(case):
        raise TransitionNotAllowed()


def _apply_effect(transition, case, actor, ctx):
    """Set the target state, then run the effect, which must leave ``status`` alone."""
    if not transition.keeps_state:
        case.status = transition.target
    status = case.status
    if transition.effect:
        transition.effect(case, actor, ctx)
    if case.status != status:
        raise WorkflowMisconfigured(
            f"the effect of {transition.name} changed status to {case.status!r}; declare another transition"
        )


def _finish(workflow, transition, case, actor, ctx, from_state):
    event = record_event(case, actor, transition.name, str(transition.label), from_state, case.status,
                         note=ctx.note, public=transition.public, from_office_id=ctx.from_office_id)
    if workflow.on_transition:
        workflow.on_transition(case, transition, event, actor, ctx)
    for callback in ctx.on_commit:
        transaction.on_commit(callback)
    return event


def _run(callbacks):
    for callback in callbacks:
        callback()


def _undo(ctx):
    for callback in reversed(ctx.on_rollback):
        try:
            callback()
        except Exception:  # cleaning up must not hide the original error
            logger.warning("rollback callback failed", exc_info=True)


def record_event(case, actor, name, label, from_state, to_state, *, note="", public=True, from_office_id=None):
    actor_label, actor_office = actor_display(actor, case)
    event = CaseEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(case)),
        object_id=case.pk,
        transition=name,
        transition_label=label,
        from_state=from_state,
        to_state=to_state,
        actor=None if isinstance(actor, CodeVerifiedOwner) else actor,
        actor_label=actor_label,
        actor_office=actor_office,
        from_office_id=from_office_id,
        to_office_id=case.office_id,
        note=note,
        is_public=public,
    )
    notify_changed(case)  # after the commit (now, outside a transaction): cached public pages are renewed
    return event


def assign(case, assignee, actor, *, expected_version=None, now=None):
    """"Take this case" (assignee = actor) or a head's reassignment; recorded like a transition."""
    kinds = actor_kinds(actor, case)
    now = now or timezone.now()
    expected = case.version if expected_version is None else int(expected_version)
    if assignee == actor and Actor.CLERK not in kinds:
        raise ActorNotPermitted()
    if assignee != actor and Actor.OFFICE_HEAD not in kinds:
        raise ActorNotPermitted(_("Hanya kepala OPD yang dapat menugaskan kasus kepada petugas lain."))
    if assignee is not None and not (assignee.is_superuser or case.office_id in assignee.office_ids()):
        raise ActorNotPermitted(_("Petugas yang dipilih bukan anggota OPD penanggung jawab."))
    snapshot = _snapshot(case)
    try:
        with transaction.atomic():
            if expected != case.version:
                raise ConcurrentTransition()
            case.assignee = assignee
            versioned_save(case, expected, now)
            return record_event(case, actor, "assign", str(_("Penugasan petugas")), case.status, case.status,
                                public=False, from_office_id=case.office_id)
    except BaseException:
        _restore(case, snapshot)
        raise
