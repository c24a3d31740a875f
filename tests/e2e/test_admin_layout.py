"""The clerks' workspace in a real browser: the queue's columns fit a 1366 px laptop, the admin
home shows "Antrean saya" with its counts, and a transition form fits a 360 px phone."""

import pytest

from kupang_portal.accounts.roles import Role
from pengaduan import services as complaint_services
from tests import factories
from tests.layanan.conftest import make_submitted
from tests.pengaduan.conftest import file_complaint

from .axe import new_phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login_admin(page, username):
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


def test_queues_fit_1366_and_home_has_my_queue(browser, live_server):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.lebar", first_name="Agustina", last_name="Nope")
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.lebar")
    for _ in range(3):
        make_submitted(factories.resident(first_name="Yosefina Maria", last_name="Ndolu-Bessie"), "AKTA_KELAHIRAN")
    for _ in range(3):
        file_complaint(factories.resident(), title="Lampu jalan mati di depan gereja sejak minggu lalu", code="lampu-jalan", route=False)
    context = new_phone_context(browser, live_server, width=1366, height=768)
    page = context.new_page()
    _login_admin(page, clerk.username)
    assert "Antrean saya" in page.inner_text("[data-testid=queue-summary]")
    row = page.locator("[data-testid=queue-row]", has_text="Permohonan")
    assert row.locator("[data-testid=count-new]").inner_text().strip() == "3"
    page.screenshot(path="test-artifacts/admin-home-1366.png")
    row.locator("[data-testid=my-queue]").click()
    page.wait_for_url("**/admin/layanan/application/")
    page.screenshot(path="test-artifacts/admin-queue-1366.png")
    table = page.evaluate("(() => { const t = document.querySelector('#result_list'); return [t.scrollWidth, t.closest('.results').clientWidth]; })()")
    assert table[0] <= table[1], table  # no horizontal scrolling
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366
    page.context.clear_cookies()
    _login_admin(page, verifier.username)
    page.goto("/admin/pengaduan/complaint/")
    page.screenshot(path="test-artifacts/admin-complaints-1366.png")
    table = page.evaluate("(() => { const t = document.querySelector('#result_list'); return [t.scrollWidth, t.closest('.results').clientWidth]; })()")
    assert table[0] <= table[1], table
    assert "Menunggu verifikasi" in page.inner_text("#changelist-filter")
    context.close()


def test_transition_form_fits_a_phone(browser, live_server):
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.hp")
    clerk = factories.staff(Role.CLERK, "DLHK", username="dlhk.hp")
    complaint = file_complaint(factories.resident(), route=False).complaint
    complaint.refresh_from_db()
    complaint_services.dispose(complaint, verifier)
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    _login_admin(page, clerk.username)
    from .axe import violations

    problems = {}
    for action in ("respond", "hand_on"):
        page.goto(f"/admin/pengaduan/complaint/{complaint.pk}/tindakan/{action}/")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, action
        page.screenshot(path=f"test-artifacts/admin-transition-{action}-360.png", full_page=True)
        if found := violations(page):  # the breadcrumbs' links were told apart by colour only (1.4:1)
            problems[action] = found
    context.close()
    assert not problems, problems


def test_admin_home_on_a_phone_shows_every_queue_column(browser, live_server):
    """At 360 px the summary's columns had a minimum width each: "Lewat tenggat" was off the screen."""
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.hp")
    make_submitted(factories.resident(), "AKTA_KELAHIRAN")
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    _login_admin(page, clerk.username)
    page.screenshot(path="test-artifacts/admin-home-360.png")
    overdue = page.locator("[data-testid=count-overdue]").first.bounding_box()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    context.close()
    assert overdue["x"] + overdue["width"] <= 360, overdue
    assert width <= 360, width


def test_case_pages_have_no_serious_axe_violations(browser, live_server):
    """The action buttons keep 4.5:1 (the warning colour was 3.3:1) and a complaint's photo link
    has a name (the thumbnail had alt="")."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kupang_portal.core import uploads
    from tests.pengaduan.conftest import png_bytes

    from .axe import violations

    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.axe")
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.axe")
    app = make_submitted(factories.resident(), "AKTA_KELAHIRAN")
    photo = uploads.check_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"), allowed=uploads.ALLOWED_PHOTO_TYPES)
    complaint = file_complaint(factories.resident(), photos=[photo], route=False).complaint
    context = new_phone_context(browser, live_server, width=1366, height=768)
    page = context.new_page()
    problems = {}
    for user, url in ((clerk, f"/admin/layanan/application/{app.pk}/change/"),
                      (verifier, f"/admin/pengaduan/complaint/{complaint.pk}/change/")):
        page.context.clear_cookies()
        _login_admin(page, user.username)
        page.goto(url)
        assert page.locator(".case-actions").count() == 1, url
        found = violations(page)
        if found:
            problems[url] = found
    context.close()
    assert not problems, problems


def test_office_head_case_page_fits_a_phone(browser, live_server):
    """The office head also sees who opened the case's personal data: that five-column table ran
    the whole page to ~435 px at 360; it scrolls inside its own (keyboard-reachable) box."""
    from .axe import violations

    head = factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL", username="kadis.hp")
    app = make_submitted(factories.resident(), "AKTA_KELAHIRAN")
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    _login_admin(page, head.username)
    page.goto(f"/admin/layanan/application/{app.pk}/change/")
    page.goto(f"/admin/layanan/application/{app.pk}/change/")  # the first visit is now in the log
    assert page.locator("[data-testid=case-access-log] td").count() >= 5
    width = page.evaluate("document.scrollingElement.scrollWidth")
    found = violations(page)
    page.screenshot(path="test-artifacts/admin-case-head-360.png", full_page=True)
    context.close()
    assert width <= 360, width
    assert not found, found
