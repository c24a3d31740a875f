"""The one data generator for benchmarks and large-data tests: realistic cases in the real tables.

``generate(cases=N)`` writes N cases (applications and complaints, about 65 % / 35 %) spread over
the last ``years`` years up to ``end``, for every published service and complaint category, every
office that owns them and every kelurahan, in every status, with the lifecycle columns the engine
would have written (submitted, first response, closed, paused and taken working days, on time),
their history rows (``CaseEvent``), complaint responses with ratings and SKM survey answers. It
also creates the residents who own them and a few clerks per office when an office has none.

How it stays fast (``bench/perf.py`` compares it with a bare ``COPY`` of the same rows plus the
same index builds: ``RATIO generator_vs_copy``):

- No per-row Python objects beyond what the lifecycle script needs. Times are integer seconds
  since the epoch (UTC); dates are day numbers. The working-day calendar is tabulated once per
  run (``Clock``, from ``WorkdayTable`` i.e. ``calendar.is_working_day`` with the Holiday table),
  so "n working days after" and "working days between" are two list look-ups, and a timestamp's
  COPY text is a pre-built date string plus a pre-built time-of-day string.
- Each row is one ``str.format`` of a per-table template in which every column the generator
  does not set already holds its escaped default; the lines stream into ``COPY ... FROM STDIN``
  through a file-like reader, in chunks (bounded memory at any size), tables loaded in
  dependency order (users, then cases, events, responses, surveys) inside one transaction.
- Foreign-key checks: PostgreSQL checks each loaded row against its parent with a trigger (every
  foreign key here is ``DEFERRABLE INITIALLY DEFERRED``, so all the checks pile up for the
  commit). The generator only writes ids it read from the reference tables or numbered itself
  in the same transaction, so when the role may (superuser) it loads with
  ``SET LOCAL session_replication_role = replica``: the constraints stay in place but their
  triggers do not fire for this transaction only (``LOCAL``: reset at commit or rollback; no
  other session is affected). tests/dashboards/test_generator.py checks every foreign key of the
  loaded tables with an anti-join after a load. Without that privilege, a bulk load drops the
  foreign keys and adds them back after the load (validated then); a small load keeps them.
- Large loads (``bulk_indexes``, default from 50,000 cases) drop the secondary indexes and unique
  constraints of the loaded tables first and rebuild them after the load (``maintenance_work_mem``
  raised for the build): building an index once is far cheaper than maintaining it row by row.
  The primary keys stay (ids are loaded in ascending order, the cheapest case for a B-tree).
- ``ANALYZE`` after the load, so the planner knows the new sizes at once.

On other databases (SQLite in ``make test``) the same lines are parsed back and go through
``executemany`` INSERTs, so the tests exercise the very same generator.

Dates follow the one working-day calendar: a completed application's ``working_days_taken`` is
exactly what ``workflow.lifecycle.close`` would compute. Some cases are submitted late in the
evening (WITA), so they cross midnight in UTC, and a small share is "forgotten" (open long past
the deadline), as in real queues.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import random
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from kupang_portal.organization import calendar

from .workdays import WorkdayTable

UTC = dt.timezone.utc
DAY = 86_400
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
BATCH_CASES = 5_000  # cases generated between two COPY rounds (bounds memory at any size)
BULK_INDEX_THRESHOLD = 50_000
GENERATED_PREFIX = "gen"
NULL = "\\N"
STREAM_READ_SIZE = 1 << 18
INTEGER_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                  "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "ForeignKey"}


def _esc_str(value):
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_text(value):
    """One Python value in PostgreSQL COPY text format (defaults and reference data)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return _esc_str(value)
    if isinstance(value, dict | list):
        return _esc_str(json.dumps(value, separators=(",", ":")))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _unescape(text):
    if text == NULL:
        return None
    if "\\" not in text:
        return text
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


# --- time as integers ----------------------------------------------------------------------------

