"""Complaint deadlines along SP4N-LAPOR!, in one place (the workflow, the pages and the tests use
these functions, so what residents read is what the code does):

1. the verification desk verifies and forwards within ``VERIFY_DAYS`` (3) working days;
2. the office gives its first follow-up within ``FIRST_FOLLOW_UP_DAYS`` (5) working days of
   being handed the complaint, whatever the category;
3. when the category (or the kind of report) needs longer, the completion time (14 or 60 working
   days) runs from that first follow-up ("Terima dan mulai tindak lanjut");
4. a responded complaint closes by itself after ``CLOSE_AFTER_DAYS`` (10) working days.
"""

from django.utils.translation import gettext as _

from kupang_portal.workflow import sla

from . import app_settings


def first_follow_up_days():
    return app_settings.get("FIRST_FOLLOW_UP_DAYS", 5)


def completion_days(category, kind=None):
    """Working days to complete after the first follow-up (the category's, or its kind's)."""
    by_kind = app_settings.kind_follow_up_days()
    return (by_kind.get(kind) if kind else None) or category.follow_up_days


def on_handed_to_office(case, now):
    """Forwarded (or handed on) to an office: the first-follow-up clock starts."""
    sla.start_clock(case, first_follow_up_days(), now)


def on_first_follow_up(case, now):
    """The office started its follow-up: a longer completion time now applies; a category whose
    completion time is the first follow-up's keeps its deadline."""
    if case.follow_up_days > first_follow_up_days():
        sla.start_clock(case, case.follow_up_days, now)


def category_text(days):
    """What a resident reads for a category with ``days`` completion days."""
    first = first_follow_up_days()
    if days <= first:
        return _("Tindak lanjut dan tanggapan OPD paling lambat %(first)s hari kerja setelah pengaduan diteruskan.") % {"first": first}
    return _("Tindak lanjut pertama paling lambat %(first)s hari kerja setelah pengaduan diteruskan; penyelesaian paling lambat "
             "%(days)s hari kerja setelah tindak lanjut pertama.") % {"first": first, "days": days}


def steps_text():
    """The four rules for the home page."""
    return [
        _("Verifikasi dan penerusan ke OPD: paling lambat %(n)s hari kerja.") % {"n": app_settings.verify_days()},
        _("Tindak lanjut pertama oleh OPD: paling lambat %(n)s hari kerja setelah diteruskan, untuk semua kategori.")
        % {"n": first_follow_up_days()},
        _("Bila perlu koordinasi atau pemeriksaan, penyelesaian paling lambat 14 atau 60 hari kerja setelah tindak lanjut "
          "pertama (lihat kategori)."),
        _("Selesai otomatis %(n)s hari kerja setelah ditanggapi bila tidak ada balasan.") % {"n": app_settings.close_after_days()},
    ]
