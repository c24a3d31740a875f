"""Issue 12, items 1 and 2: the admin as every staff role of the demo.

A confidential complaint's reporter is known only to the desk and the handling office; an
anonymous one to nobody; secrets (code hashes, API key hashes, password hashes) are never a filter,
search field, column or ordering. Changelists accept only their declared filters.
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from kupang_portal.accounts.demo import DEMO_ACCOUNTS
from kupang_portal.accounts.models import User
from kupang_portal.core.admin_lookups import SECRET_FIELD_NAMES
from pengaduan import services
from pengaduan.models import Complaint
from tests import factories
from tests.pengaduan.conftest import file_complaint

pytestmark = pytest.mark.django_db

REPORTER_TRACES = ("Yosefina", "Mbatu", "yosefina.rahasia", "yosefina.mbatu@example.id")
# The desk and the handling office (DLHK handles rubbish) may know the confidential reporter.
MAY_KNOW = {"verifikator", "petugas.dlhk"}


@pytest.fixture
def world(db):
    # The demo's staff accounts (one per role) and its Open311 key; the cases are made here.
    from kupang_portal.accounts import demo as account_demo
    from pengaduan.demo import DEMO_API_KEY
    from pengaduan.models import ApiKey

    for row in DEMO_ACCOUNTS:
        account_demo.ensure_user(*row)
    key = ApiKey(name="Demo")
    key.set_key(DEMO_API_KEY)
    key.save()
    reporter = factories.resident(username="yosefina.rahasia", first_name="Yosefina", last_name="Mbatu",
                                  email="yosefina.mbatu@example.id")
    desk = User.objects.get(username="verifikator")
    confidential = file_complaint(reporter, confidential=True, title="Pungutan di kelurahan").complaint
    services.dispose(confidential, desk)
    anonymous = file_complaint(None, title="Tanpa nama").complaint
    services.dispose(anonymous, desk)
    confidential.refresh_from_db()
    anonymous.refresh_from_db()
    assert confidential.office.code == "DLHK" and anonymous.tracking_code_hash
    return {"reporter": reporter, "confidential": confidential, "anonymous": anonymous}


def changelist_urls():
    return [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]


def hostile_queries(world):
    reporter = world["reporter"]
    h = world["anonymous"].tracking_code_hash
    return [
        f"reporter__id__exact={reporter.pk}", f"tracking_code_hash__startswith={h[:8]}", "key_hash__startswith=a",
        "password__startswith=md5", f"recipient__id__exact={reporter.pk}", f"category__complaints__reporter__id__exact={reporter.pk}",
        "id__gt=0",
    ]


def staff_usernames():
    return [row[0] for row in DEMO_ACCOUNTS if row[0] != "warga"]


def assert_undeclared_lookups_refused(client, world, username):
    refused = 0
    for url in changelist_urls():
        plain = client.get(url)
        if plain.status_code != 200:
            continue  # no view permission
        for query in hostile_queries(world):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400, (username, url, query, response.status_code)
            refused += 1
    assert refused > 0


def crawl_changelists(client, username, confidential):
    """Every changelist (plain, searched for the case, ordered); name searches never find the case."""
    pages = {}
    for url in changelist_urls():
        for query in ("", f"?q={confidential.number}", "?o=-1"):
            response = client.get(url + query)
            if response.status_code == 200:
                pages[url + query] = response.content.decode()
        # Searching for the reporter's name or address never finds the confidential complaint.
        for term in ("Yosefina", "yosefina.mbatu@example.id"):
            response = client.get(url, {"q": term})
            if response.status_code == 200:
                assert confidential.number not in response.content.decode(), (username, url, term)
    return pages


def crawl_linked_pages(client, pages, extra_links):
    """Change and history pages the changelists link to (a few per page), plus ``extra_links``."""
    links = set(extra_links)
    for text in list(pages.values()):
        links.update(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/\d+/change/)', text)[:3])
    found = {}
    for link in sorted(links):
        for target in (link, link.replace("/change/", "/history/")):
            response = client.get(target)
            if response.status_code == 200:
                found[target] = response.content.decode()
    return found


@pytest.mark.parametrize("username", staff_usernames())
def test_crawl_never_reveals_confidential_or_anonymous_reporter(client, world, username):
    client.force_login(User.objects.get(username=username))
    assert_undeclared_lookups_refused(client, world, username)
    confidential, anonymous = world["confidential"], world["anonymous"]
    confidential_page = reverse("admin:pengaduan_complaint_change", args=[confidential.pk])
    pages = crawl_changelists(client, username, confidential)
    pages.update(crawl_linked_pages(client, pages, [confidential_page, reverse("admin:pengaduan_complaint_change", args=[anonymous.pk])]))
    assert pages
    secrets = (anonymous.tracking_code_hash, anonymous.tracking_code_hash.split("$")[-1])
    for url, text in pages.items():
        # The reporter is an account like any other (the user admin lists it); what must never
        # appear is the reporter next to the confidential complaint.
        about_complaint = confidential.number in text or url == confidential_page
        if about_complaint and not (username in MAY_KNOW and url == confidential_page):
            assert not [needle for needle in REPORTER_TRACES if needle in text], (username, url)
        assert not [secret for secret in secrets if secret in text], (username, url)
    if username == "petugas.dlhk":
        assert "Yosefina Mbatu" in pages[confidential_page]
    elif username in MAY_KNOW:
        # The desk sees complaints waiting for verification (this one is disposed already).
        assert confidential_page not in pages or "Yosefina Mbatu" in pages[confidential_page]
    elif confidential_page in pages:
        assert "Dirahasiakan" in pages[confidential_page]


def test_no_admin_exposes_a_secret_field():
    for model, model_admin in admin.site._registry.items():
        declared = [*model_admin.list_display, *model_admin.search_fields, *(model_admin.ordering or ()),
                    *[f if isinstance(f, str) else getattr(f, "parameter_name", "") for f in model_admin.list_filter],
                    *(model_admin.fields or ()), *model_admin.readonly_fields]
        for name in declared:
            if isinstance(name, str):
                assert name.lstrip("=^@-").split("__")[-1] not in SECRET_FIELD_NAMES - {"password"} or model is User, (model, name)
                assert name.lstrip("=^@-") not in SECRET_FIELD_NAMES - {"password"}, (model, name)
    assert not hasattr(Complaint, "tracking_code_hash") or "tracking_code_hash" not in str(admin.site._registry[Complaint].fields)
