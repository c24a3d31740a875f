"""The one data generator for benchmarks and large-data tests: realistic cases in the real tables.

``generate(cases=N)`` writes N cases (applications and complaints, about 65 % / 35 %) spread over
the last ``years`` years up to ``end``, for every published service and complaint category, every
office that owns them and every kelurahan, in every status, with the lifecycle columns the engine
would have written (submitted, first response, closed, paused and taken working days, on time),
their history rows (``CaseEvent``), complaint responses with ratings and SKM survey answers. It
also creates the residents who own them and a few clerks per office when an office has none.

How it stays fast: rows are produced as text and loaded with PostgreSQL ``COPY`` in dependency
order (users, then cases, then events, responses and surveys) inside one transaction. For large
loads (``bulk_indexes``, default from 50,000 cases) the secondary indexes, unique and foreign-key
constraints of the loaded tables are dropped first and recreated after the load (building an
index once is far cheaper than maintaining it row by row; foreign-key triggers cost more than
half of a plain COPY). On other databases (SQLite in ``make test``) the same rows go through
``executemany`` INSERTs, so the tests exercise the very same generator.

Dates follow the one working-day calendar (through ``WorkdayTable``): a completed application's
``working_days_taken`` is exactly what ``workflow.lifecycle.close`` would compute. Some cases are
submitted late in the evening (WITA), so they cross midnight in UTC, and a small share is
"forgotten" (open long past the deadline), as in real queues.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import secrets
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from kupang_portal.organization import calendar

from .workdays import WorkdayTable

UTC = dt.timezone.utc
COPY_CHUNK_ROWS = 50_000
BULK_INDEX_THRESHOLD = 50_000
GENERATED_PREFIX = "gen"


def _esc_str(value):
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


_ESC = {
    str: _esc_str, int: str, bool: lambda v: "t" if v else "f", type(None): lambda v: r"\N",
    dt.datetime: dt.datetime.isoformat, dt.date: dt.date.isoformat, uuid.UUID: str,
    dict: lambda v: _esc_str(json.dumps(v, separators=(",", ":"))),
    list: lambda v: _esc_str(json.dumps(v, separators=(",", ":"))),
}


def _esc(value):
    """One value in PostgreSQL COPY text format."""
    return _ESC.get(type(value), str)(value)


class TableWriter:
    """Rows for one model's table: every concrete column, defaults for what a row does not set."""

    def __init__(self, model, sink):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.defaults = []
        for f in self.fields:
            default = None
            if f.has_default() and not callable(f.default):
                default = f.default
            elif f.has_default() and f.default in (dict, list):
                default = f.default()
            elif not f.null and f.get_internal_type() in ("CharField", "TextField", "SlugField"):
                default = ""
            self.defaults.append(default)
        self.sink = sink
        self.rows = []
        self.count = 0

    def add(self, values):
        row = list(self.defaults)
        index = self.index
        for key, value in values.items():
            row[index[key]] = value
        self.rows.append(row)
        if len(self.rows) >= COPY_CHUNK_ROWS:
            self.flush()

    def flush(self):
        if self.rows:
            self.sink(self, self.rows)
            self.count += len(self.rows)
            self.rows = []


def _copy_sink(writer, rows):
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join([_esc(v) for v in row]))
        write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(c) for c in writer.columns)
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(writer.table)} ({columns}) FROM STDIN", buffer)


