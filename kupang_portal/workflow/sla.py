"""SLA clock helpers for cases, on top of the one working-day calendar."""

from kupang_portal.organization import calendar


def start_clock(case, working_days, now):
    case.deadline = calendar.deadline_after(now, working_days)
    case.sla_paused_at = None
    case.sla_remaining_days = None


def pause_clock(case, now):
    """Stop the clock (waiting for the resident): remember the working days that were left."""
    if case.sla_paused_at is not None or case.deadline is None:
        return
    case.sla_remaining_days = max(0, calendar.remaining_working_days(case.deadline, now))
    case.sla_paused_at = now


def _count_pause(case, now):
    """Add the working days of the pause that ends now to the case's paused total."""
    paused = max(0, calendar.working_days_between(case.sla_paused_at, now))
    case.paused_working_days = (case.paused_working_days or 0) + paused


def resume_clock(case, now):
    """Restart the clock with the working days that were left when it stopped."""
    if case.sla_paused_at is None:
        return
    _count_pause(case, now)
    case.deadline = calendar.deadline_after(now, case.sla_remaining_days or 0)
    case.sla_paused_at = None
    case.sla_remaining_days = None


def stop_clock(case, now=None):
    """The case is finished: a pause still running counts until ``now``."""
    if case.sla_paused_at is not None and now is not None:
        _count_pause(case, now)
    case.sla_paused_at = None
    case.sla_remaining_days = None


def due_soon_horizon(now):
    """"Due soon" means a deadline on or before the end of the next working day."""
    return calendar.end_of_working_day(calendar.add_working_days(now, 1))


def is_open(case):
    open_states = getattr(type(case), "open_states", None)
    return open_states is None or case.status in open_states


def badge(case, now=None):
    """on_time / due_soon / overdue / paused / none for an open case; done once it is closed."""
    if not is_open(case):
        return calendar.SlaStatus.DONE
    return calendar.sla_status(case.deadline, now=now, paused=case.sla_paused)
