"""Readable case numbers, unique under concurrent submission: PREFIX-YYYY-NNNNNN.

On PostgreSQL each prefix and year draws from its own sequence (``nextval``: never blocks, never
rolled back). The counter row it replaced (``NumberSequence``, one ``INSERT … ON CONFLICT DO
UPDATE … RETURNING``) stayed locked from the draw until the submission committed, so two
submissions to the same service waited for each other (8 % of the bench's submit time). Numbers
were not gapless before either: a rolled back submission leaves a gap.

The counter rows stay: on SQLite (``make run``/``make test`` without PostgreSQL) they are the
counters, and on PostgreSQL a prefix and year's first number creates its sequence starting after
its counter row (numbers drawn before the sequences existed, or written by ``generate_cases``).
``last_values``/``set_last_values`` read and advance both for bulk loads.
"""

import zlib

from django.db import connections, router, transaction
from django.utils import timezone

from .models import NumberSequence

SEQUENCE_PREFIX = "case_number_"


def sequence_name(key):
    """The sequence of ``key`` (``KTP-2026``): reversible, a valid lower-case identifier."""
    return SEQUENCE_PREFIX + key.encode().hex()


def _key_of(name):
    return bytes.fromhex(name[len(SEQUENCE_PREFIX):]).decode()


def _connection():
    return connections[router.db_for_write(NumberSequence)]


def _uses_sequence(connection, key):
    return connection.vendor == "postgresql" and len(sequence_name(key)) <= 63


def next_number(prefix, now=None, width=6):
    """Reserve the next number for ``prefix`` in the current (local) year."""
    year = timezone.localtime(now or timezone.now()).year
    key = f"{prefix}-{year}"
    connection = _connection()
    draw = _next_from_sequence if _uses_sequence(connection, key) else _next_from_counter
    value = draw(connection, key)
    return f"{key}-{value:0{width}d}"


def _next_from_sequence(connection, key):
    name = sequence_name(key)
    with connection.cursor() as cursor:
        # nextval(NULL) is NULL: a missing sequence costs no error (which would abort the transaction).
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        value = cursor.fetchone()[0]
    if value is None:
        value = _create_sequence(connection, key, name)
    return value


def _create_sequence(connection, key, name):
    """The first number of ``key``: create its sequence, starting after its counter row. Two first
    submissions at once: the advisory lock (held until the commit) makes the second wait, and
    its ``IF NOT EXISTS`` then finds the first one's sequence (or creates it, if that one rolled
    back). The sequence is created in the submission's transaction and lives or dies with it."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::int, %s::int)", [_LOCK_CLASS, zlib.crc32(name.encode()) - 2**31])
        cursor.execute(f'SELECT "last_value" FROM {table} WHERE "key" = %s', [key])
        row = cursor.fetchone()
        start = (row[0] if row else 0) + 1
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {connection.ops.quote_name(name)} START WITH {int(start)}")
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        return cursor.fetchone()[0]


_LOCK_CLASS = 0x6B6E  # "kn": the advisory locks of case numbering (first key of the two-key lock)


def _next_from_counter(connection, key):
    """One statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, PostgreSQL and SQLite
    >= 3.35) creates or increments the counter row; its lock is held until the surrounding
    transaction commits, so two submissions never draw the same value."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "last_value") VALUES (%s, 1) '
            f'ON CONFLICT ("key") DO UPDATE SET "last_value" = {table}."last_value" + 1 RETURNING "last_value"',
            [key],
        )
        return cursor.fetchone()[0]


def last_values():
    """{key: the last number drawn} for every prefix and year: its counter row or, on
    PostgreSQL, its sequence, whichever is further."""
    values = dict(NumberSequence.objects.values_list("key", "last_value"))
    connection = _connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sequencename, COALESCE(last_value, start_value - 1) FROM pg_sequences "
                "WHERE schemaname = current_schema() AND sequencename LIKE %s",
                [SEQUENCE_PREFIX.replace("_", r"\_") + "%"],
            )
            for name, value in cursor.fetchall():
                key = _key_of(name)
                values[key] = max(values.get(key, 0), value)
    return values


def set_last_values(values):
    """After numbers were written in bulk (``generate_cases``): the next number of each key
    follows ``values[key]`` (never goes back)."""
    connection = _connection()
    for key, value in values.items():
        obj, _ = NumberSequence.objects.get_or_create(key=key)
        if obj.last_value < value:
            NumberSequence.objects.filter(pk=obj.pk).update(last_value=value)
        if _uses_sequence(connection, key) and value > 0:
            with connection.cursor() as cursor:
                # An existing sequence is moved past the loaded numbers; a missing one starts after the row.
                cursor.execute(
                    "SELECT setval(seq, GREATEST(%s, (SELECT COALESCE(last_value, start_value - 1) FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND sequencename = %s))) "
                    "FROM to_regclass(%s) AS seq WHERE seq IS NOT NULL",
                    [value, sequence_name(key), sequence_name(key)],
                )
