"""A tabulated view of the one working-day calendar, for bulk work (rollup fills, the generator).

``organization.calendar`` answers one question at a time and walks day by day; a fill or the data
generator asks it hundreds of thousands of times. ``WorkdayTable`` asks the calendar once per
calendar day of a range (``calendar.is_working_day`` with the Holiday table) and then answers the
same questions by index arithmetic. The definitions are the calendar's: the day a clock starts does
not count, dates are WITA dates, holidays and weekends are skipped.
"""

import bisect
import datetime as dt

from kupang_portal.organization import calendar

_TABLES = {}


def table_for(first, last):
    """A shared table covering ``first``..``last`` (rebuilt when the Holiday table changes)."""
    holidays = calendar.holiday_dates()
    key = (first.year, last.year, last.month, hash(holidays))
    table = _TABLES.get(key)
    if table is None or not (table.first <= first and last <= table.last):
        if len(_TABLES) > 16:
            _TABLES.clear()
        table = _TABLES[key] = WorkdayTable(first, last, holidays)
    return table


class WorkdayTable:
    def __init__(self, first, last, holidays=None):
        holidays = calendar.holiday_dates() if holidays is None else holidays
        # A margin on both sides so arithmetic near the ends stays inside the table.
        self.first = first - dt.timedelta(days=400)
        self.last = last + dt.timedelta(days=400)
        self.holidays = holidays
        self.days = []  # the working dates, sorted
        day = self.first
        while day <= self.last:
            if calendar.is_working_day(day, holidays):
                self.days.append(day)
            day += dt.timedelta(days=1)

    def _extend(self, working_days):
        """Grow the table past its end until it holds ``working_days`` working dates."""
        while len(self.days) < working_days:
            self.last += dt.timedelta(days=1)
            if calendar.is_working_day(self.last, self.holidays):
                self.days.append(self.last)

    def count_upto(self, day):
        """Working days on or before ``day`` (within the table)."""
        return bisect.bisect_right(self.days, day)

    def between(self, start, end):
        """``calendar.working_days_between`` for dates or aware datetimes."""
        return self.count_upto(calendar.to_local_date(end)) - self.count_upto(calendar.to_local_date(start))

    def add(self, start, days):
        """``calendar.add_working_days``: the date ``days`` working days after ``start``."""
        start = calendar.to_local_date(start)
        index = self.count_upto(start)
        self._extend(index + days + 1)
        if days == 0:
            return self.days[bisect.bisect_left(self.days, start)]
        return self.days[index + days - 1]

    def subtract(self, end, days):
        """The earliest date ``d`` with ``between(d, end) <= days`` (``days`` working days before ``end``)."""
        end = calendar.to_local_date(end)
        target = self.count_upto(end) - days
        # between(d, end) = count_upto(end) - count_upto(d) <= days  <=>  count_upto(d) >= target
        if target <= 0:
            return self.first
        return self.days[target - 1]

    def deadline_after(self, start, days):
        return calendar.end_of_working_day(self.add(start, days))
