"""A dashboard export job through a real Celery worker on PostgreSQL + Redis."""

import pytest

from kupang_portal.dashboards.models import ExportJob
from kupang_portal.notifications.models import Notification


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_export_job_runs_on_a_real_worker(celery_worker_process, client):
    from kupang_portal.accounts.roles import Role
    from tests import factories
    from tests.integration.conftest import wait_for

    head = factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL")
    client.force_login(head)
    response = client.post("/dasbor/ekspor/?format=csv&isi=rekap")  # exports start by a POST only
    job = ExportJob.objects.get(owner=head)
    assert response["Location"] == f"/dasbor/ekspor/{job.pk}/"
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == "done", timeout=90, message="the worker to build the export")
    download = client.get(f"/dasbor/ekspor/{job.pk}/unduh/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("utf-8-sig").startswith("rincian,nama,jenis_kasus")
    assert Notification.objects.filter(recipient=head, event="dashboard_export_ready").exists()
