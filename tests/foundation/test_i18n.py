import pytest
from django.utils import translation


@pytest.mark.django_db
def test_default_language_is_indonesian_and_english_is_available(client):
    page = client.get("/").content.decode()
    assert 'lang="id"' in page and "Lacak" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert 'lang="en"' in english
    assert "Track" in english


def test_english_catalogue_translates_core_strings():
    with translation.override("en"):
        assert translation.gettext("Lacak") == "Track"
        assert translation.gettext("Masuk") != "Masuk"


def test_time_zone_is_wita(settings):
    assert settings.TIME_ZONE == "Asia/Makassar"


@pytest.mark.django_db
def test_browser_language_alone_does_not_switch_to_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page
