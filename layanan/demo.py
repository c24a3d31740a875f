"""Demo applications in every state, made through the engine (real history and deadlines).

Idempotent: skipped when the demo resident already has applications.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kupang_portal.accounts.demo import ensure_user
from kupang_portal.accounts.models import User
from kupang_portal.accounts.roles import Role
from kupang_portal.core import uploads
from kupang_portal.workflow import engine

from . import services
from .constants import ApplicationStatus as S
from .models import Application, Service

# Minimal valid one-page PDF (content sniffing needs only the header; this also opens in viewers).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

EXTRA_RESIDENTS = [
    ("warga.demo1", "Yosef Lakapu", "warga.demo1@example.id", "+6281234500011", "5371011203850001"),
    ("warga.demo2", "Ester Bani", "warga.demo2@example.id", "+6281234500012", "5371025507900002"),
    ("warga.demo3", "Marthen Selan", "warga.demo3@example.id", "+6281234500013", "5371031010880003"),
]

# (resident index: 0 = warga, service code, final state, days ago submitted)
PLAN = [
    (0, "KTP_EL_BARU", S.DRAFT, 0),
    (0, "KK_BARU", S.SUBMITTED, 1),
    (0, "AKTA_KELAHIRAN", S.NEEDS_REVISION, 2),
    (0, "KIA", S.VERIFIED, 2),
    (0, "NIB_OSS", S.IN_PROCESS, 1),
    (0, "KK_PERUBAHAN", S.COMPLETED, 6),
    (0, "IZIN_REKLAME", S.REJECTED, 4),
    (0, "SKPWNI", S.WITHDRAWN, 1),
    (0, "PBG", "pbg_at_pupr", 5),
    (1, "KTP_EL_BARU", S.SUBMITTED, 8),
    (1, "AKTA_KEMATIAN", S.IN_PROCESS, 3),
    (1, "SIP_NAKES", "at_second_office", 2),
    (2, "KK_HILANG_RUSAK", S.COMPLETED, 10),
    (2, "PINDAH_DATANG", S.VERIFIED, 1),
    (2, "SLF", S.SUBMITTED, 12),
    (3, "AKTA_PERKAWINAN", S.NEEDS_REVISION, 3),
    (3, "IUMK_UMK", S.COMPLETED, 2),
    (3, "KTP_EL_BARU", S.IN_PROCESS, 15),
]


def _pdf(name):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _clerk_for(app):
    from kupang_portal.accounts.models import OfficeMembership

    membership = OfficeMembership.objects.filter(office=app.office, is_active=True, user__is_active=True).select_related("user").first()
    if membership:
        return membership.user
    return User.objects.filter(is_superuser=True).first()


def _draft(resident, service, nik, phone):
    app = services.create_draft(resident, service)
    services.save_draft_data(app, {"applicant_nik": nik, "phone": phone, "notes": ""})
    files = {req: uploads.check_upload(_pdf(f"{req.order}-{service.number_prefix.lower()}.pdf"))
             for req in service.requirements.all() if req.is_required}
    services.store_uploads(app, files, resident)
    return app


def _advance(app, resident, target, submitted_at):
    def act(name, actor=None, note="", data=None):
        actor = actor if actor is not None else _clerk_for(app)
        engine.perform(app, name, actor, note=note, data=data or {}, now=now())

    step = {"t": submitted_at}

    def now():
        step["t"] = min(step["t"] + dt.timedelta(hours=3), timezone.now())
        return step["t"]

    if target == S.DRAFT:
        return
    if target == S.WITHDRAWN:
        engine.perform(app, "submit", resident, now=submitted_at)
        engine.perform(app, "withdraw", resident, now=now())
        return
    engine.perform(app, "submit", resident, now=submitted_at)
    if target == S.SUBMITTED:
        return
    if target == S.NEEDS_REVISION:
        act("request_revision", note="Pindaian dokumen pertama buram; mohon unggah ulang yang lebih jelas.")
        return
    if target == S.REJECTED:
        act("reject", note="Lokasi reklame berada di zona larangan pemasangan menurut Perwali.")
        return
    act("verify")
    if target == S.VERIFIED:
        return
    act("process")
    if target == S.IN_PROCESS:
        return
    if target in ("pbg_at_pupr", "at_second_office"):
        act("finish_step", note="Berkas lengkap, diteruskan untuk pemeriksaan teknis.")
        services.route_application(app.pk, 0)
        app.refresh_from_db()
        return
    if target == S.COMPLETED:
        issued = _pdf("dokumen-hasil.pdf")
        act("complete", note="Dokumen dapat diunduh.", data={"issued_document": issued})


def seed(command):
    warga = User.objects.filter(username="warga").first()
    if warga is None:
        command.stdout.write("Permohonan demo dilewati: akun demo 'warga' belum ada.")
        return
    if Application.objects.filter(applicant=warga).exists():
        command.stdout.write("Permohonan demo sudah ada; dilewati.")
        return
    residents = [warga]
    for username, name, email, phone, nik in EXTRA_RESIDENTS:
        user = ensure_user(username, name, Role.RESIDENT, email=email, phone=phone)
        if not user.nik and not User.objects.filter(nik=nik).exists():
            user.nik = nik
            user.save(update_fields=["nik"])
        residents.append(user)
    niks = ["5371014512920004"] + [r[4] for r in EXTRA_RESIDENTS]
    phones = ["+6281234500001"] + [r[3] for r in EXTRA_RESIDENTS]
    catalogue = {s.code: s for s in Service.objects.all()}
    now = timezone.now()
    count = 0
    for who, code, target, days_ago in PLAN:
        resident = residents[who]
        app = _draft(resident, catalogue[code], niks[who], phones[who])
        _advance(app, resident, target, now - dt.timedelta(days=days_ago))
        count += 1
    command.stdout.write(f"Permohonan demo: {count} permohonan untuk {len(residents)} warga.")


def seed_late(command):
    """Second pass of seed_demo (after every app's seed): SKM answers, incl. closed demo complaints."""
    from .skm import demo as skm_demo

    skm_demo.seed(command)
