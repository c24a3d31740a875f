"""Exports: the case list behind a figure without personal data, breakdown tables, CSV and XLSX,
recorded, owner-only, an in-app notification when ready (the real worker: tests/integration)."""

import csv
import datetime as dt
import io

import pytest

from kupang_portal.dashboards import services
from kupang_portal.dashboards.models import ExportJob
from kupang_portal.notifications.models import Notification
from pengaduan.models import Complaint

NOVEMBER = {"periode": "kustom", "dari": "2026-11-01", "sampai": "2026-11-30"}


def _run(user, fmt="csv", content="kasus", **params):
    job = ExportJob.objects.create(owner=user, format=fmt, content=content, params={**NOVEMBER, **params})
    services.run_export(job.pk)
    job.refresh_from_db()
    return job


def _csv_rows(job):
    text = job.file.open("rb").read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_case_export_has_no_personal_data_and_hides_confidential_text(november):
    confidential = november.complaints[1]
    Complaint.objects.filter(pk=confidential.pk).update(is_confidential=True, description="Nama tetangga saya Yohanes")
    job = _run(november.supervisor)
    assert job.status == "done" and job.row_count == 11
    rows = _csv_rows(job)
    assert {r["nomor"] for r in rows} == {c.number for c in november.apps + november.complaints}
    text = job.file.open("rb").read().decode("utf-8-sig")
    resident = november.resident
    for secret in (resident.last_name, resident.username, "5371014512920004", "+6281234567890", "Yohanes"):
        assert secret not in text
    by_number = {r["nomor"]: r for r in rows}
    assert by_number[confidential.number]["uraian"] == ""
    assert by_number[november.complaints[0].number]["uraian"]  # public complaint text is kept
    a1 = by_number[november.apps[0].number]
    assert (a1["hari_kerja"], a1["tepat_waktu"], a1["diajukan"]) == ("4", "ya", "2026-11-02 10:00")
    # Every export is recorded: who, when, which filters.
    assert job.owner == november.supervisor and job.params["dari"] == "2026-11-01" and job.created_at


@pytest.mark.django_db
def test_export_follows_the_scope_and_the_figure(november):
    job = _run(november.head, angka="selesai")
    assert {r["nomor"] for r in _csv_rows(job)} == {november.apps[i].number for i in (0, 1, 5)}
    desk = _run(november.verifier, angka="tunggakan")
    assert {r["nomor"] for r in _csv_rows(desk)} == {november.complaints[i].number for i in (3, 4)}


@pytest.mark.django_db
def test_breakdown_export_as_xlsx_and_the_ready_notification(november):
    from openpyxl import load_workbook

    services.fill_range(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    job = _run(november.supervisor, fmt="xlsx", content="rekap")
    sheet = load_workbook(job.file.open("rb")).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("rincian", "nama", "jenis_kasus", "diterima")
    assert sum(r[3] for r in rows[1:] if r[0] == "OPD") == 11
    note = Notification.objects.get(recipient=november.supervisor, event="dashboard_export_ready")
    assert note.channel == "inapp" and f"/dasbor/ekspor/{job.pk}/" in note.link


@pytest.mark.django_db
def test_formula_like_cells_are_neutralised(november):
    Complaint.objects.filter(pk=november.complaints[0].pk).update(title="=HYPERLINK(\"http://x\")")
    rows = {r["nomor"]: r for r in _csv_rows(_run(november.supervisor))}
    assert rows[november.complaints[0].number]["judul"].startswith("'=")
