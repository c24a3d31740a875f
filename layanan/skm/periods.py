"""Reporting periods of the SKM: semester (default), triwulan (quarter) or year, in local time (WITA)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import PeriodKind

_MONTHS = {PeriodKind.SEMESTER: 6, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
_KEY = re.compile(r"^(?P<year>20\d\d)(?:-(?P<letter>[ST])(?P<number>[1-4]))?$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 1

    def __post_init__(self):
        count = 12 // _MONTHS[PeriodKind(self.kind)]
        if not 1 <= self.number <= count:
            raise ValueError("period number out of range")

    @property
    def key(self):
        """``2026-S1``, ``2026-T3`` or ``2026``: used in URLs and open data."""
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        return f"{self.year}-{'S' if self.kind == PeriodKind.SEMESTER else 'T'}{self.number}"

    @property
    def label(self):
        if self.kind == PeriodKind.YEAR:
            return _("Tahun %(year)s") % {"year": self.year}
        name = _("Semester") if self.kind == PeriodKind.SEMESTER else _("Triwulan")
        return f"{name} {ROMAN[self.number]} {self.year}"

    @property
    def first_day(self):
        return dt.date(self.year, (self.number - 1) * _MONTHS[PeriodKind(self.kind)] + 1, 1)

    @property
    def last_day(self):
        return self.end_date - dt.timedelta(days=1)

    @property
    def end_date(self):
        """The first day after the period."""
        month = self.number * _MONTHS[PeriodKind(self.kind)] + 1
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def start(self):
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time()))

    @property
    def end(self):
        return timezone.make_aware(dt.datetime.combine(self.end_date, dt.time()))

    def contains(self, moment):
        return self.start <= moment < self.end

    def has_ended(self, now=None):
        return (now or timezone.now()) >= self.end

    def previous(self):
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, 12 // _MONTHS[PeriodKind(self.kind)])


def parse(key):
    """The period of a key, or ValueError for anything else."""
    match = _KEY.match(key or "")
    if not match:
        raise ValueError("unknown period")
    if not match["letter"]:
        return Period(PeriodKind.YEAR, int(match["year"]))
    kind = PeriodKind.SEMESTER if match["letter"] == "S" else PeriodKind.QUARTER
    return Period(kind, int(match["year"]), int(match["number"]))


def containing(moment=None, kind=PeriodKind.SEMESTER):
    local = timezone.localtime(moment or timezone.now()).date()
    months = _MONTHS[PeriodKind(kind)]
    return Period(kind, local.year, (local.month - 1) // months + 1)
