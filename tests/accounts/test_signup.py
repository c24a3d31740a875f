import pytest
from django.contrib.auth.models import Group

from kupang_portal.accounts.models import User
from kupang_portal.accounts.roles import GROUP_NAMES, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/akun/daftar/"
GOOD_PASSWORD = "Sasando#Timor2026"


def signup_data(**overrides):
    data = {
        "username": "yakobus",
        "first_name": "Yakobus",
        "last_name": "Lenggu",
        "email": "yakobus@example.id",
        "phone": "0813-3900-1234",
        "nik": "5371 0112 0590 0001",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def assert_other_values_kept(form, data, except_field):
    for name in ("username", "first_name", "last_name", "email", "phone", "nik"):
        if name != except_field:
            assert form.value(name) == data[name], name
    assert form.value("password1") is None  # passwords are never echoed back


def test_signup_page_renders(client):
    response = client.get(SIGNUP_URL)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "first_name", "last_name", "email", "phone", "nik", "password1", "password2"):
        assert f'name="{name}"' in html
    assert '<button type="submit"' in html


def test_signup_happy_path(client):
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="yakobus")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.RESIDENT]]
    assert user.phone == "+6281339001234"
    assert user.nik == "5371011205900001"
    assert user.email == "yakobus@example.id"
    assert user.get_full_name() == "Yakobus Lenggu"
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_staff
    assert (user.notify_email, user.notify_sms, user.notify_whatsapp) == (True, False, True)
    home = client.get("/")
    assert "Pendaftaran berhasil" in home.content.decode()


def test_signup_with_phone_only_and_single_name(client):
    response = client.post(SIGNUP_URL, signup_data(email="", nik="", last_name="", first_name="Ruth"))
    assert response.status_code == 302
    user = User.objects.get(username="yakobus")
    assert user.email is None and user.nik is None
    assert user.notify_email is False  # nothing to send e-mail to
    assert user.notify_whatsapp is True


def test_signup_requires_email_or_phone(client, read_form):
    response = client.post(SIGNUP_URL, signup_data(email="", phone=""))
    form = read_form(response)
    assert response.status_code == 200
    assert "minimal salah satu" in form.errors["email"][0]
    assert "minimal salah satu" in form.errors["phone"][0]
    assert not User.objects.exists()


def test_signup_invalid_nik(client, read_form):
    data = signup_data(nik="5371013205900001")  # day 32
    response = client.post(SIGNUP_URL, data)
    form = read_form(response)
    assert response.status_code == 200
    assert "Tanggal lahir pada NIK tidak valid" in form.errors["nik"][0]
    assert form.is_invalid("nik")
    assert form.value("nik") == "5371013205900001"  # the resident sees what they typed
    assert_other_values_kept(form, data, "nik")
    assert not User.objects.exists()


def test_signup_short_nik(client, read_form):
    response = client.post(SIGNUP_URL, signup_data(nik="53710112"))
    assert "16 angka" in read_form(response).errors["nik"][0]


def test_signup_duplicate_email_in_different_case(client, read_form):
    UserFactory(username="lama", email="yakobus@example.id")
    data = signup_data(email="YAKOBUS@Example.ID")
    response = client.post(SIGNUP_URL, data)
    form = read_form(response)
    assert "Surel ini sudah dipakai" in form.errors["email"][0]
    assert form.is_invalid("email")
    assert form.value("email") == "YAKOBUS@Example.ID"
    assert_other_values_kept(form, data, "email")
    assert User.objects.count() == 1


def test_signup_duplicate_phone_in_another_format(client, read_form):
    UserFactory(username="lama", phone="+6281339001234")
    data = signup_data(phone="62 813 3900 1234")
    response = client.post(SIGNUP_URL, data)
    form = read_form(response)
    assert "Nomor HP ini sudah dipakai" in form.errors["phone"][0]
    assert_other_values_kept(form, data, "phone")
    assert User.objects.count() == 1


