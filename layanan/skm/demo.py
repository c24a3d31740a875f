"""Demo SKM data: answered surveys for every active office except the complaint desk.

Run by ``seed_demo`` in its second pass (``layanan.demo.seed_late``), after the complaint demo, so
the surveys of closed demo complaints exist. For each office with services: completed applications
through the real engine in the previous and the current semester, most of them answered; the
previous semester of DISDUKCAPIL reaches its minimum sample and is published by ``kadis.dukcapil``
with an RTL. Idempotent: skipped once the demo respondents exist.
"""

import datetime as dt
import random

from django.utils import timezone

from kupang_portal.accounts.demo import ensure_user
from kupang_portal.accounts.models import User
from kupang_portal.accounts.roles import Role
from kupang_portal.organization.models import Office

from . import periods, selectors, services
from .constants import COMPLAINT_UNSUR, UNSUR_CODES, AgeGroup, Education, FollowUpStatus, Occupation, Sex
from .models import SurveyResponse

RESPONDENTS = [
    ("responden.demo1", "Agustina Lulu", "responden.demo1@example.id", "+6281234500021", "5371014107910021"),
    ("responden.demo2", "Frans Tefa", "responden.demo2@example.id", "+6281234500022", "5371021508870022"),
    ("responden.demo3", "Natalia Manu", "responden.demo3@example.id", "+6281234500023", "5371034902950023"),
    ("responden.demo4", "Petrus Nope", "responden.demo4@example.id", "+6281234500024", "5371041111800024"),
]
SUGGESTIONS = [
    "Ruang tunggu panas, mohon tambah kipas angin.",
    "Informasi persyaratan di situs perlu diperbarui.",
    "",
    "Pelayanan cepat, terima kasih.",
    "",
    "Pak Yohanes di loket 3 kurang ramah.",  # names a person: hidden by the office head in the demo
    "",
    "Mohon tambah loket saat jam sibuk.",
]
# Unsur that tend to score lower in the demo (so the RTL has something to address).
WEAK = {"DISDUKCAPIL": ("U3", "U8"), "DPMPTSP": ("U2", "U9")}


def _answers(rng, codes, weak):
    answers = {}
    for code in codes:
        if code == "U4" and rng.random() < 0.15:
            continue  # left unanswered now and then
        weights = (2, 4, 5, 2) if code in weak else (0, 1, 5, 4)
        answers[code] = rng.choices((1, 2, 3, 4), weights=weights)[0]
    return answers


def _profile(rng):
    def pick(choices):
        return "" if rng.random() < 0.2 else rng.choice(choices.values)

    return {"age_group": pick(AgeGroup), "sex": pick(Sex), "education": pick(Education), "occupation": pick(Occupation)}


def _answer(survey, rng, when, weak, suggestion=""):
    codes = COMPLAINT_UNSUR if survey.for_complaint else UNSUR_CODES
    profile = {**_profile(rng), "visit_date": timezone.localtime(when).date()}
    services.submit(survey, _answers(rng, codes, weak), suggestion, profile)
    SurveyResponse.objects.filter(pk=survey.pk).update(submitted_at=when)


