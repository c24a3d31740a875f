import pytest
from django.conf import settings

from kupang_portal.accounts.models import User
from tests.factories import UserFactory, resident

pytestmark = pytest.mark.django_db

PROFILE_URL = "/akun/profil/"
NIK = "5371015205900002"
MASKED = "537101******0002"


@pytest.fixture
def maria(client):
    user = resident(username="maria", first_name="Maria", last_name="Ndolu", email="maria@example.id", phone="+6281234500001", nik=NIK)
    client.force_login(user)
    return user


def profile_data(user, **overrides):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or "",
        "phone": user.phone or "",
        "nik": "",
        "preferred_language": user.preferred_language,
    }
    for channel in ("notify_email", "notify_sms", "notify_whatsapp"):
        if getattr(user, channel):
            data[channel] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not False}


def test_profile_requires_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/akun/masuk/?next={PROFILE_URL}"


def test_profile_shows_masked_nik_never_the_full_one(client, maria, read_form):
    response = client.get(PROFILE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert MASKED in html
    assert NIK not in html
    assert read_form(response).value("nik") is None
    assert "Kotak masuk Notifikasi di portal ini selalu menerima semua pemberitahuan" in html
    assert 'href="/akun/sandi/ubah/"' in html


def test_refused_profile_form_does_not_print_the_new_nik(client, maria, read_form):
    new_nik = "5371011205900001"
    response = client.post(PROFILE_URL, profile_data(maria, nik=new_nik, phone="bukan nomor"))
    html = response.content.decode()
    assert response.status_code == 200
    assert read_form(response).errors["phone"]
    assert new_nik not in html and NIK not in html
    assert MASKED in html  # still the stored NIK, masked
    maria.refresh_from_db()
    assert maria.nik == NIK


def test_blank_nik_keeps_the_stored_one(client, maria):
    response = client.post(PROFILE_URL, profile_data(maria, first_name="Maria Magdalena"))
    assert response.status_code == 302
    maria.refresh_from_db()
    assert maria.nik == NIK
    assert maria.first_name == "Maria Magdalena"


def test_nik_can_be_changed_and_cleared(client, maria):
    client.post(PROFILE_URL, profile_data(maria, nik="5371 0112 0590 0001"))
    maria.refresh_from_db()
    assert maria.nik == "5371011205900001"
    client.post(PROFILE_URL, profile_data(maria, clear_nik="on"))
    maria.refresh_from_db()
    assert maria.nik is None


def test_invalid_nik_in_profile(client, maria, read_form):
    response = client.post(PROFILE_URL, profile_data(maria, nik="5371017205900001"))
    assert "Tanggal lahir pada NIK tidak valid" in read_form(response).errors["nik"][0]
    maria.refresh_from_db()
    assert maria.nik == NIK


def test_phone_is_normalised_and_duplicates_refused(client, maria, read_form):
    UserFactory(username="lain", phone="+6281299998888")
    response = client.post(PROFILE_URL, profile_data(maria, phone="0812-9999-8888"))
    assert "Nomor HP ini sudah dipakai" in read_form(response).errors["phone"][0]
    client.post(PROFILE_URL, profile_data(maria, phone="0812 7777 6666"))
    maria.refresh_from_db()
    assert maria.phone == "+6281277776666"


def test_keeping_own_email_in_other_case_is_fine(client, maria):
    response = client.post(PROFILE_URL, profile_data(maria, email="Maria@Example.ID"))
    assert response.status_code == 302
    maria.refresh_from_db()
    assert maria.email == "maria@example.id"


class TestChannels:
    def test_sms_and_whatsapp_refused_without_phone(self, client, maria, read_form):
        response = client.post(PROFILE_URL, profile_data(maria, phone="", notify_sms="on", notify_whatsapp="on"))
        form = read_form(response)
        assert response.status_code == 200
        assert "Notifikasi lewat SMS memerlukan nomor HP" in form.errors["notify_sms"][0]
        assert "Notifikasi lewat WhatsApp memerlukan nomor HP" in form.errors["notify_whatsapp"][0]
        maria.refresh_from_db()
        assert maria.phone == "+6281234500001" and maria.notify_sms is False

    def test_removing_phone_works_when_phone_channels_are_off(self, client, maria):
        response = client.post(PROFILE_URL, profile_data(maria, phone="", notify_sms=False, notify_whatsapp=False))
        assert response.status_code == 302
        maria.refresh_from_db()
        assert maria.phone is None and maria.notify_whatsapp is False

    def test_email_channel_refused_without_address(self, client, maria, read_form):
        response = client.post(PROFILE_URL, profile_data(maria, email="", notify_email="on"))
        assert "memerlukan alamat surel" in read_form(response).errors["notify_email"][0]
        maria.refresh_from_db()
        assert maria.email == "maria@example.id"

    def test_sms_enabled_with_phone(self, client, maria, read_form):
        response = client.post(PROFILE_URL, profile_data(maria, notify_sms="on", notify_email=False))
        assert response.status_code == 302
        maria.refresh_from_db()
        assert (maria.notify_email, maria.notify_sms, maria.notify_whatsapp) == (False, True, True)
        page = client.get(PROFILE_URL)
        checked = {name for name, _value in read_form(page).checked}
        assert {"notify_sms", "notify_whatsapp"} <= checked and "notify_email" not in checked

    def test_all_channels_off_is_allowed(self, client, maria):
        response = client.post(PROFILE_URL, profile_data(maria, notify_email=False, notify_sms=False, notify_whatsapp=False))
        assert response.status_code == 302
        maria.refresh_from_db()
        assert not (maria.notify_email or maria.notify_sms or maria.notify_whatsapp)

    def test_email_or_phone_still_required(self, client, maria, read_form):
        response = client.post(PROFILE_URL, profile_data(maria, email="", phone="", notify_email=False, notify_sms=False, notify_whatsapp=False))
        assert "minimal salah satu" in read_form(response).errors["email"][0]


def test_language_preference_is_saved_and_applied(client, maria):
    response = client.post(PROFILE_URL, profile_data(maria, preferred_language="en"))
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.get(pk=maria.pk).preferred_language == "en"


def test_profile_is_no_oracle_of_other_accounts_nik_or_phone(client, maria, settings):
    """A free account could ask the profile form about every NIK or number: past
    SIGNUP_MAX_TAKEN_PER_IP refusals in the hour (per account) the form checks nothing."""
    settings.SIGNUP_MAX_TAKEN_PER_IP = 2
    UserFactory(username="lain", nik="5371011205900009", phone="+6281339009999")
    for probe in ({"nik": "5371011205900009"}, {"phone": "0813-3900-9999"}):
        response = client.post(PROFILE_URL, profile_data(maria, **probe))
        assert response.status_code == 200 and "sudah" in response.content.decode()
    response = client.post(PROFILE_URL, profile_data(maria, nik="5371011205900009"))
    html = response.content.decode()
    assert response.status_code == 429 and 'data-testid="profile-limited"' in html and "sudah terdaftar pada akun" not in html
    maria.refresh_from_db()
    assert maria.nik == NIK
    # Another resident's profile is not held up.
    other = resident(username="yosef", email="yosef@example.id")
    client.force_login(other)
    assert client.post(PROFILE_URL, profile_data(other, first_name="Yosef", notify_whatsapp=False, notify_sms=False)).status_code == 302
