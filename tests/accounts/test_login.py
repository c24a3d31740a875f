import pytest
from django.conf import settings
from django.urls import reverse

from kupang_portal.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, resident, staff

pytestmark = pytest.mark.django_db

LOGIN_URL = "/akun/masuk/"
LOCKOUT_TEXT = "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."


def logged_in_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def maria():
    return resident(username="maria", email="maria@example.id", phone="+6281234567890")


def post_login(client, identifier, password=PASSWORD, url=LOGIN_URL):
    return client.post(url, {"username": identifier, "password": password})


def test_login_page_has_one_identifier_field_and_submit_button(client):
    response = client.get(LOGIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nama pengguna, surel, atau nomor HP" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert '<button type="submit"' in html
    assert 'name="email"' not in html


def test_login_by_username_case_insensitive(client, maria):
    response = post_login(client, "Maria")
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert logged_in_id(client) == str(maria.pk)


def test_login_by_email(client, maria):
    post_login(client, "MARIA@example.id")
    assert logged_in_id(client) == str(maria.pk)


@pytest.mark.parametrize("identifier", ["0812-3456-7890", "081234567890", "6281234567890", "+62 812 3456 7890", "+6281234567890"])
def test_login_by_phone_in_any_form(client, maria, identifier):
    response = post_login(client, identifier)
    assert response.status_code == 302
    assert logged_in_id(client) == str(maria.pk)


def test_wrong_password_shows_message_and_keeps_identifier(client, maria, read_form):
    response = post_login(client, "maria", "salah-sekali")
    assert response.status_code == 200
    assert logged_in_id(client) is None
    html = response.content.decode()
    assert "kata sandi salah" in html
    assert LOCKOUT_TEXT not in html
    assert read_form(response).value("username") == "maria"
    assert read_form(response).value("password") is None  # never echoed


def test_inactive_user_cannot_log_in(client):
    user = UserFactory(username="nonaktif", is_active=False)
    post_login(client, user.username)
    assert logged_in_id(client) is None


def test_lockout_after_max_failures_shows_message(client, maria):
    for attempt in range(settings.LOGIN_MAX_FAILURES - 1):
        response = post_login(client, "maria", f"salah-{attempt}")
        assert LOCKOUT_TEXT not in response.content.decode()
    # The last allowed failure already tells the user they are locked out.
    response = post_login(client, "maria", "salah-terakhir")
    assert LOCKOUT_TEXT in response.content.decode()
    # Now even the right password is refused, with the same clear message (no 403/500).
    response = post_login(client, "maria", PASSWORD)
    assert response.status_code == 200
    assert LOCKOUT_TEXT in response.content.decode()
    assert logged_in_id(client) is None


def test_lockout_follows_settings(client, maria, settings):
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_LOCKOUT_SECONDS = 5 * 60
    post_login(client, "maria", "salah-1")
    response = post_login(client, "maria", "salah-2")
    assert "Coba lagi dalam 5 menit." in response.content.decode()
    post_login(client, "maria", PASSWORD)
    assert logged_in_id(client) is None


def test_next_is_respected(client, maria):
    response = client.post(f"{LOGIN_URL}?next=/akun/profil/", {"username": "maria", "password": PASSWORD, "next": "/akun/profil/"})
    assert response["Location"] == "/akun/profil/"


def test_next_to_another_site_is_ignored(client, maria):
    response = client.post(LOGIN_URL, {"username": "maria", "password": PASSWORD, "next": "https://jahat.example.com/"})
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_login_page_carries_next_in_the_form(client):
    response = client.get(f"{LOGIN_URL}?next=/akun/profil/")
    assert 'name="next" value="/akun/profil/"' in response.content.decode()


def test_logout_is_post_only_and_logs_out(client, maria):
    client.force_login(maria)
    assert client.get("/akun/keluar/").status_code == 405
    response = client.post("/akun/keluar/")
    assert response.status_code == 302
    assert logged_in_id(client) is None


class TestAdminLogin:
    def test_staff_logs_in_to_admin_with_email(self, client):
        clerk = staff(Role.CLERK, office_code=None, username="petugas1", email="petugas1@example.id")
        response = client.post("/admin/login/?next=/admin/", {"username": "Petugas1@Example.id", "password": PASSWORD, "next": "/admin/"})
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert logged_in_id(client) == str(clerk.pk)
        assert client.get("/admin/").status_code == 200

    def test_admin_login_page_uses_portal_label(self, client):
        response = client.get("/admin/login/")
        assert "Nama pengguna, surel, atau nomor HP" in response.content.decode()

    def test_resident_refused_by_admin(self, client, maria):
        response = post_login(client, "maria@example.id", url="/admin/login/")
        assert response.status_code == 200
        assert "akun petugas" in response.content.decode()
        assert logged_in_id(client) is None

    def test_admin_lockout_message(self, client, settings):
        staff(Role.CLERK, username="petugas2")
        settings.LOGIN_MAX_FAILURES = 2
        for _ in range(2):
            response = post_login(client, "petugas2", "salah", url="/admin/login/")
        assert LOCKOUT_TEXT in response.content.decode()


@pytest.mark.django_db
def test_lockout_counts_per_account_whatever_spelling_is_typed(client, settings):
    """Switching between username, e-mail and phone spellings gives no fresh attempts."""
    from kupang_portal.accounts.backends import is_locked_out

    resident(username="sisi", email="sisi@example.id", phone="+6281234567890")
    spellings = ["sisi", "SISI@example.id", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
    for attempt in range(settings.LOGIN_MAX_FAILURES):
        client.post("/akun/masuk/", {"username": spellings[attempt % len(spellings)], "password": "salah"})
    assert is_locked_out("081234567890")
    response = client.post("/akun/masuk/", {"username": "sisi", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "_auth_user_id" not in client.session
