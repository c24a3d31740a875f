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


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_SEC_FETCH_SITE": "none"},
                                     {"HTTP_REFERER": "http://testserver/layanan/"}])
def test_the_footer_switch_is_a_get_from_the_portals_own_pages(client, headers):
    page = client.get("/layanan/").content.decode()
    assert 'action="/bahasa/" method="get"' in page and 'name="csrfmiddlewaretoken"' not in page
    response = client.get("/bahasa/", {"language": "en", "next": "/layanan/"}, **headers)
    assert response.status_code == 302 and response["Location"] == "/layanan/"
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get("/layanan/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_SEC_FETCH_SITE": "same-site"},
                                     {"HTTP_REFERER": "https://evil.example/"}, {}])
def test_another_site_cannot_switch_the_language_without_a_confirmation(headers):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.get("/bahasa/", {"language": "en", "next": "/layanan/"}, **headers)
    assert response.status_code == 200 and "django_language" not in response.cookies
    page = response.content.decode()
    assert 'data-testid="language-confirm"' in page and 'action="/i18n/setlang/" method="post"' in page
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    confirmed = browser.post("/i18n/setlang/", {"language": "en", "next": "/layanan/", "csrfmiddlewaretoken": token})
    assert confirmed.status_code == 302 and confirmed.cookies["django_language"].value == "en"


@pytest.mark.django_db
def test_the_switch_refuses_unknown_languages_and_foreign_next_urls(client):
    unknown = client.get("/bahasa/", {"language": "xx", "next": "/"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert unknown.status_code == 400 and 'data-testid="language-unknown"' in unknown.content.decode()
    assert "django_language" not in unknown.cookies
    away = client.get("/bahasa/", {"language": "en", "next": "https://evil.example/"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert away.status_code == 302 and away["Location"] == "/"


@pytest.mark.django_db
def test_the_switch_leaves_the_accounts_preferred_language_alone(client):
    from tests import factories

    user = factories.resident()
    before = user.preferred_language
    client.force_login(user)
    client.get("/bahasa/", {"language": "en", "next": "/"}, HTTP_SEC_FETCH_SITE="same-origin")
    user.refresh_from_db()
    assert user.preferred_language == before and 'lang="en"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_footer_on_the_confirmation_page_does_not_switch_to_the_other_sites_language(client):
    """Another site links to /bahasa/?language=en: the confirmation page's own footer says
    next=/bahasa/?language=en&…; choosing Indonesian there must end in Indonesian, on the page the
    link wanted, never on the switch again (which, same-origin now, set English unconfirmed)."""
    confirmation = client.get("/bahasa/", {"language": "en", "next": "/layanan/"}, HTTP_SEC_FETCH_SITE="cross-site")
    footer_next = confirmation.content.decode().split('<input name="next" type="hidden" value="', 1)[1].split('"', 1)[0]
    footer_next = footer_next.replace("&amp;", "&")
    assert footer_next.startswith("/bahasa/?")
    chosen = client.get("/bahasa/", {"language": "id", "next": footer_next}, HTTP_SEC_FETCH_SITE="same-origin")
    assert chosen.status_code == 302 and chosen["Location"] == "/layanan/"
    assert chosen.cookies["django_language"].value == "id"
    # The page for an unknown language (its footer points back at the switch too) and a chain.
    nested = "/bahasa/?language=xx&next=" + "/bahasa/%3Flanguage%3Den%26next%3D%252Ftransparansi%252F"
    again = client.get("/bahasa/", {"language": "en", "next": nested}, HTTP_SEC_FETCH_SITE="same-origin")
    assert again.status_code == 302 and again["Location"] == "/transparansi/"
    away = client.get("/bahasa/", {"language": "en", "next": "/bahasa/?next=https://evil.example/"},
                      HTTP_SEC_FETCH_SITE="same-origin")
    assert away["Location"] == "/"