class Clock:
    """Times as integer seconds since the epoch (UTC), dates as day numbers (days since 1970-01-01).

    The generator does its date arithmetic millions of times; aware datetimes and the calendar's
    day-by-day walks would dominate its run. The local (WITA) day of a time is ``(t + offset) //
    DAY``; the working-day calendar is tabulated as two lists over day numbers (grown on demand
    past the end); a UTC time's COPY text is a pre-built date string plus a pre-built
    ``HH:MM:SS+00`` string.
    """

    def __init__(self, first_day, last_day, holidays=None):
        tz = calendar.local_tz()
        offsets = {dt.datetime(year, month, 1, 12, tzinfo=tz).utcoffset()
                   for year in range(first_day.year - 2, last_day.year + 4) for month in (1, 4, 7, 10)}
        if len(offsets) != 1:
            raise RuntimeError(f"The generator needs a time zone with a fixed UTC offset (TIME_ZONE={settings.TIME_ZONE}).")
        self.offset = int(offsets.pop().total_seconds())
        hour, minute, second = (int(part) for part in settings.SLA_END_OF_DAY.split(":"))
        self.end_of_day = hour * 3600 + minute * 60 + second - self.offset  # from a local day number * DAY
        table = WorkdayTable(first_day, last_day, holidays)
        self.holidays = table.holidays
        self.base = table.first.toordinal() - EPOCH_ORDINAL
        self.workdays = []  # working day numbers, ascending
        self.counts = []  # counts[i]: working days on or before day base + i
        self._grow(table.last.toordinal() - EPOCH_ORDINAL)
        self.tod = [f"{h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)]
        self.dates = []  # "YYYY-MM-DD " of UTC day numbers from base
        self._grow_dates(self.base + len(self.counts))
        self.years = {}

    def _grow(self, day):
        while self.base + len(self.counts) <= day:
            number = self.base + len(self.counts)
            if calendar.is_working_day(dt.date.fromordinal(number + EPOCH_ORDINAL), self.holidays):
                self.workdays.append(number)
            self.counts.append(len(self.workdays))

    def _grow_dates(self, day):
        while self.base + len(self.dates) <= day:
            self.dates.append(dt.date.fromordinal(self.base + len(self.dates) + EPOCH_ORDINAL).isoformat() + " ")

    def day(self, t):
        """The local (WITA) day number of time ``t``."""
        return (t + self.offset) // DAY

    def at(self, day, seconds):
        """The time ``seconds`` after local midnight of ``day``."""
        return day * DAY - self.offset + seconds

    def count(self, day):
        """Working days on or before ``day`` (from the table's start)."""
        try:
            return self.counts[day - self.base]
        except IndexError:
            self._grow(day + 60)
            return self.counts[day - self.base]

    def add(self, day, days):
        """``calendar.add_working_days`` on day numbers."""
        index = self.count(day - 1) if days == 0 else self.count(day) + days - 1
        while index >= len(self.workdays):
            self._grow(self.base + len(self.counts) + 60)
        return self.workdays[index]

    def between(self, start, end):
        """``calendar.working_days_between`` of two times."""
        offset = self.offset
        return self.count((end + offset) // DAY) - self.count((start + offset) // DAY)

    def deadline_after(self, t, days):
        """``calendar.deadline_after``: the end of the working day ``days`` working days after ``t``."""
        return self.add((t + self.offset) // DAY, days) * DAY + self.end_of_day

    def year(self, t):
        day = (t + self.offset) // DAY
        year = self.years.get(day)
        if year is None:
            year = self.years[day] = dt.date.fromordinal(day + EPOCH_ORDINAL).year
        return year

    def text(self, t):
        """COPY text of time ``t`` (UTC)."""
        day = t // DAY
        try:
            return self.dates[day - self.base] + self.tod[t % DAY]
        except IndexError:
            self._grow_dates(day + 60)
            return self.dates[day - self.base] + self.tod[t % DAY]

    def datetime(self, t):
        return dt.datetime.fromtimestamp(t, tz=UTC)


# --- writing rows --------------------------------------------------------------------------------

def _default(field):
    if field.has_default() and not callable(field.default):
        return field.default
    if field.has_default() and field.default in (dict, list):
        return field.default()
    if not field.null and field.get_internal_type() in ("CharField", "TextField", "SlugField"):
        return ""
    return None


class TableWriter:
    """COPY lines of one model's table: every concrete column, defaults for what a row does not set.

    Rows come either from ``template(*names)`` (a ``%`` format string taking the named columns,
    values already in COPY text) or from ``add_row(dict)`` (typed values converted
    per column; times as integers)."""

    def __init__(self, model, clock):
        self.model = model
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.defaults = [copy_text(_default(f)) for f in self.fields]
        self.converters = [self._converter(f, clock) for f in self.fields]
        self.lines = []
        self.append = self.lines.append
        self.count = 0

    @staticmethod
    def _converter(field, clock):
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            return clock.text
        if kind == "BooleanField":
            return {True: "t", False: "f"}.__getitem__
        if kind in ("CharField", "TextField", "SlugField"):
            return _esc_str
        if kind in INTEGER_FIELDS:
            return str
        return copy_text

    def template(self, *names):
        """A ``%`` format string of one line: ``names``, listed in the table's column order, are its
        ``%s`` fields (values given as COPY text); every other column holds its escaped default.
        (``%`` with a tuple is about twice as fast as ``str.format`` with as many arguments.)"""
        unknown = set(names) - set(self.index)
        if unknown:
            raise ValueError(f"{self.table} has no column(s) {sorted(unknown)}")
        if [self.index[name] for name in names] != sorted(self.index[name] for name in names):
            raise ValueError(f"{self.table}: list the columns in this order: {sorted(names, key=self.index.get)}")
        parts = ["%s" if f.attname in names else default.replace("%", "%%")
                 for f, default in zip(self.fields, self.defaults, strict=True)]
        return "\t".join(parts) + "\n"

    def add_row(self, row):
        """One row from a dict of typed values (unknown keys raise KeyError)."""
        values = self.defaults.copy()
        index, converters = self.index, self.converters
        for key, value in row.items():
            i = index[key]
            values[i] = NULL if value is None else converters[i](value)
        self.append("\t".join(values) + "\n")

    def flush(self, sink):
        if self.lines:
            sink(self, self.lines)
            self.count += len(self.lines)
            self.lines.clear()  # the same list: ``append`` stays bound to it


class _LinesReader:
    """A file-like view of a list of lines for ``copy_expert``: no single huge string is built."""

    def __init__(self, lines):
        self.lines = lines
        self.position = 0

    def read(self, size=-1):
        lines, start = self.lines, self.position
        if size is None or size < 0:
            self.position = len(lines)
            return "".join(lines[start:])
        taken, end = 0, start
        while end < len(lines) and taken < size:
            taken += len(lines[end])
            end += 1
        self.position = end
        return "".join(lines[start:end])


def _copy_sink(writer, lines):
    columns = ", ".join(connection.ops.quote_name(c) for c in writer.columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(writer.table)} ({columns}) FROM STDIN",
                                  _LinesReader(lines), size=STREAM_READ_SIZE)


def _insert_sink(writer, lines):
    """The same lines as INSERTs (databases without COPY): parse each value back into its field."""
    prepared = []
    for line in lines:
        values = []
        for f, raw in zip(writer.fields, line.rstrip("\n").split("\t"), strict=True):
            value = _unescape(raw)
            if value is not None:
                value = json.loads(value) if f.get_internal_type() == "JSONField" else f.to_python(value)
            values.append(f.get_db_prep_save(value, connection))
        prepared.append(values)
    columns = ", ".join(connection.ops.quote_name(c) for c in writer.columns)
    marks = ", ".join(["%s"] * len(writer.columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {connection.ops.quote_name(writer.table)} ({columns}) VALUES ({marks})", prepared)


# --- dropping and recreating indexes around a bulk load (PostgreSQL) ---------------------------

def _drop_secondary_indexes(tables, *, foreign_keys):
    """Drop unique (and, with ``foreign_keys``, foreign-key) constraints and non-primary indexes;
    return the SQL that recreates them."""
    kinds = ["u", "f"] if foreign_keys else ["u"]
    recreate_indexes, recreate_constraints = [], []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = ANY(%s)", [table, kinds])
            for name, definition in cursor.fetchall():
                recreate_constraints.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)", [table])
            for name, definition in cursor.fetchall():
                recreate_indexes.append(definition)
                cursor.execute(f'DROP INDEX "{name}"')
    # Indexes first: the unique constraints then find nothing to rebuild twice, and the foreign
    # keys validate against indexed primary keys.
    return recreate_indexes + recreate_constraints


def _run_sql(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _reset_sequences(models):
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(_NoStyle(), models):
            cursor.execute(sql)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def _next_id(model):
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _may_skip_triggers():
    """Whether this role may set session_replication_role (superuser, PostgreSQL)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


# --- reference data ------------------------------------------------------------------------------

@dataclass
class Reference:
    services: list = field(default_factory=list)  # (id, office_id, completion_days, prefix)
    categories: list = field(default_factory=list)  # (id, follow_up_days, office_id, title, description)
    kelurahan: list = field(default_factory=list)  # ids
    nik_prefixes: list = field(default_factory=list)
    clerks: dict = field(default_factory=dict)  # office_id -> [user ids]
    verifiers: list = field(default_factory=list)
    office_labels: dict = field(default_factory=dict)  # office_id -> short name (COPY text)
    desk_office_id: int | None = None


def _reference():
    from kupang_portal.organization.models import Kecamatan, Kelurahan, Office
    from layanan.models import Service
    from pengaduan import app_settings
    from pengaduan.models import Category, RoutingRule

    ref = Reference()
    ref.services = list(Service.objects.filter(is_published=True).values_list("id", "office_id", "completion_days", "number_prefix"))
    citywide = dict(RoutingRule.objects.filter(kecamatan__isnull=True, is_active=True).values_list("category_id", "office_id"))
    desk = Office.objects.filter(code=app_settings.desk_office_code()).first()
    if not ref.services or desk is None:
        raise RuntimeError("Reference data (services, offices) is missing: run migrate first.")
    ref.desk_office_id = desk.pk
    ref.categories = [(cid, days, citywide.get(cid, desk.pk), _esc_str(f"Laporan {name}"[:150]),
                       _esc_str(f"Laporan uji tentang {name.lower()}."))
                      for cid, days, name in Category.objects.filter(is_active=True).values_list("id", "follow_up_days", "name")]
    ref.kelurahan = list(Kelurahan.objects.values_list("id", flat=True))
    ref.nik_prefixes = list(Kecamatan.objects.values_list("nik_prefix", flat=True)) or ["537101"]
    ref.office_labels = {pk: _esc_str(name) for pk, name in Office.objects.values_list("id", "short_name")}
    _staff(ref, {s[1] for s in ref.services} | {c[2] for c in ref.categories}, desk)
    return ref


def _staff(ref, offices, desk):
    """Clerks of every office that owns cases, and the complaint desk's verifiers (created if none)."""
    from django.contrib.auth.models import Group

    from kupang_portal.accounts.models import OfficeMembership, User
    from kupang_portal.accounts.roles import GROUP_NAMES, Role

    for office_id, user_id in OfficeMembership.objects.filter(
            is_active=True, role=Role.CLERK, office_id__in=offices, user__is_active=True).values_list("office_id", "user_id"):
        ref.clerks.setdefault(office_id, []).append(user_id)
    clerk_group = Group.objects.filter(name=GROUP_NAMES[Role.CLERK]).first()
    for office_id in sorted(offices):
        if ref.clerks.get(office_id):
            continue
        for i in range(1, 3):
            user, _ = User.objects.get_or_create(
                username=f"{GENERATED_PREFIX}.petugas.{office_id}.{i}",
                defaults={"is_staff": True, "first_name": "Petugas", "last_name": f"Uji {i}", "password": "!"})
            if clerk_group:
                user.groups.add(clerk_group)
            OfficeMembership.objects.get_or_create(user=user, office_id=office_id, role=Role.CLERK)
            ref.clerks.setdefault(office_id, []).append(user.pk)
    ref.verifiers = list(User.objects.filter(groups__name=GROUP_NAMES[Role.VERIFIER], is_active=True).values_list("pk", flat=True))
    if not ref.verifiers:
        user, _ = User.objects.get_or_create(username=f"{GENERATED_PREFIX}.verifikator", defaults={"is_staff": True, "password": "!"})
        group = Group.objects.filter(name=GROUP_NAMES[Role.VERIFIER]).first()
        if group:
            user.groups.add(group)
        OfficeMembership.objects.get_or_create(user=user, office_id=desk.pk, role=Role.VERIFIER)
        ref.verifiers = [user.pk]


# --- the history steps (transition, label, from state, to state), as the workflows name them -----

RESIDENT = "Pemohon/pelapor"
ANONYMOUS = "Pelapor (anonim)"
SYSTEM = "Sistem"
VERIFIER = "Verifikator"
REVISION_NOTE = "Berkas kurang jelas"
REJECTION = "Persyaratan tidak sesuai"
RESPONSE_TEXT = "Laporan sudah ditindaklanjuti oleh petugas di lapangan."
SKM_SCORES = (2, 3, 3, 3, 4, 4)
RATINGS = (1, 2, 3, 3, 4, 4, 4, 5, 5, 5)
HOUR = 3600
OFFICE_OPENS = 8 * HOUR
OFFICE_HOURS = 8 * HOUR

A_SUBMIT = ("submit", "Ajukan permohonan", "draft", "submitted")
A_WITHDRAW = ("withdraw", "Batalkan permohonan", "submitted", "withdrawn")
A_VERIFY = ("verify", "Verifikasi berkas", "submitted", "verified")
A_REVISION = ("request_revision", "Minta perbaikan", "verified", "needs_revision")
A_RESUBMIT = ("resubmit", "Kirim perbaikan", "needs_revision", "submitted")
A_REJECT = ("reject", "Tolak", "verified", "rejected")
A_PROCESS = ("process", "Proses", "verified", "in_process")
A_COMPLETE = ("complete", "Selesaikan", "in_process", "completed")

C_SUBMIT = ("submit", "Pengaduan disampaikan", "", "submitted")
C_ROUTE = ("route", "Rute otomatis: usulan OPD", "submitted", "submitted")
C_REJECT = ("reject", "Tolak laporan", "submitted", "rejected")
C_DISPOSE = ("dispose", "Verifikasi dan teruskan (disposisi)", "submitted", "disposed")
C_START = ("start", "Terima dan mulai tindak lanjut", "disposed", "in_progress")
C_RESPOND = ("respond", "Kirim tanggapan (tindak lanjut)", "in_progress", "responded")
C_REOPEN = ("reopen", "Dibuka kembali oleh pelapor", "responded", "in_progress")
C_CLOSE = ("close", "Tutup pengaduan (selesai)", "responded", "closed")
C_AUTOCLOSE = ("autoclose", "Ditutup otomatis: 10 hari kerja tanpa balasan", "responded", "closed")


@dataclass(slots=True)
class _Complaint:
    """What the stages of one complaint's life share."""

    row: dict
    reporter: object  # COPY text of the reporter's id (NULL when anonymous)
    reporter_label: str
    staff: tuple  # (clerk id, office label, office id): the actor of the office's steps
    follow_up: int
    responses: list = field(default_factory=list)
    rating: tuple | None = None


class Generator:
    """One run of the generator. ``run()`` returns a dict of rows written per table and timings."""

    def __init__(self, cases, *, years=2, end=None, seed=9, complaint_share=0.35, residents=None,
                 bulk_indexes=None, stdout=None):
        self.cases = int(cases)
        self.years = years
        self.end = end or timezone.now()
        rng = random.Random(seed)
        self.random = rand = rng.random

        def choice(items):  # random.choice without its bit-by-bit draw: twice as fast, as uniform
            return items[int(rand() * len(items))]

        self.choice = choice
        # Tokens must differ between runs on the same database (unique columns), whatever the seed.
        self.tokens = random.Random(secrets.randbits(64))
        self.complaint_share = complaint_share
        self.residents = residents or max(20, min(50_000, self.cases // 20))
        self.is_postgres = connection.vendor == "postgresql"
        self.bulk_indexes = (self.is_postgres and self.cases >= BULK_INDEX_THRESHOLD) if bulk_indexes is None else (
            bulk_indexes and self.is_postgres)
        self.stdout = stdout

    def randint(self, a, b):
        """``random.randint`` without its argument checks (this generator calls it millions of times)."""
        return a + int(self.random() * (b - a + 1))

    def run(self):
        from kupang_portal.accounts.models import User
        from kupang_portal.workflow.models import CaseEvent
        from layanan.models import Application
        from layanan.skm import SurveyResponse
        from pengaduan.models import Complaint, ComplaintResponse

        started = time.monotonic()
        ref = _reference()
        self._setup(User, Application, Complaint, CaseEvent, ComplaintResponse, SurveyResponse)
        writers = self.writers
        tables = [w.table for w in writers.values()]
        sink = _copy_sink if self.is_postgres else _insert_sink
        with transaction.atomic(), self._session_settings() as skip_triggers:
            recreate = _drop_secondary_indexes(tables, foreign_keys=not skip_triggers) if self.bulk_indexes else []
            load_started = time.monotonic()
            residents = self._residents(ref)
            self._flush(sink)
            n_complaints = int(round(self.cases * self.complaint_share))
            n_apps = self.cases - n_complaints
            for make, count in ((self._application, n_apps), (self._complaint, n_complaints)):
                for first in range(0, count, BATCH_CASES):
                    for _ in range(min(BATCH_CASES, count - first)):
                        make(ref, residents)
                    self._flush(sink)
            load_seconds = time.monotonic() - load_started
            index_started = time.monotonic()
            _run_sql(recreate)
            index_seconds = time.monotonic() - index_started
            self._save_sequences(list(writers))
        if self.is_postgres:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f'ANALYZE "{table}"')
        seconds = time.monotonic() - started
        rows = {w.table: w.count for w in writers.values()}
        total = sum(rows.values())
        return {"cases": self.cases, "applications": n_apps, "complaints": n_complaints, "rows": rows,
                "total_rows": total, "seconds": seconds, "load_seconds": load_seconds, "index_seconds": index_seconds,
                "rows_per_second": total / seconds if seconds else 0.0, "bulk_indexes": self.bulk_indexes,
                "foreign_key_triggers": "skipped" if skip_triggers else "checked"}

    def _setup(self, user, application, complaint, case_event, complaint_response, survey_response):
        from kupang_portal.workflow import numbering
        from pengaduan import app_settings as complaint_settings

        end_day = timezone.localtime(self.end).date()
        self.span = int(365 * self.years)
        self.clock = clock = Clock(end_day - dt.timedelta(days=self.span), end_day)
        self.end_t = int(self.end.timestamp())
        self.end_day = clock.day(self.end_t)
        self.writers = {m: TableWriter(m, clock) for m in (user, application, complaint, case_event, complaint_response,
                                                            survey_response)}
        self.ids = {m: itertools.count(_next_id(m)) for m in self.writers}
        self.next_application = self.ids[application].__next__
        self.next_complaint = self.ids[complaint].__next__
        self.add_application = self.writers[application].add_row
        self.add_complaint = self.writers[complaint].add_row
        self.application_event = self._event_writer(self.writers[case_event], ContentType.objects.get_for_model(application).pk)
        self.complaint_event = self._event_writer(self.writers[case_event], ContentType.objects.get_for_model(complaint).pk)
        self.user_writer = self.writers[user]
        self.survey_writer = writer = self.writers[survey_response]
        self.survey_line = writer.template("id", "token", "application_id", "service_id", "office_id", "invited_at",
                                           "submitted_at", "answers")
        self.response_writer = writer = self.writers[complaint_response]
        self.response_line = writer.template("id", "complaint_id", "office_id", "text", "created_at", "rating",
                                             "rated_at")
        self.complaint_prefix = complaint_settings.number_prefix()
        # The last number drawn per prefix and year (counter rows; on PostgreSQL also the sequences
        # live submissions draw from): generated numbers follow them and never collide.
        self.sequences = numbering.last_values()

    @contextlib.contextmanager
    def _session_settings(self):
        """Settings for the load, undone after it (``set_config(..., true)`` is ``SET LOCAL``, which
        alone would outlive the load when the generator runs inside a caller's transaction, as in
        the tests). Yields whether the foreign-key triggers are skipped."""
        if not self.is_postgres:
            yield False
            return
        settings_ = {"synchronous_commit": "off", "maintenance_work_mem": "512MB"}
        skip = _may_skip_triggers()
        if skip:
            # Only ids read from the reference tables or numbered by this run in this transaction
            # are written, so every foreign key holds by construction (and the tests check it).
            settings_["session_replication_role"] = "replica"
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(settings_)), list(settings_))
            previous = dict(zip(settings_, cursor.fetchone(), strict=True))
            for name, value in settings_.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield skip
        with connection.cursor() as cursor:
            for name, value in previous.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])

    def _flush(self, sink):
        for writer in self.writers.values():
            writer.flush(sink)

    def _save_sequences(self, models):
        from kupang_portal.workflow import numbering

        numbering.set_last_values(self.sequences)  # live numbers continue after the generated ones
        if self.is_postgres:
            _reset_sequences(models)

    def _event_writer(self, writer, content_type_id):
        line = writer.template("id", "content_type_id", "object_id", "transition", "transition_label", "from_state",
                               "to_state", "actor_id", "actor_label", "actor_office_id", "from_office_id", "to_office_id",
                               "note", "is_public", "created_at")
        append, next_id, text = writer.append, self.ids[writer.model].__next__, self.clock.text

        def event(object_id, step, when, actor=NULL, label=SYSTEM, office=NULL, note="", from_office=NULL, to_office=NULL):
            append(line % (next_id(), content_type_id, object_id, *step, actor, label, office, from_office, to_office,
                           note, "t", text(when)))

        return event

    # --- residents ------------------------------------------------------------------------------

    def _residents(self, ref):
        writer = self.user_writer
        line = writer.template("id", "password", "is_superuser", "username", "first_name", "last_name", "is_staff",
                               "is_active", "date_joined")
        next_id, append, choice, randint = self.ids[writer.model].__next__, writer.append, self.choice, self.randint
        run = f"{self.tokens.getrandbits(24):06x}"
        joined = self.clock.text(self.end_t - (self.span + 30) * DAY)
        made = []
        for i in range(self.residents):
            pk = next_id()
            append(line % (pk, "!", "f", f"{GENERATED_PREFIX}-{run}-{i}", "Warga", f"Uji {i}", "f", "t", joined))
            nik = f"{choice(ref.nik_prefixes)}{randint(1, 28):02d}{randint(1, 12):02d}{randint(60, 99):02d}{randint(1, 9999):04d}"
            made.append((pk, nik))
        return made

    # --- shared helpers ---------------------------------------------------------------------------

    def _submitted_at(self):
        """A submission time: mostly office hours, some evenings (crossing midnight UTC), some weekends."""
        rand = self.random
        # Slightly more cases in recent months (a portal grows).
        day = self.end_day - int(self.span * (rand() ** 0.85))
        roll = rand()
        if roll < 0.04:
            seconds = 23 * HOUR + int(rand() * HOUR)  # 23:xx WITA = 15:xx UTC, next day in WITA terms
        elif roll < 0.08:
            seconds = int(rand() * 7) * HOUR + int(rand() * 60) * 60  # after midnight WITA: previous day in UTC
        else:
            seconds = OFFICE_OPENS + int(rand() * OFFICE_HOURS)
        return min(self.clock.at(day, seconds), self.end_t - 300)

    def _office_time(self, day, after):
        """A time during office hours (08:00-16:00 WITA) on ``day``, after ``after``."""
        moment = self.clock.at(day, OFFICE_OPENS + int(self.random() * OFFICE_HOURS))
        if moment <= after:
            moment = after + self.randint(5, 240) * 60
        return moment

    def _number(self, prefix, when):
        key = f"{prefix}-{self.clock.year(when)}"
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = value
        return f"{key}-{value:06d}"

    def _uuid(self):
        return f"{self.tokens.getrandbits(128):032x}"

    # --- applications -----------------------------------------------------------------------------

    def _application(self, ref, residents):
        rand, randint, clock = self.random, self.randint, self.clock
        service_id, office_id, std, prefix = self.choice(ref.services)
        applicant_id, nik = self.choice(residents)
        pk = self.next_application()
        t0 = self._submitted_at()
        staff = (self.choice(ref.clerks[office_id]), ref.office_labels.get(office_id, "Petugas"), office_id)
        roll = rand()
        outcome = "completed" if roll < 0.84 else ("rejected" if roll < 0.93 else "withdrawn")
        if rand() < 0.015:  # forgotten
            taken = std * randint(4, 10) + randint(1, 5)
        elif rand() < 0.85:
            taken = randint(0, max(0, std))
        else:
            taken = randint(std + 1, 3 * std + 1)
        paused = randint(1, 5) if rand() < 0.15 and outcome != "withdrawn" else 0
        day0 = clock.day(t0)
        response_day = clock.add(day0, 1 if rand() < 0.6 else 0)
        first_response = self._office_time(response_day, after=t0)
        if outcome == "withdrawn":
            taken = randint(0, 2)
        closed_at = self._office_time(clock.add(day0, taken + paused), after=max(t0, first_response))
        times = {"submitted": t0, "response_day": response_day, "first_response": first_response, "closed": closed_at}
        if paused:
            ask = self._office_time(response_day, after=first_response)
            back = clock.at(clock.add(response_day, paused), 9 * HOUR + randint(0, 59) * 60)
            times.update(ask=ask, back=back)
            # Never closed before the corrected file came back and was verified again.
            closed_at = times["closed"] = max(closed_at, back + 1800 + randint(5, 240) * 60)
        row = {
            "id": pk, "number": self._number(prefix, t0), "service_id": service_id, "applicant_id": applicant_id,
            "applicant_name": f"Pemohon Uji {applicant_id}", "applicant_nik": nik, "phone": "",
            "form_token": self._uuid(), "office_id": office_id, "created_at": t0 - randint(3, 60) * 60,
            "submitted_at": t0, "version": 0, "assignee_id": staff[0] if rand() < 0.92 else None,
            "paused_working_days": 0, "deadline": clock.deadline_after(t0, std + paused),
        }
        self.application_event(pk, A_SUBMIT, t0, applicant_id, RESIDENT)
        if closed_at <= self.end_t:
            self._closed_application(row, outcome, paused, times, staff)
        else:
            self._open_application(row, std, paused, times, staff)
        self.add_application(row)

    def _revision_events(self, row, times, staff):
        ev, pk = self.application_event, row["id"]
        ev(pk, A_REVISION, times["ask"], *staff, REVISION_NOTE)
        ev(pk, A_RESUBMIT, times["back"], row["applicant_id"], RESIDENT)
        ev(pk, A_VERIFY, times["back"] + 1800, *staff)
        return times["back"] + 1800

    def _closed_application(self, row, outcome, paused, times, staff):
        ev, pk, closed_at = self.application_event, row["id"], times["closed"]
        # What lifecycle.close computes from the actual times (a weekend or late-evening submission
        # moves the first counted day).
        row.update(is_open=False, closed_at=closed_at, updated_at=closed_at, paused_working_days=paused,
                   working_days_taken=max(0, self.clock.between(times["submitted"], closed_at) - paused),
                   closed_on_time=closed_at <= row["deadline"], status=outcome)
        if outcome == "withdrawn":
            ev(pk, A_WITHDRAW, closed_at, row["applicant_id"], RESIDENT)
            return
        row["first_response_at"] = verified = times["first_response"]
        ev(pk, A_VERIFY, verified, *staff)
        if paused:
            verified = self._revision_events(row, times, staff)
        if outcome == "rejected":
            row["rejection_reason"] = REJECTION
            ev(pk, A_REJECT, closed_at, *staff, REJECTION)
            return
        ev(pk, A_PROCESS, max(closed_at - self.randint(10, 120) * 60, verified), *staff)
        ev(pk, A_COMPLETE, closed_at, *staff)
        row["completed_at"] = closed_at
        self._survey(pk, row["service_id"], row["office_id"], closed_at)

    def _open_application(self, row, std, paused, times, staff):
        """Still open at ``end``: where is it now?"""
        ev, pk, end = self.application_event, row["id"], self.end_t
        first_response = times["first_response"]
        row.update(is_open=True, updated_at=times["submitted"], status="submitted")
        if first_response > end:
            return
        row.update(first_response_at=first_response, updated_at=first_response, status="verified")
        ev(pk, A_VERIFY, first_response, *staff)
        if paused and times["ask"] <= end < times["back"] + 1800:
            row.update(status="needs_revision", sla_paused_at=times["ask"], sla_remaining_days=max(0, std - 1),
                       revision_reason=REVISION_NOTE, updated_at=times["ask"])
            ev(pk, A_REVISION, times["ask"], *staff, REVISION_NOTE)
            return
        last = first_response
        if paused and times["back"] + 1800 <= end:
            row["paused_working_days"] = paused
            last = self._revision_events(row, times, staff)
        if self.random() < 0.6 and last + 1200 <= end:
            row["status"] = "in_process"
            last += 1200
            ev(pk, A_PROCESS, last, *staff)
        row["updated_at"] = last

    def _survey(self, application_id, service_id, office_id, closed_at):
        writer = self.survey_writer
        pk = next(self.ids[writer.model])
        submitted = closed_at + self.randint(1, 72) * HOUR if self.random() < 0.4 else None
        if submitted is not None and submitted > self.end_t:
            submitted = None
        if submitted is None:
            answers, submitted_text = "{}", NULL
        else:
            rand = self.random
            answers = "{" + ",".join([f'"U{i}":{SKM_SCORES[int(rand() * 6)]}' for i in range(1, 10)]) + "}"
            submitted_text = self.clock.text(submitted)
        writer.append(self.survey_line % (pk, f"{GENERATED_PREFIX}{pk}{self.tokens.getrandbits(96):024x}", application_id,
                                          service_id, office_id, self.clock.text(closed_at), submitted_text, answers))

    # --- complaints -------------------------------------------------------------------------------

    def _complaint(self, ref, residents):
        rand, randint, clock, end = self.random, self.randint, self.clock, self.end_t
        category_id, category_days, routed_office, title, description = self.choice(ref.categories)
        pk = self.next_complaint()
        t0 = self._submitted_at()
        roll = rand()
        kind = "pengaduan" if roll < 0.75 else ("aspirasi" if roll < 0.90 else "informasi")
        follow_up = {"informasi": 5, "aspirasi": 14}.get(kind) or category_days
        anonymous = rand() < 0.1
        reporter = None if anonymous else self.choice(residents)[0]
        case = _Complaint(
            row={"id": pk, "number": self._number(self.complaint_prefix, t0), "kind": kind, "reporter_id": reporter,
                 "is_anonymous": anonymous, "is_confidential": rand() < 0.1,
                 "channel": "open311" if rand() < 0.15 else "web", "category_id": category_id, "title": title,
                 "description": description, "kelurahan_id": self.choice(ref.kelurahan), "created_at": t0,
                 "submitted_at": t0, "updated_at": t0, "proposed_office_id": routed_office, "routed_at": t0 + 60,
                 "follow_up_days": follow_up, "office_id": ref.desk_office_id, "version": 0, "reopen_count": 0,
                 "is_open": True, "deadline": clock.deadline_after(t0, 3), "paused_working_days": 0,
                 "status": "submitted"},
            reporter=NULL if reporter is None else reporter, reporter_label=ANONYMOUS if anonymous else RESIDENT,
            staff=(self.choice(ref.clerks.get(routed_office) or ref.verifiers),
                   ref.office_labels.get(routed_office, "Petugas"), routed_office),
            follow_up=follow_up)
        self.complaint_event(pk, C_SUBMIT, t0, case.reporter, case.reporter_label)
        self.complaint_event(pk, C_ROUTE, t0 + 60)
        forgotten = rand() < 0.015
        verify_days = randint(20, 60) if forgotten else (randint(0, 3) if rand() < 0.88 else randint(4, 8))
        disposed_at = self._office_time(clock.add(clock.day(t0), verify_days), after=t0)
        if disposed_at <= end:
            verifier = self.choice(ref.verifiers)
            if rand() < 0.08:
                self._reject_complaint(case, disposed_at, verifier)
            else:
                self._dispose_complaint(case, disposed_at, verifier, ref.desk_office_id)
                self._follow_up(case, disposed_at, forgotten)
        self._responses(case)
        self.add_complaint(case.row)

    def _reject_complaint(self, case, when, verifier):
        case.row.update(status="rejected", is_open=False, first_response_at=when, closed_at=when, deadline=None,
                        updated_at=when, reject_reason="bukan_pengaduan",
                        working_days_taken=self.clock.between(case.row["submitted_at"], when))
        self.complaint_event(case.row["id"], C_REJECT, when, verifier, VERIFIER)

    def _dispose_complaint(self, case, when, verifier, desk):
        office = case.staff[2]
        case.row.update(status="disposed", office_id=office, first_response_at=when, disposed_at=when,
                        deadline=self.clock.deadline_after(when, case.follow_up), updated_at=when)
        self.complaint_event(case.row["id"], C_DISPOSE, when, verifier, VERIFIER, NULL, "", desk, office)

    def _follow_up(self, case, disposed_at, forgotten):
        """The office's part: start, respond (again after a reopening), then the closing."""
        clock, randint, end, row = self.clock, self.randint, self.end_t, case.row
        started = self._office_time(clock.add(clock.day(disposed_at), randint(0, 1)), after=disposed_at)
        if started > end:
            return
        row.update(status="in_progress", assignee_id=case.staff[0] if self.random() < 0.9 else None, updated_at=started)
        self.complaint_event(row["id"], C_START, started, *case.staff)
        follow_up = case.follow_up
        if forgotten:
            respond_days = follow_up * randint(3, 6)
        elif self.random() < 0.85:
            respond_days = randint(1, follow_up)
        else:
            respond_days = randint(follow_up + 1, 2 * follow_up + 1)
        if not self._respond(case, self._office_time(clock.add(clock.day(disposed_at), respond_days), after=started)):
            return
        if self.random() < 0.06 and not self._reopen(case):
            return
        self._close_complaint(case)

    def _respond(self, case, when):
        """The office answers at ``when`` (if that is before ``end``)."""
        if when > self.end_t:
            return False
        case.responses.append(when)
        self.complaint_event(case.row["id"], C_RESPOND, when, *case.staff)
        case.row.update(status="responded", responded_at=when, deadline=self.clock.deadline_after(when, 10), updated_at=when)
        return True

    def _reopen(self, case):
        """The reporter reopens; returns whether the office answered again before ``end``."""
        clock, row, last = self.clock, case.row, case.responses[-1]
        reopened = self._office_time(clock.add(clock.day(last), self.randint(1, 4)), after=last)
        if reopened > self.end_t:
            return True  # not reopened (yet): the closing may still come
        row.update(reopen_count=1, status="in_progress", deadline=clock.deadline_after(reopened, case.follow_up),
                   updated_at=reopened)
        self.complaint_event(row["id"], C_REOPEN, reopened, case.reporter, case.reporter_label, NULL,
                             "Belum selesai di lapangan")
        again = self._office_time(clock.add(clock.day(reopened), self.randint(1, case.follow_up)), after=reopened)
        return self._respond(case, again)

    def _close_complaint(self, case):
        clock, row, last = self.clock, case.row, case.responses[-1]
        by_reporter = self.random() < 0.3
        if by_reporter:
            closed = self._office_time(clock.add(clock.day(last), self.randint(1, 5)), after=last)
        else:
            closed = clock.at(clock.add(clock.day(last), 10), 9 * HOUR + 15 * 60)
        if closed > self.end_t:
            return
        row.update(status="closed", is_open=False, closed_at=closed, deadline=None, updated_at=closed,
                   working_days_taken=clock.between(row["submitted_at"], closed))
        if by_reporter:
            self.complaint_event(row["id"], C_CLOSE, closed, case.reporter, case.reporter_label)
        else:
            self.complaint_event(row["id"], C_AUTOCLOSE, closed)
        if self.random() < 0.55:
            case.rating = (self.choice(RATINGS), min(closed, last + self.randint(2, 48) * HOUR))

    def _responses(self, case):
        if not case.responses:
            return
        writer = self.response_writer
        text, next_id, last = self.clock.text, self.ids[writer.model].__next__, len(case.responses) - 1
        for i, when in enumerate(case.responses):
            rating, rated_at = (case.rating[0], text(case.rating[1])) if (case.rating and i == last) else (NULL, NULL)
            writer.append(self.response_line % (next_id(), case.row["id"], case.staff[2], RESPONSE_TEXT, text(when),
                                                rating, rated_at))


def generate(cases, **options):
    """Generate ``cases`` cases; see ``Generator``. Returns the run's statistics."""
    return Generator(cases, **options).run()
