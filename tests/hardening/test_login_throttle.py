"""Issue 12, items 4 and 5: login throttling per IP and per (account, IP), the owner keeps their
account, admins hear about attacks on staff accounts; password reset limited without revealing
whether an account exists."""

import pytest
from django.core import mail
from django.test import Client

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications.models import Notification
from tests.factories import PASSWORD, UserFactory, resident, staff

pytestmark = pytest.mark.django_db

LOCKED = "Terlalu banyak percobaan masuk"


def attempt(ip, identifier, password, url="/akun/masuk/"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(url, {"username": identifier, "password": password})
    return client, response


def logged_in(client):
    return "_auth_user_id" in client.session


def test_attacker_elsewhere_does_not_lock_the_owner_out(settings):
    clerk = staff(Role.CLERK, "DISDUKCAPIL", username="petugas.x")
    for n in range(8):
        _client, response = attempt("203.0.113.9", "petugas.x", f"salah-{n}", url="/admin/login/")
    # The attacker's address is locked for this account, even with the right password …
    client, response = attempt("203.0.113.9", "petugas.x", PASSWORD, url="/admin/login/")
    assert LOCKED in response.content.decode() and not logged_in(client)
    # … the owner at the office is not.
    client, response = attempt("10.20.0.5", "petugas.x", PASSWORD, url="/admin/login/")
    assert response.status_code == 302 and logged_in(client)
    assert clerk.pk


def test_distributed_attack_locks_new_addresses_but_not_the_owners_usual_one(settings):
    settings.LOGIN_MAX_FAILURES_PER_ACCOUNT = 12
    resident(username="maria.x", email="maria.x@example.id")
    client, _ = attempt("10.1.1.1", "maria.x", PASSWORD)  # the owner's usual place
    assert logged_in(client)
    for n in range(12):  # 12 addresses, 1 failure each: no per-address limit is reached
        attempt(f"198.51.100.{n + 1}", "maria.x", "salah")
    client, response = attempt("198.51.100.200", "maria.x", PASSWORD)
    assert LOCKED in response.content.decode() and not logged_in(client)
    client, response = attempt("10.1.1.1", "maria.x", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_password_spraying_from_one_address_is_throttled(settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 6
    for n in range(8):
        resident(username=f"warga{n}")
    for n in range(6):  # one guess per account: the per-account limits never trigger
        attempt("192.0.2.50", f"warga{n}", "Kupang2026!")
    client, response = attempt("192.0.2.50", "warga7", PASSWORD)
    assert LOCKED in response.content.decode() and not logged_in(client)
    client, response = attempt("192.0.2.51", "warga7", PASSWORD)
    assert logged_in(client)


def test_admins_are_told_once_when_a_staff_account_is_under_attack(settings):
    settings.LOGIN_STAFF_ALERT_FAILURES = 6
    staff(Role.CLERK, "DISDUKCAPIL", username="petugas.y")
    admin_user = UserFactory(username="it.kota", is_staff=True, is_superuser=True)
    resident(username="warga.z")
    for n in range(10):
        attempt(f"198.51.100.{n % 3 + 1}", "petugas.y", "salah")
        attempt("198.51.100.9", "warga.z", "salah")  # residents' failures alert nobody
    rows = Notification.objects.filter(event="staff_login_under_attack")
    assert rows.exists()
    assert set(rows.values_list("recipient__username", flat=True)) == {"it.kota"}
    inapp = rows.get(channel="inapp")
    assert "petugas.y" in inapp.subject and "6 percobaan" in inapp.body and "3 alamat IP" in inapp.body
    assert admin_user.pk


def reset(ip, email):
    return Client(REMOTE_ADDR=ip).post("/akun/sandi/lupa/", {"email": email})


def test_password_reset_limited_per_address_without_revealing_accounts(settings):
    resident(username="ada", email="ada@example.id")
    answers = []
    for n in range(8):
        answers.append(reset(f"10.9.0.{n + 1}", "ada@example.id"))
        answers.append(reset(f"10.9.1.{n + 1}", "tidak.ada@example.id"))
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAX_PER_ADDRESS == 3
    # Same answer for an existing and a missing account, under and over the limit.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/akun/sandi/lupa/terkirim/")}


def test_password_reset_limited_per_address_of_origin(settings):
    for n in range(12):
        resident(username=f"r{n}", email=f"r{n}@example.id")
    answers = [reset("10.8.0.1", f"r{n}@example.id") for n in range(12)]
    assert [a.status_code for a in answers[:10]] == [302] * 10
    assert answers[10].status_code == 200 and "Terlalu banyak permintaan" in answers[10].content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAX_PER_IP == 10
    assert reset("10.8.0.2", "r11@example.id").status_code == 302
