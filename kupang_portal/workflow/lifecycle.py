"""Lifecycle times of a case, written by the workflow engine on every state change.

Dashboards, the transparency page and exports read these columns instead of re-scanning the
history table, so they stay cheap at millions of cases. Definitions (the dashboards' definition
page says the same in Indonesian):

- ``is_open``: the case's status is one of the case type's ``open_states`` (a draft is not open).
- ``submitted_at``: when the case first entered an open state (complete submission).
- ``first_response_at``: the first state change performed by staff (clerk, office head or the
  complaint desk); assignment ("take case") and system routing do not count.
- ``closed_at``: when the case left the open states (completed, rejected, withdrawn, closed);
  cleared if it is reopened.
- ``paused_working_days``: working days the SLA clock stood still (waiting for the resident).
- ``working_days_taken``: working days from ``submitted_at`` to ``closed_at`` (the day of
  submission does not count, the day of closing does; WITA dates; holidays excluded) minus
  ``paused_working_days``, never below 0.
- ``closed_on_time``: ``closed_at`` is at or before the deadline in force (which moves with pauses).
"""

from kupang_portal.organization import calendar

STAFF_KINDS = frozenset({"clerk", "office_head", "verifier"})


def open_states(case):
    return tuple(getattr(type(case), "open_states", None) or ())


def apply(case, *, from_state, actor_kinds, now):
    """Update the lifecycle columns of ``case`` (in memory) after a change from ``from_state``."""
    states = open_states(case)
    was_open, now_open = from_state in states, case.status in states
    case.is_open = now_open
    if now_open and case.submitted_at is None:
        case.submitted_at = now
    if case.first_response_at is None and actor_kinds & STAFF_KINDS and case.submitted_at is not None:
        case.first_response_at = now
    if was_open and not now_open:
        close(case, now)
    elif now_open and not was_open and case.closed_at is not None:
        case.closed_at = None
        case.working_days_taken = None
        case.closed_on_time = None


def close(case, now):
    case.closed_at = now
    start = case.submitted_at
    if start is None:
        case.working_days_taken = None
    else:
        taken = calendar.working_days_between(start, now) - (case.paused_working_days or 0)
        case.working_days_taken = max(0, taken)
    case.closed_on_time = None if case.deadline is None else now <= case.deadline


def start(case, now):
    """A case created directly in its first state (complaints, Open311)."""
    case.is_open = case.status in open_states(case)
    if case.is_open and case.submitted_at is None:
        case.submitted_at = now
