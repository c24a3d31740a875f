import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError

from kupang_portal.accounts.roles import GROUP_NAMES, Role, collected_role_permissions
from tests import factories


def test_healthz_answers_without_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok_when_database_answers(client, settings):
    settings.REDIS_URL = None
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {k: checks[k] for k in ("database", "broker")} == {"database": "ok", "broker": "not configured"}


@pytest.mark.django_db
def test_readyz_503_with_reason_when_database_fails(client, monkeypatch):
    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr("kupang_portal.core.health.check_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "database" in response.json()["reason"] and "connection refused" in response.json()["reason"]


@pytest.mark.django_db
def test_readyz_503_when_broker_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("broker")


@pytest.mark.django_db
def test_every_role_has_its_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {GROUP_NAMES[role] for role in Role} <= names


@pytest.mark.django_db
def test_role_permissions_are_granted_exactly():
    admin_group = Group.objects.get(name=GROUP_NAMES[Role.ADMIN])
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in admin_group.permissions.select_related("content_type")}
    assert "organization.change_holiday" in granted
    assert granted <= set(collected_role_permissions()[Role.ADMIN])
    assert not Group.objects.get(name=GROUP_NAMES[Role.RESIDENT]).permissions.filter(codename__startswith="change_").exists()


@pytest.mark.django_db
def test_office_scoping_of_users():
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL")
    head = factories.staff(Role.OFFICE_HEAD, "DLHK")
    assert clerk.office_ids() == [factories.office("DISDUKCAPIL").pk]
    assert head.office_ids(roles=[Role.CLERK]) == []
    assert head.has_role(Role.OFFICE_HEAD) and not head.has_role(Role.CLERK)
    assert not clerk.is_city_wide
    assert factories.staff(Role.SUPERVISOR).is_city_wide


@pytest.mark.django_db
def test_resident_cannot_enter_the_admin(client):
    client.force_login(factories.resident())
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_home_page_renders_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Lacak" in response.content.decode()


@pytest.mark.django_db
def test_tracking_unknown_number_is_a_clear_message_not_an_error(client):
    response = client.get("/lacak/", {"nomor": "XXX-2026-999999"})
    assert response.status_code == 200
    assert "tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_refuses_without_debug(settings):
    from django.core.management import CommandError, call_command

    from kupang_portal.accounts.models import User

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    count = User.objects.count()
    call_command("seed_demo", verbosity=0)
    assert User.objects.count() == count
    for username in ("warga", "petugas.dukcapil", "petugas.dpmptsp", "petugas.pupr", "petugas.dlhk",
                     "verifikator", "kadis.dukcapil", "pimpinan", "admin"):
        assert User.objects.get(username=username).check_password("Demo#Kupang2026")
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