def _insert_sink(writer, rows):
    prepared = [[f.get_db_prep_save(v, connection) for f, v in zip(writer.fields, row, strict=True)] for row in rows]
    columns = ", ".join(connection.ops.quote_name(c) for c in writer.columns)
    marks = ", ".join(["%s"] * len(writer.columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {connection.ops.quote_name(writer.table)} ({columns}) VALUES ({marks})", prepared)


# --- dropping and recreating indexes around a bulk load (PostgreSQL) ---------------------------

def _drop_secondary_indexes(tables):
    """Drop unique/foreign-key constraints and non-primary indexes; return the SQL to recreate them."""
    recreate_indexes, recreate_constraints = [], []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')", [table])
            for name, definition, _kind in cursor.fetchall():
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


# --- the plan of one case ------------------------------------------------------------------------

def _at(day, hour, minute=0, second=0):
    """An aware UTC datetime at a WITA wall-clock time on ``day``."""
    local = dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=calendar.local_tz())
    return local.astimezone(UTC)


@dataclass
class Reference:
    services: list = field(default_factory=list)  # (id, office_id, completion_days, prefix)
    categories: list = field(default_factory=list)  # (id, follow_up_days, office_id, name)
    kelurahan: list = field(default_factory=list)  # (id, kecamatan_id)
    nik_prefixes: list = field(default_factory=list)
    clerks: dict = field(default_factory=dict)  # office_id -> [user ids]
    verifiers: list = field(default_factory=list)
    office_labels: dict = field(default_factory=dict)
    desk_office_id: int | None = None


def _reference(rng, stdout):
    from django.contrib.auth.models import Group

    from kupang_portal.accounts.models import OfficeMembership, User
    from kupang_portal.accounts.roles import GROUP_NAMES, Role
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
    ref.categories = [(cid, days, citywide.get(cid, desk.pk), name)
                      for cid, days, name in Category.objects.filter(is_active=True).values_list("id", "follow_up_days", "name")]
    ref.kelurahan = list(Kelurahan.objects.values_list("id", "kecamatan_id"))
    ref.nik_prefixes = list(Kecamatan.objects.values_list("nik_prefix", flat=True)) or ["537101"]
    ref.office_labels = dict(Office.objects.values_list("id", "short_name"))
    offices = {s[1] for s in ref.services} | {c[2] for c in ref.categories}
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
    return ref


class Generator:
    """One run of the generator. ``run()`` returns a dict of rows written per table and timings."""

    def __init__(self, cases, *, years=2, end=None, seed=9, complaint_share=0.35, residents=None,
                 bulk_indexes=None, stdout=None):
        self.cases = int(cases)
        self.years = years
        self.end = end or timezone.now()
        self.rng = random.Random(seed)
        self.complaint_share = complaint_share
        self.residents = residents or max(20, min(50_000, self.cases // 20))
        self.is_postgres = connection.vendor == "postgresql"
        self.bulk_indexes = (self.is_postgres and self.cases >= BULK_INDEX_THRESHOLD) if bulk_indexes is None else (
            bulk_indexes and self.is_postgres)
        self.stdout = stdout

    def say(self, text):
        if self.stdout is not None:
            self.stdout.write(text)

    def run(self):
        from kupang_portal.accounts.models import User
        from kupang_portal.workflow.models import CaseEvent, NumberSequence
        from layanan.models import Application
        from layanan.skm import SurveyResponse
        from pengaduan import app_settings as complaint_settings
        from pengaduan.models import Complaint, ComplaintResponse

        started = time.monotonic()
        rng = self.rng
        ref = _reference(rng, self.stdout)
        end_local = timezone.localtime(self.end).date()
        first_day = end_local - dt.timedelta(days=int(365 * self.years))
        self.table = WorkdayTable(first_day, end_local)
        sink = _copy_sink if self.is_postgres else _insert_sink
        writers = {m: TableWriter(m, sink) for m in (User, Application, Complaint, CaseEvent, ComplaintResponse, SurveyResponse)}
        ids = {m: _next_id(m) for m in writers}
        self.ct_app = ContentType.objects.get_for_model(Application).pk
        self.ct_complaint = ContentType.objects.get_for_model(Complaint).pk
        self.complaint_prefix = complaint_settings.number_prefix()
        sequences = dict(NumberSequence.objects.values_list("key", "last_value"))
        self.sequences = sequences

        tables = [w.table for w in writers.values()]
        with transaction.atomic():
            if self.is_postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
            recreate = _drop_secondary_indexes(tables) if self.bulk_indexes else []
            load_started = time.monotonic()
            residents = self._residents(writers[User], ids, ref)
            writers[User].flush()
            n_complaints = int(round(self.cases * self.complaint_share))
            n_apps = self.cases - n_complaints
            for _ in range(n_apps):
                self._application(writers, ids, ref, residents)
            for _ in range(n_complaints):
                self._complaint(writers, ids, ref, residents)
            for writer in writers.values():
                writer.flush()
            load_seconds = time.monotonic() - load_started
            index_started = time.monotonic()
            _run_sql(recreate)
            index_seconds = time.monotonic() - index_started
            for key, value in sequences.items():
                obj, _ = NumberSequence.objects.get_or_create(key=key)
                if obj.last_value < value:
                    NumberSequence.objects.filter(pk=obj.pk).update(last_value=value)
            if self.is_postgres:
                _reset_sequences(list(writers))
        if self.is_postgres:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f'ANALYZE "{table}"')
        seconds = time.monotonic() - started
        rows = {w.table: w.count for w in writers.values()}
        total = sum(rows.values())
        return {"cases": self.cases, "applications": n_apps, "complaints": n_complaints, "rows": rows,
                "total_rows": total, "seconds": seconds, "load_seconds": load_seconds, "index_seconds": index_seconds,
                "rows_per_second": total / seconds if seconds else 0.0, "bulk_indexes": self.bulk_indexes}

    # --- residents ------------------------------------------------------------------------------

    def _residents(self, writer, ids, ref):
        rng = self.rng
        run = secrets.token_hex(3)
        made = []
        joined = self.end - dt.timedelta(days=int(365 * self.years) + 30)
        for i in range(self.residents):
            pk = ids[writer.model]
            ids[writer.model] += 1
            writer.add({
                "id": pk, "password": "!", "username": f"{GENERATED_PREFIX}-{run}-{i}", "first_name": "Warga",
                "last_name": f"Uji {i}", "email": None, "phone": None, "nik": None, "is_staff": False,
                "is_active": True, "is_superuser": False, "date_joined": joined, "last_login": None,
            })
            nik = f"{rng.choice(ref.nik_prefixes)}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"
            made.append((pk, nik))
        return made

    # --- shared helpers ---------------------------------------------------------------------------

    def _submitted_at(self):
        """A submission time: mostly office hours, some evenings (crossing midnight UTC), some weekends."""
        rng = self.rng
        span = int(365 * self.years)
        # Slightly more cases in recent months (a portal grows).
        offset = int(span * (rng.random() ** 0.85))
        day = timezone.localtime(self.end).date() - dt.timedelta(days=offset)
        roll = rng.random()
        if roll < 0.04:
            moment = _at(day, 23, rng.randint(0, 59), rng.randint(0, 59))  # 23:xx WITA = 15:xx UTC, next day in WITA terms
        elif roll < 0.08:
            moment = _at(day, rng.randint(0, 6), rng.randint(0, 59))  # after midnight WITA: previous day in UTC
        else:
            moment = _at(day, rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59))
        return min(moment, self.end - dt.timedelta(minutes=5))

    def _office_time(self, day, after=None):
        moment = _at(day, self.rng.randint(8, 15), self.rng.randint(0, 59), self.rng.randint(0, 59))
        if after is not None and moment <= after:
            moment = after + dt.timedelta(minutes=self.rng.randint(5, 240))
        return moment

    def _number(self, prefix, when):
        key = f"{prefix}-{timezone.localtime(when).year}"
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = value
        return f"{key}-{value:06d}"

    def _event(self, writers, ids, ct, object_id, name, label, from_state, to_state, when, actor_id=None,
               actor_label="Sistem", actor_office_id=None, from_office_id=None, to_office_id=None, note=""):
        from kupang_portal.workflow.models import CaseEvent

        pk = ids[CaseEvent]
        ids[CaseEvent] += 1
        writers[CaseEvent].add({
            "id": pk, "content_type_id": ct, "object_id": object_id, "transition": name, "transition_label": label,
            "from_state": from_state, "to_state": to_state, "actor_id": actor_id, "actor_label": actor_label,
            "actor_office_id": actor_office_id, "from_office_id": from_office_id, "to_office_id": to_office_id,
            "note": note, "is_public": True, "created_at": when,
        })

    # --- applications -----------------------------------------------------------------------------

    def _application(self, writers, ids, ref, residents):
        from layanan.models import Application

        rng, table, end = self.rng, self.table, self.end
        service_id, office_id, std, prefix = rng.choice(ref.services)
        applicant_id, nik = rng.choice(residents)
        pk = ids[Application]
        ids[Application] += 1
        t0 = self._submitted_at()
        clerk = rng.choice(ref.clerks[office_id])
        label = ref.office_labels.get(office_id, "Petugas")
        ev = lambda *a, **k: self._event(writers, ids, self.ct_app, pk, *a, **k)  # noqa: E731

        roll = rng.random()
        outcome = "completed" if roll < 0.84 else ("rejected" if roll < 0.93 else "withdrawn")
        forgotten = rng.random() < 0.015
        if forgotten:
            taken = std * rng.randint(4, 10) + rng.randint(1, 5)
        elif rng.random() < 0.85:
            taken = rng.randint(0, max(0, std))
        else:
            taken = rng.randint(std + 1, 3 * std + 1)
        paused = rng.randint(1, 5) if rng.random() < 0.15 and outcome != "withdrawn" else 0
        response_day = table.add(t0, 1 if rng.random() < 0.6 else 0)
        first_response = self._office_time(response_day, after=t0)
        if outcome == "withdrawn":
            taken, paused = rng.randint(0, 2), 0
        close_day = table.add(t0, taken + paused)
        closed_at = self._office_time(close_day, after=max(t0, first_response))
        # What lifecycle.close computes from the actual times (a weekend or late-evening submission
        # moves the first counted day).
        taken = max(0, table.between(t0, closed_at) - paused)
        deadline = table.deadline_after(t0, std + paused)
        number = self._number(prefix, t0)
        row = {
            "id": pk, "number": number, "service_id": service_id, "applicant_id": applicant_id,
            "applicant_name": f"Pemohon Uji {applicant_id}", "applicant_nik": nik, "phone": "",
            "form_token": uuid.uuid4(), "office_id": office_id,
            "created_at": t0 - dt.timedelta(minutes=rng.randint(3, 60)), "submitted_at": t0, "version": 0,
            "assignee_id": clerk if rng.random() < 0.92 else None, "paused_working_days": 0,
        }
        ev("submit", "Ajukan permohonan", "draft", "submitted", t0, actor_id=applicant_id, actor_label="Pemohon/pelapor")
        events_done = 1
        if closed_at <= end:
            row.update(is_open=False, closed_at=closed_at, deadline=deadline, updated_at=closed_at,
                       paused_working_days=paused, working_days_taken=taken,
                       closed_on_time=closed_at <= deadline, status=outcome)
            if outcome == "withdrawn":
                ev("withdraw", "Batalkan permohonan", "submitted", "withdrawn", closed_at, actor_id=applicant_id,
                   actor_label="Pemohon/pelapor")
                row["first_response_at"] = None
            else:
                row["first_response_at"] = first_response
                ev("verify", "Verifikasi berkas", "submitted", "verified", first_response, actor_id=clerk,
                   actor_label=label, actor_office_id=office_id)
                if paused:
                    ask = self._office_time(response_day, after=first_response)
                    back = _at(table.add(response_day, paused), 9, rng.randint(0, 59))
                    ev("request_revision", "Minta perbaikan", "verified", "needs_revision", ask, actor_id=clerk,
                       actor_label=label, actor_office_id=office_id, note="Berkas kurang jelas")
                    ev("resubmit", "Kirim perbaikan", "needs_revision", "submitted", back, actor_id=applicant_id,
                       actor_label="Pemohon/pelapor")
                    ev("verify", "Verifikasi berkas", "submitted", "verified", back + dt.timedelta(minutes=30),
                       actor_id=clerk, actor_label=label, actor_office_id=office_id)
                if outcome == "rejected":
                    row["rejection_reason"] = "Persyaratan tidak sesuai"
                    ev("reject", "Tolak", "verified", "rejected", closed_at, actor_id=clerk, actor_label=label,
                       actor_office_id=office_id, note="Persyaratan tidak sesuai")
                else:
                    process_at = closed_at - dt.timedelta(minutes=rng.randint(10, 120))
                    ev("process", "Proses", "verified", "in_process", max(process_at, first_response), actor_id=clerk,
                       actor_label=label, actor_office_id=office_id)
                    ev("complete", "Selesaikan", "in_process", "completed", closed_at, actor_id=clerk, actor_label=label,
                       actor_office_id=office_id)
                    row["completed_at"] = closed_at
                    self._survey(writers, ids, pk, service_id, office_id, closed_at)
        else:
            # Still open at ``end``: where is it now?
            row.update(is_open=True, deadline=deadline, updated_at=t0)
            if first_response > end:
                row["status"] = "submitted"
            else:
                row["first_response_at"] = first_response
                ev("verify", "Verifikasi berkas", "submitted", "verified", first_response, actor_id=clerk,
                   actor_label=label, actor_office_id=office_id)
                pause_start = self._office_time(response_day, after=first_response)
                pause_end = _at(table.add(response_day, paused), 9, 0) if paused else None
                if paused and pause_start <= end < pause_end:
                    row.update(status="needs_revision", sla_paused_at=pause_start,
                               sla_remaining_days=max(0, std - 1), revision_reason="Berkas kurang jelas")
                    ev("request_revision", "Minta perbaikan", "verified", "needs_revision", pause_start, actor_id=clerk,
                       actor_label=label, actor_office_id=office_id, note="Berkas kurang jelas")
                else:
                    if paused and pause_end <= end:
                        row["paused_working_days"] = paused
                    row["status"] = "in_process" if rng.random() < 0.6 else "verified"
                    if row["status"] == "in_process":
                        ev("process", "Proses", "verified", "in_process", first_response + dt.timedelta(minutes=20),
                           actor_id=clerk, actor_label=label, actor_office_id=office_id)
                row["updated_at"] = first_response
        del events_done
        writers[Application].add(row)

    def _survey(self, writers, ids, application_id, service_id, office_id, closed_at):
        from layanan.skm import SurveyResponse

        rng = self.rng
        pk = ids[SurveyResponse]
        ids[SurveyResponse] += 1
        answered = rng.random() < 0.4
        submitted = closed_at + dt.timedelta(hours=rng.randint(1, 72)) if answered else None
        if submitted is not None and submitted > self.end:
            submitted = None
        answers = {f"U{i}": rng.choice((2, 3, 3, 3, 4, 4)) for i in range(1, 10)} if submitted else {}
        writers[SurveyResponse].add({
            "id": pk, "token": f"{GENERATED_PREFIX}{pk}{secrets.token_hex(12)}", "application_id": application_id,
            "service_id": service_id, "office_id": office_id, "invited_at": closed_at, "submitted_at": submitted,
            "answers": answers, "suggestion": "",
        })

    # --- complaints -------------------------------------------------------------------------------

    def _complaint(self, writers, ids, ref, residents):
        from pengaduan.models import Complaint

        rng, table, end = self.rng, self.table, self.end
        category_id, category_days, routed_office, category_name = rng.choice(ref.categories)
        kelurahan_id, _kecamatan = rng.choice(ref.kelurahan)
        pk = ids[Complaint]
        ids[Complaint] += 1
        t0 = self._submitted_at()
        kind = rng.choices(("pengaduan", "aspirasi", "informasi"), (75, 15, 10))[0]
        follow_up = {"informasi": 5, "aspirasi": 14}.get(kind) or category_days
        anonymous = rng.random() < 0.1
        reporter = None if anonymous else rng.choice(residents)[0]
        verifier = rng.choice(ref.verifiers)
        desk = ref.desk_office_id
        office_label = ref.office_labels.get(routed_office, "Petugas")
        clerk = rng.choice(ref.clerks.get(routed_office) or ref.verifiers)
        ev = lambda *a, **k: self._event(writers, ids, self.ct_complaint, pk, *a, **k)  # noqa: E731
        row = {
            "id": pk, "number": self._number(self.complaint_prefix, t0), "kind": kind, "reporter_id": reporter,
            "is_anonymous": anonymous, "is_confidential": rng.random() < 0.1,
            "channel": "open311" if rng.random() < 0.15 else "web", "category_id": category_id,
            "title": f"Laporan {category_name}"[:150], "description": f"Laporan uji tentang {category_name.lower()}.",
            "kelurahan_id": kelurahan_id, "created_at": t0, "submitted_at": t0, "updated_at": t0,
            "proposed_office_id": routed_office, "routed_at": t0 + dt.timedelta(minutes=1),
            "follow_up_days": follow_up, "office_id": desk, "version": 0, "reopen_count": 0, "is_open": True,
            "deadline": table.deadline_after(t0, 3), "paused_working_days": 0,
        }
        reporter_label = "Pelapor (anonim)" if anonymous else "Pemohon/pelapor"
        ev("submit", "Pengaduan disampaikan", "", "submitted", t0, actor_id=reporter, actor_label=reporter_label)
        ev("route", "Rute otomatis: usulan OPD", "submitted", "submitted", t0 + dt.timedelta(minutes=1))
        forgotten = rng.random() < 0.015
        verify_days = rng.randint(0, 3) if rng.random() < 0.88 else rng.randint(4, 8)
        if forgotten:
            verify_days = rng.randint(20, 60)
        disposed_at = self._office_time(table.add(t0, verify_days), after=t0)
        if disposed_at > end:
            row["status"] = "submitted"
            writers[Complaint].add(row)
            return
        row["first_response_at"] = disposed_at
        if rng.random() < 0.08:
            row.update(status="rejected", is_open=False, closed_at=disposed_at, deadline=None, updated_at=disposed_at,
                       reject_reason="bukan_pengaduan", working_days_taken=table.between(t0, disposed_at))
            ev("reject", "Tolak laporan", "submitted", "rejected", disposed_at, actor_id=verifier, actor_label="Verifikator")
            writers[Complaint].add(row)
            return
        row.update(status="disposed", office_id=routed_office, disposed_at=disposed_at,
                   deadline=table.deadline_after(disposed_at, follow_up), updated_at=disposed_at)
        ev("dispose", "Verifikasi dan teruskan (disposisi)", "submitted", "disposed", disposed_at, actor_id=verifier,
           actor_label="Verifikator", from_office_id=desk, to_office_id=routed_office)
        started = self._office_time(table.add(disposed_at, rng.randint(0, 1)), after=disposed_at)
        if started > end:
            writers[Complaint].add(row)
            return
        row.update(status="in_progress", assignee_id=clerk if rng.random() < 0.9 else None, updated_at=started)
        ev("start", "Terima dan mulai tindak lanjut", "disposed", "in_progress", started, actor_id=clerk, actor_label=office_label,
           actor_office_id=routed_office)
        respond_days = rng.randint(1, follow_up) if rng.random() < 0.85 else rng.randint(follow_up + 1, 2 * follow_up + 1)
        if forgotten:
            respond_days = follow_up * rng.randint(3, 6)
        responded = self._office_time(table.add(disposed_at, respond_days), after=started)
        if responded > end:
            writers[Complaint].add(row)
            return
        responses = [responded]
        ev("respond", "Kirim tanggapan (tindak lanjut)", "in_progress", "responded", responded, actor_id=clerk,
           actor_label=office_label, actor_office_id=routed_office)
        row.update(status="responded", responded_at=responded, deadline=table.deadline_after(responded, 10), updated_at=responded)
        if rng.random() < 0.06:
            reopened = self._office_time(table.add(responded, rng.randint(1, 4)), after=responded)
            if reopened <= end:
                row.update(reopen_count=1, status="in_progress", deadline=table.deadline_after(reopened, follow_up), updated_at=reopened)
                ev("reopen", "Dibuka kembali oleh pelapor", "responded", "in_progress", reopened, actor_id=reporter,
                   actor_label=reporter_label, note="Belum selesai di lapangan")
                again = self._office_time(table.add(reopened, rng.randint(1, follow_up)), after=reopened)
                if again > end:
                    self._responses(writers, ids, pk, routed_office, responses, None)
                    writers[Complaint].add(row)
                    return
                responses.append(again)
                ev("respond", "Kirim tanggapan (tindak lanjut)", "in_progress", "responded", again, actor_id=clerk,
                   actor_label=office_label, actor_office_id=routed_office)
                row.update(status="responded", responded_at=again, deadline=table.deadline_after(again, 10), updated_at=again)
        last = responses[-1]
        if rng.random() < 0.3:
            closed = self._office_time(table.add(last, rng.randint(1, 5)), after=last)
            by_reporter = True
        else:
            closed = _at(table.add(last, 10), 9, 15)
            by_reporter = False
        rating = None
        if closed <= end:
            row.update(status="closed", is_open=False, closed_at=closed, deadline=None, updated_at=closed,
                       working_days_taken=table.between(t0, closed))
            if by_reporter:
                ev("close", "Tutup pengaduan (selesai)", "responded", "closed", closed, actor_id=reporter, actor_label=reporter_label)
            else:
                ev("autoclose", "Ditutup otomatis: 10 hari kerja tanpa balasan", "responded", "closed", closed)
            if rng.random() < 0.55:
                rating = (rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 5)), min(closed, last + dt.timedelta(hours=rng.randint(2, 48))))
        self._responses(writers, ids, pk, routed_office, responses, rating)
        writers[Complaint].add(row)

    def _responses(self, writers, ids, complaint_id, office_id, times, rating):
        from pengaduan.models import ComplaintResponse

        for i, when in enumerate(times):
            pk = ids[ComplaintResponse]
            ids[ComplaintResponse] += 1
            last = i == len(times) - 1
            writers[ComplaintResponse].add({
                "id": pk, "complaint_id": complaint_id, "office_id": office_id, "created_at": when,
                "text": "Laporan sudah ditindaklanjuti oleh petugas di lapangan.",
                "rating": rating[0] if (rating and last) else None, "rated_at": rating[1] if (rating and last) else None,
                "rating_comment": "",
            })


def generate(cases, **options):
    """Generate ``cases`` cases; see ``Generator``. Returns the run's statistics."""
    return Generator(cases, **options).run()
