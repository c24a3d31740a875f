"""Fixtures for the layanan tests: residents, clerks, small valid files, applications."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kupang_portal.accounts.roles import Role
from kupang_portal.core import uploads
from kupang_portal.workflow import engine
from layanan import services
from layanan.models import Service
from tests import factories

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NIK = "5371014512920004"


def pdf_file(name="dok.pdf", size=None):
    data = PDF if size is None else PDF + b"0" * max(0, size - len(PDF))
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def png_file(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_as_pdf(name="surat.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, content_type="application/pdf")


def service(code):
    return Service.objects.get(code=code)


def make_draft(user, code="KTP_EL_BARU", with_files=True):
    svc = service(code)
    app = services.create_draft(user, svc)
    services.save_draft_data(app, {"applicant_nik": NIK, "phone": "+6281234567890", "notes": ""})
    if with_files:
        files = {r: uploads.check_upload(pdf_file(f"{r.order}.pdf")) for r in svc.requirements.all() if r.is_required}
        services.store_uploads(app, files, user)
    return app


def make_submitted(user, code="KTP_EL_BARU"):
    app = make_draft(user, code)
    engine.perform(app, "submit", user)
    app.refresh_from_db()
    return app


def post_data(svc, action="submit", token=None, files=None, **data):
    payload = {"action": action, "applicant_nik": NIK, "phone": "081234567890", "notes": "", **data}
    if token:
        payload["token"] = str(token)
    payload.update(files or {})
    return payload


@pytest.fixture
def resident(db):
    return factories.resident(first_name="Maria", last_name="Ndolu")


@pytest.fixture
def other_resident(db):
    return factories.resident(first_name="Yosef", last_name="Lakapu")


@pytest.fixture
def clerk(db):
    return factories.staff(Role.CLERK, "DISDUKCAPIL")


@pytest.fixture
def clerk_dpmptsp(db):
    return factories.staff(Role.CLERK, "DPMPTSP")


@pytest.fixture
def clerk_pupr(db):
    return factories.staff(Role.CLERK, "PUPR")


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client
