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


def test_catalogue_msgids_hold_no_python_escapes():
    """xgettext copies a Python escape such as \\u201c into the msgid literally, so the runtime
    string (with the real character) never matches and the English page stays in Indonesian."""
    from pathlib import Path

    from django.conf import settings

    catalogue = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    escaped = [line for line in catalogue.read_text(encoding="utf-8").splitlines() if "\\\\u" in line or "\\\\x" in line]
    assert escaped == []
    with translation.override("en"):
        text = "Jumlah di bawah 5 ditulis “< 5”; persentase dan median yang dasarnya kurang dari 5 kasus tidak ditampilkan (“–”)."
        assert translation.gettext(text).startswith("Counts below 5")