def test_signup_invalid_phone_shows_normaliser_message(client, read_form):
    data = signup_data(phone="12345")
    response = client.post(SIGNUP_URL, data)
    form = read_form(response)
    assert "Contoh: 0812-3456-7890" in form.errors["phone"][0]
    assert_other_values_kept(form, data, "phone")


def test_signup_duplicate_nik(client, read_form):
    UserFactory(username="lama", nik="5371011205900001")
    response = client.post(SIGNUP_URL, signup_data())
    assert "NIK ini sudah terdaftar" in read_form(response).errors["nik"][0]
    assert User.objects.count() == 1


def test_signup_duplicate_username_in_different_case(client, read_form):
    UserFactory(username="Yakobus")
    data = signup_data(username="YAKOBUS")
    response = client.post(SIGNUP_URL, data)
    form = read_form(response)
    assert "Nama pengguna ini sudah dipakai" in form.errors["username"][0]
    assert_other_values_kept(form, data, "username")


@pytest.mark.parametrize("username", ["ya@kobus", "081339001234", "ab", "yakobus lenggu"])
def test_signup_username_that_would_confuse_login_is_refused(client, read_form, username):
    response = client.post(SIGNUP_URL, signup_data(username=username))
    assert "Nama pengguna hanya boleh" in read_form(response).errors["username"][0]
    assert not User.objects.exists()


def test_signup_weak_password(client, read_form):
    data = signup_data(password1="12345678", password2="12345678")
    response = client.post(SIGNUP_URL, data)
    form = read_form(response)
    assert response.status_code == 200
    assert any("terlalu umum" in message for message in form.errors["password1"]), form.errors
    assert form.is_invalid("password1")
    assert_other_values_kept(form, data, "password1")
    assert not User.objects.exists()


def test_signup_password_similar_to_username(client, read_form):
    response = client.post(SIGNUP_URL, signup_data(username="sasandotimor", password1="sasandotimor1", password2="sasandotimor1"))
    assert read_form(response).errors["password1"]
    assert not User.objects.exists()


def test_signup_password_mismatch(client, read_form):
    response = client.post(SIGNUP_URL, signup_data(password2="Lain#Sekali2026"))
    assert "Kedua kata sandi tidak sama" in read_form(response).errors["password2"][0]
    assert not User.objects.exists()


def test_signed_in_user_is_sent_home(client):
    client.force_login(UserFactory())
    response = client.get(SIGNUP_URL)
    assert response.status_code == 302 and response["Location"] == "/"


def test_resident_group_exists():
    # The signup relies on the group created by sync_roles after migrate.
    assert Group.objects.filter(name=GROUP_NAMES[Role.RESIDENT]).exists()


def test_signup_is_no_oracle_of_registered_nik_phone_or_email(client, settings):
    """Each refusal for a taken e-mail, phone number or NIK tells whose data has an account: past
    SIGNUP_MAX_TAKEN_PER_IP of them in the hour, a network gets the form back unchecked."""
    settings.SIGNUP_MAX_TAKEN_PER_IP = 2
    UserFactory(username="terdaftar", nik="5371011205900009", phone="+6281339009999", email="ada@example.id")
    probes = [signup_data(username="p1", nik="5371011205900009", email="p1@example.id", phone=""),
              signup_data(username="p2", phone="0813-3900-9999", email="p2@example.id", nik="")]
    for data in probes:
        response = client.post(SIGNUP_URL, data)
        assert response.status_code == 200 and "sudah" in response.content.decode()
    response = client.post(SIGNUP_URL, signup_data(username="p3", email="ada@example.id", nik="", phone=""))
    html = response.content.decode()
    assert response.status_code == 429 and "Terlalu banyak pendaftaran" in html
    assert "sudah dipakai" not in html and "sudah terdaftar pada akun" not in html
    assert response.context["form"].initial["username"] == "p3"  # what was typed is kept (never the NIK)
    assert User.objects.filter(username__in=["p1", "p2", "p3"]).count() == 0
    # Mistyped usernames do not count, and another network signs up as usual.
    response = client.post(SIGNUP_URL, signup_data(), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302 and User.objects.filter(username="yakobus").exists()
