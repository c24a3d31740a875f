"""A resident logs in with a phone-sized Chromium and sees the home page."""

import pytest

from kupang_portal.accounts.demo import DEMO_PASSWORD, ensure_user
from kupang_portal.accounts.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_warga_logs_in_and_sees_home(page, login):
    ensure_user("warga", "Maria Ndolu", Role.RESIDENT, email="warga@example.id", phone="+6281234500001")
    login("warga", DEMO_PASSWORD)
    page.goto("/")
    assert page.locator("[data-testid=nav-profile]").inner_text().strip() == "Maria Ndolu"
    assert page.get_by_role("heading", name="Urus dokumen dan izin tanpa antre").is_visible()
    # Bootstrap is served by the portal itself and applied (no CDN).
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"
    page.screenshot(path="test-artifacts/home-warga-360.png", full_page=True)
