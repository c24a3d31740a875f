import pytest

from pengaduan import services
from pengaduan.models import ApiKey, ResponseTemplate, Status
from tests import factories

from .conftest import file_complaint, png_bytes

pytestmark = pytest.mark.django_db

LIST = "/admin/pengaduan/complaint/"


def change(c):
    return f"{LIST}{c.pk}/change/"


def test_verifier_sees_every_new_complaint_clerks_only_their_office(client, reporter, verifier, dlhk_clerk, pupr_clerk):
    new = file_complaint(reporter, title="Baru masuk").complaint
    routed_to_pupr = file_complaint(reporter, code="jalan-rusak", title="Jalan").complaint
    services.dispose(routed_to_pupr, verifier)
    client.force_login(verifier)
    body = client.get(LIST).content.decode()
    assert new.number in body
    assert client.get(change(new)).status_code == 200
    client.force_login(dlhk_clerk)
    body = client.get(LIST).content.decode()
    assert new.number not in body and routed_to_pupr.number not in body
    assert client.get(change(routed_to_pupr)).status_code == 404
    assert client.get(change(routed_to_pupr).replace("/change/", "/history/")).status_code == 404
    client.force_login(pupr_clerk)
    assert routed_to_pupr.number in client.get(LIST).content.decode()
    assert client.get(change(routed_to_pupr)).status_code == 200


def test_dispose_form_is_prefilled_with_the_routed_proposal(client, reporter, verifier):
    complaint = file_complaint(reporter).complaint
    client.force_login(verifier)
    page = client.get(change(complaint)).content.decode()
    assert 'data-testid="action-dispose"' in page and 'data-testid="proposed-office"' in page
    url = f"{LIST}{complaint.pk}/tindakan/dispose/"
    form = client.get(f"{url}?version={complaint.version}").content.decode()
    dlhk = factories.office("DLHK")
    assert f'<option value="{dlhk.pk}" selected>' in form
    response = client.post(url, {"office": dlhk.pk, "kind": "pengaduan", "note": "Diteruskan", "version": complaint.version})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSED and complaint.office == dlhk


def test_respond_with_a_template(client, reporter, verifier, dlhk_clerk):
    complaint = file_complaint(reporter).complaint
    services.dispose(complaint, verifier)
    complaint.refresh_from_db()
    template = ResponseTemplate.objects.get(category__service_code="sampah")
    client.force_login(dlhk_clerk)
    url = f"{LIST}{complaint.pk}/tindakan/respond/"
    form = client.get(f"{url}?version={complaint.version}").content.decode()
    assert "data-text=" in form and "js/pengaduan_admin.js" in form
    assert ResponseTemplate.objects.filter(category__service_code="jalan-rusak").first().title not in form
    empty = client.post(url, {"template": "", "text": "", "version": complaint.version})
    assert empty.status_code == 200 and "Tanggapan wajib diisi." in empty.content.decode()
    client.post(url, {"template": template.pk, "text": "", "version": complaint.version})
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED and complaint.latest_response.text == template.text


def test_reject_and_hand_on_pages(client, reporter, verifier, dlhk_clerk):
    spam = file_complaint(reporter).complaint
    client.force_login(verifier)
    url = f"{LIST}{spam.pk}/tindakan/reject/"
    response = client.post(url, {"reason": "spam", "note": "", "version": spam.version})
    assert response.status_code == 200 and "wajib" in response.content.decode()
    client.post(url, {"reason": "spam", "note": "Iklan", "version": spam.version})
    spam.refresh_from_db()
    assert spam.status == Status.REJECTED
    other = file_complaint(reporter).complaint
    services.dispose(other, verifier)
    other.refresh_from_db()
    client.force_login(dlhk_clerk)
    pupr = factories.office("PUPR")
    client.post(f"{LIST}{other.pk}/tindakan/hand_on/", {"office": pupr.pk, "note": "Kewenangan PUPR", "version": other.version})
    other.refresh_from_db()
    assert other.office == pupr
    # After handing it on, DLHK no longer sees it.
    assert client.get(change(other)).status_code == 404


def test_bulk_dispose_as_proposed(client, reporter, verifier):
    a = file_complaint(reporter).complaint
    b = file_complaint(reporter, code="air-bersih").complaint
    client.force_login(verifier)
    client.post(LIST, {"action": "dispose_as_proposed", "_selected_action": [a.pk, b.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.office.code == "DLHK" and b.office.code == "PERUMDA_AM" and a.status == b.status == Status.DISPOSED


def test_staff_photo_view_checks_scope(client, reporter, verifier, dlhk_clerk, pupr_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kupang_portal.core import uploads

    checked = uploads.check_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"), allowed=uploads.ALLOWED_PHOTO_TYPES)
    complaint = file_complaint(reporter, photos=[checked]).complaint
    services.dispose(complaint, verifier)
    photo = complaint.photos.get()
    url = f"/pengaduan/staf/foto/{photo.pk}/"
    client.force_login(dlhk_clerk)
    assert client.get(url).status_code == 200
    assert url in client.get(change(complaint)).content.decode()
    client.force_login(pupr_clerk)
    assert client.get(url).status_code == 404
    client.force_login(reporter)
    assert client.get(url).status_code == 404


def test_configuration_admin_and_api_key(client, superuser):
    client.force_login(superuser)
    for path in ("category", "routingrule", "responsetemplate", "apikey"):
        assert client.get(f"/admin/pengaduan/{path}/").status_code == 200
    response = client.post("/admin/pengaduan/apikey/add/", {"name": "Mitra", "is_active": "on"}, follow=True)
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Mitra")
    raw = response.content.decode().split("Kunci API baru: ")[1].split(":")[0]
    assert ApiKey.lookup(raw) == key


def test_clerk_cannot_edit_configuration(client, dlhk_clerk):
    client.force_login(dlhk_clerk)
    assert client.get("/admin/pengaduan/category/1/change/").status_code in (200, 403)
    assert client.post("/admin/pengaduan/category/add/", {"name": "x"}).status_code == 403
    assert client.get("/admin/pengaduan/apikey/").status_code == 403