def seed(command):
    from layanan.constants import ApplicationStatus
    from layanan.demo import _advance, _draft

    if User.objects.filter(username=RESPONDENTS[0][0]).exists():
        command.stdout.write("SKM demo: sudah ada, dilewati")
        return
    people = []
    for username, name, email, phone, nik in RESPONDENTS:
        user = ensure_user(username, name, Role.RESIDENT, email=email, phone=phone)
        if not user.nik and not User.objects.filter(nik=nik).exists():
            user.nik = nik
            user.save(update_fields=["nik"])
        people.append((user, nik, phone))
    rng = random.Random(2026)
    now = timezone.now()
    current = periods.containing(now)
    previous = current.previous()
    answered = 0
    offices = Office.objects.filter(services__is_published=True).distinct().order_by("code")
    for office in offices:
        catalogue = list(office.services.filter(is_published=True, steps__isnull=True).order_by("sort_order", "pk")[:4])
        if not catalogue:
            continue
        weak = WEAK.get(office.code, ("U8",))
        plan = [(previous, 12 if office.code == "DISDUKCAPIL" else 8), (current, 4)]
        for period, count in plan:
            span = (min(period.end, now) - period.start).days - 3
            for i in range(count):
                user, nik, phone = people[i % len(people)]
                service = catalogue[i % len(catalogue)]
                submitted = period.start + dt.timedelta(days=2 + (i * span) // count, hours=9)
                app = _draft(user, service, nik, phone)
                _advance(app, user, ApplicationStatus.COMPLETED, submitted)
                app.refresh_from_db()
                if office.code != "DISDUKCAPIL" and i % 4 == 3:
                    continue  # not every user answers
                when = min(app.completed_at + dt.timedelta(hours=20), now)
                _answer(app.survey, rng, when, weak, SUGGESTIONS[(i + len(office.code)) % len(SUGGESTIONS)])
                answered += 1
    _complaints_for_offices_without_services(people, now)
    for survey in SurveyResponse.objects.filter(complaint__isnull=False, submitted_at__isnull=True).select_related("complaint", "office"):
        when = min((survey.complaint.closed_at or now) + dt.timedelta(hours=5), now)
        _answer(survey, rng, when, WEAK.get(survey.office.code, ("U3",)), "")
        answered += 1
    _publish_demo(previous, command)
    command.stdout.write(f"SKM demo: {answered} survei terisi")


def _complaints_for_offices_without_services(people, now):
    """Three closed complaints (then answered) for every active office that has no survey yet
    (except the complaint desk, which verifies and disposes but does not follow up).

    The category is the office's routing rule where one exists, otherwise any category: the desk
    may dispose a complaint to any office.
    """
    from django.db.models import Q

    from kupang_portal.organization.models import Kelurahan
    from pengaduan import app_settings
    from pengaduan import services as complaints
    from pengaduan.models import Category, RoutingRule

    verifier = User.objects.filter(username="verifikator").first() or User.objects.filter(is_superuser=True).first()
    kelurahan = Kelurahan.objects.order_by("code").first()
    fallback = Category.objects.filter(is_active=True).order_by("pk").first()
    if verifier is None or kelurahan is None or fallback is None:
        return
    surveyed = set(SurveyResponse.objects.values_list("office_id", flat=True))
    desk = app_settings.desk_office_code()  # the desk verifies and disposes; it follows up nothing itself
    for office in Office.objects.filter(is_active=True).exclude(pk__in=surveyed).exclude(code=desk).order_by("code"):
        rule = RoutingRule.objects.filter(is_active=True, office=office).select_related("category").first()
        category = rule.category if rule else fallback
        clerk = (User.objects.filter(Q(office_memberships__office=office, office_memberships__is_active=True), is_active=True).first()
                 or User.objects.filter(is_superuser=True).first())
        for i in range(3):
            user = people[i % len(people)][0]
            t0 = now - dt.timedelta(days=30 - 7 * i, hours=3)
            complaint = complaints.submit_complaint(
                category=category, title=f"{category.name}: laporan warga",
                description="Contoh laporan demo untuk survei kepuasan penanganan pengaduan.", kind="pengaduan",
                reporter=user, kelurahan=kelurahan, now=t0, enforce_limits=False,
            ).complaint
            complaints.route(complaint, now=t0 + dt.timedelta(minutes=1))
            complaints.dispose(complaint, verifier, office=office, now=t0 + dt.timedelta(hours=20))
            complaints.perform(complaint, "start", clerk, now=t0 + dt.timedelta(days=1))
            complaints.respond(complaint, clerk, "Laporan telah ditindaklanjuti di lapangan.", now=t0 + dt.timedelta(days=2))
            complaints.perform(complaint, "close", verifier, now=t0 + dt.timedelta(days=4))


def _publish_demo(period, command):
    head = User.objects.filter(username="kadis.dukcapil").first()
    office = Office.objects.filter(code="DISDUKCAPIL").first()
    if head is None or office is None:
        return
    for survey in selectors.suggestions(office, period).filter(suggestion__contains="Pak Yohanes"):
        services.hide_suggestion(survey, head, "Menyebut nama petugas; disampaikan ke atasan langsung, bukan untuk publikasi.")
    lowest = selectors.office_results(office, period)["lowest"]
    plans = [
        ("Menambah satu loket perekaman pada jam sibuk dan menerapkan antrean daring.", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
         FollowUpStatus.ONGOING, "Loket tambahan dibuka sejak Agustus; antrean daring dalam uji coba."),
        ("Memperbaiki pendingin ruangan dan menambah kursi ruang tunggu.", "Sekretaris Dinas",
         FollowUpStatus.DONE, "Dua AC diperbaiki dan 20 kursi ditambahkan (berita acara serah terima)."),
        ("Memasang papan informasi alur layanan dan waktu penyelesaian.", "Kepala Subbagian Umum",
         FollowUpStatus.PLANNED, ""),
    ]
    for row, (action, responsible, status, evidence) in zip(lowest, plans, strict=False):
        services.save_follow_up(office, period, head, {
            "unsur": row["code"], "action": action, "responsible": responsible,
            "target_date": period.end_date + dt.timedelta(days=240), "status": status, "evidence": evidence,
        })
    published_on = min(period.end_date + dt.timedelta(days=20), timezone.localdate())
    services.publish(office, period, head, published_on, "Mutu pelayanan baik; waktu penyelesaian dan sarana prasarana menjadi prioritas perbaikan.")
    command.stdout.write(f"SKM demo: laporan {office.short_name} {period.label} diterbitkan dengan RTL")
