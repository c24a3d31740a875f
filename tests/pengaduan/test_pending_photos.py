"""Photos kept for a complaint form that is never sent are purged by a beat task after a documented
age, through the storage API; a visitor coming back to such a form is told to choose them again."""

import datetime as dt
import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kupang_portal.core import uploads
from pengaduan import app_settings, pending_photos, tasks
from pengaduan.models import Complaint

from .conftest import png_bytes
from .test_views import URL, form_data

pytestmark = pytest.mark.django_db


def stored(path, hours_old):
    storage = uploads.private_storage()
    name = storage.save(path, ContentFile(b"photo", name=os.path.basename(path)))
    when = (timezone.now() - dt.timedelta(hours=hours_old)).timestamp()
    os.utime(storage.path(name), (when, when))  # the test's file system store: set the age by hand
    return name


def test_the_purge_is_on_the_beat_schedule_and_routed_to_the_periodic_queue():
    entry = django_settings.CELERY_BEAT_SCHEDULE["pengaduan-purge-pending-photos"]
    assert entry["task"] == tasks.periodic_purge_pending_photos.name == "pengaduan.tasks.periodic_purge_pending_photos"
    assert django_settings.CELERY_TASK_ROUTES["*.tasks.periodic_*"] == {"queue": "periodic"}


def test_default_age_is_a_day_and_a_setting(settings):
    assert app_settings.pending_photo_max_age() == dt.timedelta(hours=24)
    settings.PENGADUAN_PENDING_PHOTO_MAX_AGE_HOURS = 6
    assert app_settings.pending_photo_max_age() == dt.timedelta(hours=6)


def test_old_pending_photos_are_deleted_recent_ones_and_other_files_kept():
    storage = uploads.private_storage()
    abandoned, fresh, mixed = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    old = [stored(f"pengaduan/tunda/{abandoned}/a.png", 30), stored(f"pengaduan/tunda/{abandoned}/b.jpg", 25)]
    new = stored(f"pengaduan/tunda/{fresh}/c.png", 1)
    mixed_old, mixed_new = stored(f"pengaduan/tunda/{mixed}/d.png", 48), stored(f"pengaduan/tunda/{mixed}/e.png", 2)
    filed = stored("pengaduan/2026/01/foto-lama.png", 24 * 400)  # a filed complaint's photo: never touched

    assert tasks.periodic_purge_pending_photos.apply().get() == 3

    assert not any(storage.exists(name) for name in [*old, mixed_old])
    assert storage.exists(new) and storage.exists(mixed_new) and storage.exists(filed)
    tokens, _files = storage.listdir("pengaduan/tunda")
    assert sorted(tokens) == sorted([str(fresh), str(mixed)])  # the emptied folder went too
    assert pending_photos.purge_abandoned() == 0  # idempotent


def test_the_age_setting_is_honoured(settings):
    name = stored(f"pengaduan/tunda/{uuid.uuid4()}/a.png", 7)
    assert pending_photos.purge_abandoned() == 0
    settings.PENGADUAN_PENDING_PHOTO_MAX_AGE_HOURS = 6
    assert pending_photos.purge_abandoned() == 1 and not uploads.private_storage().exists(name)


def test_nothing_pending_is_not_an_error():
    assert pending_photos.purge_abandoned() == 0


def test_a_form_whose_kept_photo_was_purged_asks_for_it_again(client):
    token = uuid.uuid4()
    photo = SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")
    client.post(URL, {**form_data(description=""), "form_token": str(token), "photos": [photo]})
    assert pending_photos.purge_abandoned(now=timezone.now() + dt.timedelta(hours=25)) == 1

    again = client.post(URL, {**form_data(), "form_token": str(token)})
    body = again.content.decode()
    assert again.status_code == 200 and not Complaint.objects.exists()
    assert "Foto yang tersimpan sudah dihapus" in body and "bukti.png" not in body

    sent = client.post(URL, {**form_data(), "form_token": str(token)})  # sent without it, knowingly
    assert sent.status_code == 302 and Complaint.objects.get().photos.count() == 0
