"""Indexes on the case tables that the dashboards' reads need (kept here, not in the case apps'
models, so the dashboards own what they cost). Plain SQL that PostgreSQL and SQLite both accept.

- the rollup fill reads one day of submissions, closings, dispositions and responses;
- the exception lists read open cases only: oldest first, reopened, unassigned.
"""

from django.db import migrations

INDEXES = [
    ("dash_app_submitted_idx", "layanan_application", "(submitted_at)", ""),
    ("dash_app_closed_idx", "layanan_application", "(closed_at)", ""),
    ("dash_app_open_submitted_idx", "layanan_application", "(submitted_at)", "WHERE is_open"),
    ("dash_app_open_unassigned_idx", "layanan_application", "(deadline)", "WHERE is_open AND assignee_id IS NULL"),
    ("dash_cmp_submitted_idx", "pengaduan_complaint", "(submitted_at)", ""),
    ("dash_cmp_closed_idx", "pengaduan_complaint", "(closed_at)", ""),
    ("dash_cmp_disposed_idx", "pengaduan_complaint", "(disposed_at)", ""),
    ("dash_cmp_responded_idx", "pengaduan_complaint", "(responded_at)", ""),
    ("dash_cmp_open_submitted_idx", "pengaduan_complaint", "(submitted_at)", "WHERE is_open"),
    ("dash_cmp_open_unassigned_idx", "pengaduan_complaint", "(deadline)", "WHERE is_open AND assignee_id IS NULL"),
    ("dash_cmp_open_reopened_idx", "pengaduan_complaint", "(submitted_at)", "WHERE is_open AND reopen_count > 0"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_rollups_and_exports"),
        ("layanan", "0005_case_lifecycle"),
        ("pengaduan", "0003_case_lifecycle"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns} {where}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns, where in INDEXES
    ]
