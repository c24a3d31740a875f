import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, resident

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sasando#Timor2026"


def test_password_reset_flow(client):
    user = resident(username="maria", email="maria@example.id")
    page = client.get("/akun/sandi/lupa/")
    assert "Lupa kata sandi" in page.content.decode()
    response = client.post("/akun/sandi/lupa/", {"email": "MARIA@example.id"})
    assert response["Location"] == "/akun/sandi/lupa/terkirim/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria@example.id"]
    assert "Atur ulang kata sandi" in message.subject
    assert "Nama pengguna Anda: maria" in message.body
    link = re.search(r"http://testserver(/akun/sandi/atur/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/akun/sandi/selesai/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works only once.
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post("/akun/sandi/lupa/", {"email": "siapa@example.id"})
    assert response["Location"] == "/akun/sandi/lupa/terkirim/"
    assert mail.outbox == []


def test_password_change(client):
    user = resident(username="maria")
    client.force_login(user)
    wrong = client.post("/akun/sandi/ubah/", {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Kata sandi lama salah" in wrong.content.decode()
    response = client.post("/akun/sandi/ubah/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/akun/profil/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session.get("_auth_user_id") == str(user.pk)  # still logged in
