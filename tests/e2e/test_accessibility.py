"""axe-core on the resident pages at 360 px: 0 serious or critical violations (colour contrast of
inbox links on the unread background and of complaint status badges included); plus the layout
checks of the journeys issue (navigation on one line at 1366 px; relative inbox links)."""

import pytest

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications import services as notifications
from layanan.models import Service
from pengaduan import services as complaint_services
from tests import factories
from tests.pengaduan.conftest import file_complaint

from .axe import new_phone_context, violations, violations_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def resident_with_cases():
    resident = factories.resident(username="maria.axe", first_name="Maria", last_name="Ndolu", email="maria@example.id")
    verifier = factories.staff(Role.VERIFIER, "BAG_ORGANISASI")
    clerk = factories.staff(Role.CLERK, "DLHK")
    statuses = []
    for title in ("Baru", "Diteruskan", "Ditindaklanjuti", "Ditanggapi"):
        c = file_complaint(resident, title=f"Sampah {title}", route=False).complaint  # routed by the eager task on commit
        c.refresh_from_db()
        statuses.append(c)
    complaint_services.dispose(statuses[1], verifier)
    complaint_services.dispose(statuses[2], verifier)
    complaint_services.perform(statuses[2], "start", clerk)
    complaint_services.dispose(statuses[3], verifier)
    complaint_services.respond(statuses[3], clerk, "Sampah sudah diangkut.")
    for c in statuses:
        c.refresh_from_db()
    notifications.notify("complaint_closed", [resident], {}, link=f"/pengaduan/{statuses[0].number}/", case_number=statuses[0].number)
    return resident, statuses


def test_resident_pages_have_no_serious_axe_violations(browser, live_server, resident_with_cases):
    resident, complaints = resident_with_cases
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    public = ["/", "/layanan/", Service.objects.get(code="KTP_EL_BARU").get_absolute_url(), "/pengaduan/baru/", "/lacak/",
              f"/lacak/{complaints[3].number}/", "/akun/masuk/", "/akun/daftar/", "/halaman-yang-tidak-ada/"]
    private = ["/", "/pengaduan/", *[f"/pengaduan/{c.number}/" for c in complaints], "/akun/notifikasi/", "/akun/profil/",
               "/layanan/permohonan/", Service.objects.get(code="KTP_EL_BARU").get_apply_url()]
    problems = violations_at(page, public)
    _login(page, resident.username)
    problems.update(violations_at(page, private))
    page.goto("/akun/notifikasi/")
    page.screenshot(path="test-artifacts/inbox-360.png", full_page=True)
    context.close()
    assert not problems, problems


def test_inbox_link_is_relative_and_opens_on_this_server(browser, live_server, resident_with_cases, settings):
    resident, complaints = resident_with_cases
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    _login(page, resident.username)
    page.goto("/akun/notifikasi/")
    link = page.locator("[data-testid=notification-open]").first
    assert link.get_attribute("href") == f"/pengaduan/{complaints[0].number}/"
    link.click()
    assert page.url == f"{live_server.url}/pengaduan/{complaints[0].number}/"  # not SITE_URL (127.0.0.1:8000)
    context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_logged_in_navigation_fits_one_line_at_1366(browser, live_server, language):
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.lebar", first_name="Yohanes Maria Vianney", last_name="Kolo Bria")
    # An unread count of two digits widened the bar past 1366 px (the name and "Keluar" ran off the edge).
    for _ in range(72):
        notifications.notify("dashboard_export_ready", [clerk], {"rows": 1, "format": "CSV"}, link="/dasbor/", channels=["inapp"])
    context = new_phone_context(browser, live_server, width=1366, height=768)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    _login(page, "petugas.lebar")
    page.goto("/")
    assert page.get_attribute("html", "lang") == language
    tops = page.evaluate("[...document.querySelectorAll('nav .navbar-brand, nav .nav-item')].map(e => Math.round(e.getBoundingClientRect().top))")
    height = page.evaluate("document.querySelector('nav').getBoundingClientRect().height")
    page.screenshot(path="test-artifacts/nav-1366.png")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.click("[data-testid=nav-profile]")  # the person's own pages and "Keluar" are in its menu
    logout = page.locator("[data-testid=nav-logout]").bounding_box()
    mine = page.locator("[data-testid=nav-my-applications]").is_visible()
    context.close()
    assert max(tops) - min(tops) <= 12, tops
    assert height < 80, height
    assert width <= 1366, width  # nothing runs off the right edge (it was 1,673-1,910 px)
    assert mine and logout["x"] + logout["width"] <= 1366, logout


def test_dashboard_pages_have_no_serious_axe_violations(browser, live_server):
    """The supervisor dashboards at 360 px: the wide tables scroll sideways, so each scrolling
    region must be reachable with the keyboard (axe: scrollable-region-focusable)."""
    factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL", username="kadis.axe")
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    _login(page, "kadis.axe")
    for url in ("/dasbor/", "/dasbor/kinerja/", "/dasbor/staf/", "/dasbor/cara-menghitung/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        found = violations(page)
        assert found == [], (url, found)
    context.close()


def test_application_status_badges_are_readable(browser, live_server):
    """My applications and an application's page show a status badge per application; every
    status (verified and in process on light blue, needs revision on yellow included) must keep
    the text readable (axe colour contrast)."""
    from layanan.constants import ApplicationStatus
    from layanan.models import Application
    from tests.layanan.conftest import make_submitted

    resident = factories.resident(username="maria.badges")
    numbers = []
    for status in ApplicationStatus.values:
        if status == ApplicationStatus.DRAFT:
            continue
        app = make_submitted(resident)
        Application.objects.filter(pk=app.pk).update(status=status)
        numbers.append(app.number)
    context = new_phone_context(browser, live_server)
    page = context.new_page()
    _login(page, resident.username)
    problems = violations_at(page, ["/layanan/permohonan/", *[f"/layanan/permohonan/{n}/" for n in numbers]])
    context.close()
    assert not problems, problems


def test_public_pages_at_1366_have_no_serious_axe_violations(browser, live_server):
    """On a laptop the navigation is expanded: its links must keep 4.5:1 on the portal blue
    (Bootstrap's navbar-dark default, 55 % white, gave 3.9:1)."""
    context = new_phone_context(browser, live_server, width=1366, height=768)
    page = context.new_page()
    problems = violations_at(page, ("/", "/layanan/", "/lacak/", "/pengaduan/baru/", "/transparansi/"))
    context.close()
    assert not problems, problems
