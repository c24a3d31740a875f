"""360 px browser journey: see the quota -> book from the application -> ticket -> the clerk
checks in by code -> the resident's application shows the visit."""

import os

import pytest

from kupang_portal.accounts.roles import Role
from layanan.models import Application
from tests import factories
from tests.layanan.conftest import make_submitted

from .conftest import make_schedule, wita


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counter_visit_journey(page, login, browser, live_server, monday, time_machine):
    time_machine.move_to(wita(monday, "07:00"))  # a working-day morning: today's slots are open
    schedule = make_schedule(min_days_ahead=0, windows=(("08:00", "10:00"),))
    resident = factories.resident(username="maria", first_name="Maria", last_name="Ndolu")
    clerk = factories.staff(Role.CLERK, "DISDUKCAPIL", username="petugas.loket")
    application = make_submitted(resident)
    Application.objects.filter(pk=application.pk).update(status="verified")

    # --- anyone sees the free places -------------------------------------------------------------
    page.goto("/antrean/")
    free = page.inner_text(f"[data-testid=free-{schedule.pk}-{monday:%Y-%m-%d}]").strip()
    assert free == "12"  # 4 slots x 3 online places

    # --- the resident books from the application -------------------------------------------------
    login("maria", factories.PASSWORD)
    page.goto(application.get_absolute_url())
    page.click("[data-testid=book-visit]")
    assert application.number in page.inner_text("[data-testid=linked-application]")
    page.check("[data-testid='slot-08:30']")
    page.click("[data-testid=hold-button]")
    page.wait_for_selector("[data-testid=hold-notice]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector("[data-testid=booking-code]")
    code = page.inner_text("[data-testid=booking-code]").strip()
    assert code.startswith("ANT-")
    assert "08:30" in page.inner_text("[data-testid=booking-window]")
    assert page.is_visible("[data-testid=ticket-qr] svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    os.makedirs("test-artifacts", exist_ok=True)
    page.screenshot(path="test-artifacts/antrean-ticket-360.png", full_page=True)
    page.goto("/antrean/")
    assert page.inner_text(f"[data-testid=free-{schedule.pk}-{monday:%Y-%m-%d}]").strip() == "11"

    # --- the clerk checks in by code (a scanner types it the same way) -----------------------------
    clerk_context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=live_server.url)
    clerk_context.set_default_timeout(15_000)
    desk = clerk_context.new_page()
    desk.goto("/akun/masuk/?next=/antrean/loket/")
    desk.fill("input[name=username]", "petugas.loket")
    desk.fill("input[name=password]", factories.PASSWORD)
    desk.click("button[type=submit]")
    desk.goto("/antrean/loket/")
    desk.fill("[data-testid=checkin-input]", code.lower())
    desk.press("[data-testid=checkin-input]", "Enter")
    desk.wait_for_selector("[data-testid=checkin-booking]")
    assert application.number in desk.inner_text("[data-testid=checkin-application]")
    desk.click("[data-testid=action-hadir]")
    desk.wait_for_selector("[data-testid=action-dilayani]")
    assert "Hadir" in desk.inner_text("[data-testid=checkin-status]")
    desk.screenshot(path="test-artifacts/antrean-counter-360.png", full_page=True)
    clerk_context.close()
    assert clerk.pk

    # --- the resident's application shows the visit ------------------------------------------------
    page.goto(application.get_absolute_url())
    visit = page.inner_text(f"[data-testid=visit-{code}]")
    assert "Hadir" in visit and "08:30" in visit
