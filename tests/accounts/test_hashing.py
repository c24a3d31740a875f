"""Passwords are hashed with Argon2id at the portal's parameters; older hashes upgrade at login."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password

from kupang_portal import settings as portal_settings
from tests.factories import PASSWORD, resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = portal_settings.PASSWORD_HASHERS


def test_new_passwords_use_argon2id_with_the_measured_parameters(real_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).verify(PASSWORD, encoded)


def test_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, real_hashers, settings):
    user = resident(username="lama")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = client.post("/akun/masuk/", {"username": "lama", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_argon2_hash_with_old_parameters_is_upgraded_at_login(client, real_hashers):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = resident(username="lama2")
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())  # Django's defaults
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    client.post("/akun/masuk/", {"username": "lama2", "password": PASSWORD})
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
