"""The public timeline of a case: one past-tense sentence per public history row.

Each transition declares its sentence (``Transition.story``, and ``story_owner`` for the
resident's own actions, told to them with "Anda"); the office is named
("Berkas diteruskan ke Dinas PUPR untuk pemeriksaan teknis ..."). The resident's pages and the
public tracking page both build their timeline here; only the resident sees the notes.
"""

import functools

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from .engine import Actor

# The labels the engine stores for an actor without an office (``engine.actor_display``, the
# complaint services' ``CodeVerifiedOwner``). A history row keeps the words of the request that
# wrote it; the timeline shows them in the reader's language.
ACTOR_LABELS = [gettext_noop("Sistem"), gettext_noop("Pemohon/pelapor"), gettext_noop("Petugas"),
                gettext_noop("Pelapor"), gettext_noop("Pelapor (anonim)")]


@functools.cache
def _actor_msgids():
    """{stored label in any of the site's languages: msgid}."""
    found = {}
    for msgid in ACTOR_LABELS:
        found[msgid] = msgid
        for code, _name in settings.LANGUAGES:
            with override(code):
                found.setdefault(_(msgid), msgid)
    return found


def actor_label(event):
    """The actor of a history row in the reader's language (an office's short name as stored)."""
    msgid = _actor_msgids().get(event.actor_label)
    return _(msgid) if msgid else event.actor_label


def _office_name(office):
    return office.name if office is not None else _("OPD")


def _by_owner(event, transition, case):
    if event.actor_id is not None:
        return case.is_owned_by(event.actor)
    # No account behind the event: the system, or an anonymous reporter proven by their code.
    return transition is not None and Actor.OWNER in transition.actors and Actor.SYSTEM not in transition.actors


def sentence(case, event, transition, *, to_owner, step=None):
    """The sentence for ``event``; ``to_owner``: the reader is the resident who owns the case."""
    if transition is None:
        return event.transition_label  # a transition the workflow no longer declares: as stored
    if not transition.story:
        return str(transition.label)
    template = transition.story
    if to_owner and transition.story_owner and _by_owner(event, transition, case):
        template = transition.story_owner
    values = {
        "office": _office_name(event.to_office),
        "from_office": _office_name(event.from_office),
        "actor_office": _office_name(event.actor_office or event.to_office),
        "step": step or "",
    }
    return str(template) % values


def build(case, *, to_owner, with_notes=None, status_labels=None, step_of=None):
    """Rows (time, label, actor, status, note, to_office) for the public history of ``case``.

    ``to_owner``: the resident reads their own case ("Anda ..."); notes only then, unless
    ``with_notes`` says otherwise. ``status_labels``: {state: label}. ``step_of(case, event,
    n)``: the label of the processing step an n-th event of its kind leads to (routing).
    """
    workflow = type(case).workflow
    with_notes = to_owner if with_notes is None else with_notes
    labels = status_labels or {}
    counts = {}
    rows = []
    for event in case.history().public().select_related("actor"):
        transition = workflow.transitions.get(event.transition)
        counts[event.transition] = counts.get(event.transition, 0) + 1
        step = step_of(case, event, counts[event.transition]) if step_of else None
        moved = event.to_office_id and event.from_office_id and event.from_office_id != event.to_office_id
        rows.append({
            "time": event.created_at,
            "label": sentence(case, event, transition, to_owner=to_owner, step=step),
            "actor": actor_label(event),
            "status": str(labels.get(event.to_state, "")),
            "note": event.note if with_notes else "",
            # The sentence names the office already; only a row without one shows it apart.
            "to_office": _office_name(event.to_office) if moved and not (transition and transition.story) else "",
        })
    return rows
