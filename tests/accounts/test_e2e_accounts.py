"""The accounts pages in a 360 px wide Chromium (skipped when no Chromium is found)."""

import pytest

from tests.factories import PASSWORD, resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_signup_page_fits_a_phone_and_shows_errors_by_the_field(page):
    page.goto("/akun/daftar/")
    assert no_horizontal_scroll(page)
    page.fill("#id_first_name", "Yakobus")
    page.fill("#id_nik", "5371017205900001")
    page.fill("#id_phone", "0813-3900-1234")
    page.fill("#id_username", "yakobus")
    page.fill("#id_password1", "Sasando#Timor2026")
    page.fill("#id_password2", "Sasando#Timor2026")
    page.click("button[type=submit]")
    error = page.locator("#div_id_nik .invalid-feedback")
    assert "Tanggal lahir pada NIK tidak valid" in error.inner_text()
    assert error.is_visible()
    assert page.input_value("#id_phone") == "0813-3900-1234"
    assert no_horizontal_scroll(page)


def test_login_by_phone_then_profile_reveals_nik_field_on_demand(page, login):
    resident(username="maria", phone="+6281234500001", nik="5371015205900002")
    login("0812 3450 0001", PASSWORD)
    page.goto("/akun/profil/")
    assert page.locator("[data-testid=masked-nik]").inner_text() == "537101******0002"
    assert "5371015205900002" not in page.content()
    assert not page.locator("#id_nik").is_visible()
    page.click("text=Ubah NIK")
    page.locator("#id_nik").wait_for(state="visible")
    assert no_horizontal_scroll(page)
    page.screenshot(path="test-artifacts/accounts-profile.png", full_page=True)
