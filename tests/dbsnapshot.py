"""Reference data for transactional tests: taken once, restored after every flush.

A transactional test (``transaction=True``, ``live_server``, the real-worker tests) ends with a
flush of every table. Reloading the reference data from the catalogues after each flush cost
3-6 s per test and, mixed with Django's post_migrate handlers and ``serialized_rollback``, could
insert the role groups twice (IntegrityError on ``auth_group_name_key``). Instead the database
as the migrations left it (content types, permissions, role groups, offices, regions, holidays,
services, complaint categories) is read once per session and written back with ``bulk_create``
right after each flush, with the same primary keys, so cached content types stay valid. The
flush no longer emits post_migrate: the snapshot already holds what it would recreate.
"""

from django.apps import apps
from django.core.management import call_command
from django.db import connections, transaction
from django.test import testcases

_SNAPSHOT = {}  # alias -> [(model, [instances])]


def take(alias="default"):
    rows = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        objects = list(model._base_manager.using(alias).order_by("pk"))
        if objects:
            rows.append((model, objects))
    _SNAPSHOT[alias] = rows


def restore(alias="default"):
    connection = connections[alias]
    with connection.constraint_checks_disabled(), transaction.atomic(using=alias):
        for model, objects in _SNAPSHOT.get(alias, ()):
            model._base_manager.using(alias).bulk_create(objects, batch_size=500)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def empty(alias="default"):
    """DELETE every row of every table but django_migrations (TRUNCATE of ~30 tables costs
    seconds on PostgreSQL; DELETE of a few hundred rows costs milliseconds). Foreign keys are
    deferred (PostgreSQL) or switched off (SQLite) while the tables empty in any order."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names()) - {"django_migrations"}
    qn = connection.ops.quote_name
    with connection.constraint_checks_disabled(), transaction.atomic(using=alias), connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {qn(table)}")


def _fixture_teardown(self):
    """TransactionTestCase's teardown: empty the tables and write the snapshot back (no flush,
    so no post_migrate handlers run)."""
    for alias in self._databases_names(include_mirrors=False):
        if alias not in _SNAPSHOT:
            call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False)
            continue
        empty(alias)
        restore(alias)


def install():
    testcases.TransactionTestCase._fixture_teardown = _fixture_teardown
