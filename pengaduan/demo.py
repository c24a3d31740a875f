"""Demo complaints in every state, across categories and kelurahan, made through the real
services and workflow engine (so history, deadlines and notifications are real). Idempotent:
skipped when demo complaints exist. Also the Open311 demo key ``kupang-demo-key``."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from kupang_portal.organization.models import Kelurahan

from . import services
from .models import ApiKey, Category, Channel, Complaint, Kind, RejectReason, hash_api_key
from .routing import resolve

DEMO_API_KEY = "kupang-demo-key"
COUNT = 45

# The final state of demo complaint i is PLAN[i % len(PLAN)].
PLAN = ["submitted", "routed", "disposed", "in_progress", "responded", "closed", "rejected", "reopened", "autoclosed",
        "handed_on", "responded_old"]

TEXTS = {
    "sampah": ("Sampah menumpuk di TPS", "Sampah di TPS dekat pasar sudah tiga hari tidak diangkut dan mulai berbau."),
    "jalan-rusak": ("Jalan berlubang", "Ada lubang besar di badan jalan yang membahayakan pengendara motor, terutama malam hari."),
    "drainase": ("Saluran tersumbat", "Saluran air tersumbat sampah sehingga air meluap ke jalan saat hujan."),
    "air-bersih": ("Air PDAM tidak mengalir", "Air PDAM tidak mengalir selama seminggu di RT kami."),
    "lampu-jalan": ("Lampu jalan mati", "Lampu penerangan jalan umum mati sepanjang 200 meter."),
    "adminduk": ("KTP-el belum jadi", "Sudah dua bulan rekam KTP-el tetapi belum dicetak."),
    "perizinan": ("Informasi izin usaha", "Mohon informasi persyaratan izin usaha mikro untuk warung makan."),
    "pungli": ("Pungutan tanpa kuitansi", "Diminta membayar biaya tambahan tanpa kuitansi saat mengurus surat."),
    "ketertiban": ("PKL menutup trotoar", "Pedagang kaki lima menutup trotoar sehingga pejalan kaki turun ke jalan."),
    "kesehatan": ("Antrean puskesmas", "Antrean di puskesmas sangat panjang dan loket dibuka terlambat."),
    "transportasi": ("Lampu lalu lintas rusak", "Lampu lalu lintas di persimpangan berkedip terus sejak kemarin."),
}


def _staff_for(office, users):
    return users.filter(office_memberships__office=office, office_memberships__is_active=True, is_active=True).first() \
        or users.filter(is_superuser=True, is_active=True).first()


@dataclass
class Cast:
    """Who acts in the demo complaints, and the categories they are about."""

    users: object
    warga: object
    verifier: object
    categories: list


def _file(i, cast, kel, now):
    """File demo complaint ``i`` at a time that fits its plan; returns (complaint, plan)."""
    category = cast.categories[i % len(cast.categories)]
    plan = PLAN[i % len(PLAN)]
    anonymous = i % 4 == 0 or cast.warga is None
    title, text = TEXTS.get(category.service_code, (category.name, f"Laporan tentang {category.name.lower()}."))
    old = plan in ("autoclosed", "responded_old")
    t0 = now - dt.timedelta(days=40 if old else (i % 9) + 1, hours=i % 5)
    result = services.submit_complaint(
        category=category, title=title, description=f"{text} (Contoh laporan demo #{i + 1}.)",
        kind=[Kind.COMPLAINT, Kind.COMPLAINT, Kind.ASPIRATION, Kind.INFORMATION][i % 4],
        reporter=None if anonymous else cast.warga, anonymous=anonymous,
        confidential=i % 5 == 0 or category.service_code == "pungli",
        kelurahan=kel, address=f"RT {i % 12 + 1:02d}/RW {i % 5 + 1:02d}", incident_date=(t0 - dt.timedelta(days=1)).date(),
        channel=Channel.DEMO, now=t0, enforce_limits=False,
    )
    complaint = result.complaint
    Complaint.objects.filter(pk=complaint.pk).update(created_at=t0)
    complaint.refresh_from_db()
    return complaint, plan


def _advance(complaint, plan, i, cast):
    """Move a demo complaint through the desk as far as its plan says, then to the office."""
    t0 = complaint.created_at
    if plan == "submitted":
        return
    services.route(complaint, now=t0 + dt.timedelta(minutes=1))
    if plan == "routed":
        return
    t1 = t0 + dt.timedelta(days=1)
    if plan == "rejected":
        services.perform(complaint, "reject", cast.verifier, note="Laporan ganda dengan nomor lain.",
                         data={"reason": RejectReason.DUPLICATE}, now=t1)
        return
    services.dispose(complaint, cast.verifier, now=t1)
    if plan != "disposed":
        _at_the_office(complaint, plan, i, cast, t1)


def _at_the_office(complaint, plan, i, cast, t1):
    clerk = _staff_for(complaint.office, cast.users)
    if plan == "handed_on":
        target = next((c for c in cast.categories if c.pk != complaint.category_id), complaint.category)
        office = resolve(target, complaint.kelurahan).office
        if office.pk != complaint.office_id:
            services.perform(complaint, "hand_on", clerk, note="Lokasi merupakan kewenangan OPD lain.",
                             data={"office": office}, now=t1 + dt.timedelta(hours=3))
        return
    t2 = t1 + dt.timedelta(hours=4)
    services.perform(complaint, "start", clerk, now=t2)
    if plan == "in_progress":
        return
    t3 = t2 + dt.timedelta(days=1)
    template = complaint.category.response_templates.filter(is_active=True).first()
    services.respond(complaint, clerk, template.text if template else "Laporan telah ditindaklanjuti.", now=t3)
    if plan not in ("responded", "responded_old"):
        _after_the_response(complaint, plan, i, cast, t3)


def _after_the_response(complaint, plan, i, cast, t3):
    warga = cast.warga
    if plan == "autoclosed":
        services.perform(complaint, "autoclose", None, now=t3 + dt.timedelta(days=20))
    elif plan == "reopened":
        if complaint.reporter_id:
            services.reporter_reopen(complaint, "Masalah muncul lagi setelah dua hari.", user=warga)
    elif complaint.reporter_id:
        services.rate_response(complaint, 4 + i % 2, "Terima kasih, cepat ditangani.", user=warga)
        services.reporter_close(complaint, user=warga)
    else:
        services.perform(complaint, "close", cast.verifier, now=t3 + dt.timedelta(days=2))


def seed(command):
    key = ApiKey.objects.filter(key_hash=hash_api_key(DEMO_API_KEY)).first()
    if key is None:
        key = ApiKey(name="Demo (kupang-demo-key)")
        key.set_key(DEMO_API_KEY)
        key.save()
    if Complaint.objects.filter(channel=Channel.DEMO).exists():
        command.stdout.write("Pengaduan demo: sudah ada, dilewati")
        return
    User = get_user_model()
    users = User.objects.all()
    warga = users.filter(username="warga").first()
    verifier = users.filter(username="verifikator").first() or users.filter(is_superuser=True).first()
    categories = list(Category.objects.filter(is_active=True))
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("code"))
    if not (categories and kelurahan and verifier):
        command.stdout.write("Pengaduan demo: data referensi/akun belum lengkap, dilewati")
        return
    now = timezone.now()
    cast = Cast(users, warga, verifier, categories)
    for i in range(COUNT):
        complaint, plan = _file(i, cast, kelurahan[(i * 7) % len(kelurahan)], now)
        _advance(complaint, plan, i, cast)
    made = COUNT
    command.stdout.write(f"Pengaduan demo: {made} pengaduan dalam setiap status; kunci Open311: {DEMO_API_KEY}")
