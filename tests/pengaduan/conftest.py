"""Fixtures for complaint tests: people in each role and a helper to file complaints."""

import io

import pytest
from PIL import Image

from kupang_portal.accounts.roles import Role
from kupang_portal.organization.models import Kelurahan
from pengaduan import services
from pengaduan.models import Category, Kind
from tests import factories


@pytest.fixture
def reporter(db):
    return factories.resident(username="yosefina.reporter", first_name="Yosefina", last_name="Mbatu",
                              email="yosefina.mbatu@example.id")


@pytest.fixture
def other_resident(db):
    return factories.resident(username="orang.lain")


@pytest.fixture
def verifier(db):
    return factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.verifikasi")


@pytest.fixture
def dlhk_clerk(db):
    return factories.staff(Role.CLERK, "DLHK", username="clerk.dlhk")


@pytest.fixture
def pupr_clerk(db):
    return factories.staff(Role.CLERK, "PUPR", username="clerk.pupr")


@pytest.fixture
def supervisor(db):
    return factories.staff(Role.SUPERVISOR, username="pimpinan.kota")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def category(code):
    return Category.objects.get(service_code=code)


def kelurahan(code="53.71.01.1001"):
    return Kelurahan.objects.get(code=code)


def file_complaint(reporter=None, *, code="sampah", anonymous=None, confidential=False, kel="53.71.01.1001", kind=Kind.COMPLAINT,
                   title="Sampah menumpuk", description="Sampah di depan pasar belum diangkut.", route=True, **kwargs):
    """A complaint through the real service (flood limits off), routed synchronously."""
    result = services.submit_complaint(
        category=category(code), title=title, description=description, kind=kind, reporter=reporter,
        anonymous=reporter is None if anonymous is None else anonymous, confidential=confidential,
        kelurahan=kelurahan(kel) if kel else None, enforce_limits=False, **kwargs,
    )
    if route:
        services.route(result.complaint)
    result.complaint.refresh_from_db()
    return result


def jpeg_with_gps(size=(40, 30)):
    image = Image.new("RGB", size, (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    gps = {1: "S", 2: (10.0, 10.0, 0.0), 3: "E", 4: (123.0, 36.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()
