"""SKM reads: results per office / service / period, profile, suggestions and who may see what.

Definitions (shown to readers in Indonesian on the report page, ``DEFINITIONS``):
- respondents: submitted surveys of the unit whose submission time falls in the period and that
  answer at least one unsur;
- population: service users of the unit in the period = applications completed in the period
  (the office that completed them) plus, for the office as a whole, complaints closed in the period
  after a response; each of them receives one survey invitation;
- minimum sample: Krejcie-Morgan for that population (``calc.krejcie_morgan``);
- collection period: first and last submission date among the respondents.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kupang_portal.accounts.roles import Role

from . import calc
from .constants import PROFILE_FIELDS, UNSUR_CODES, unsur_names
from .models import SkmReport, SurveyResponse

DEFINITIONS = [
    (gettext_lazy("Responden"), gettext_lazy(
        "Jumlah survei yang dikirim pada periode ini (menurut tanggal pengisian) dengan paling sedikit satu unsur dijawab.")),
    (gettext_lazy("Populasi"), gettext_lazy(
        "Jumlah pengguna layanan pada periode ini: permohonan yang diselesaikan OPD pada periode itu, ditambah "
        "(untuk OPD secara keseluruhan) pengaduan yang ditutup setelah ditanggapi. Setiap pengguna menerima satu undangan survei.")),
    (gettext_lazy("Sampel minimum"), gettext_lazy(
        "Rumus Krejcie dan Morgan: s = X²·N·P(1-P) / (d²(N-1) + X²·P(1-P)) dengan X² = 3,841, P = 0,5, d = 0,05, "
        "dibulatkan ke bilangan bulat terdekat (N = 100 menghasilkan 80). Bila responden kurang dari angka ini, hasil ditandai "
        "“belum memenuhi jumlah sampel minimum”.")),
    (gettext_lazy("NRR per unsur"), gettext_lazy(
        "Nilai rata-rata unsur = jumlah nilai jawaban unsur itu (1–4) dibagi jumlah responden yang menjawab unsur itu; "
        "pertanyaan yang tidak dijawab tidak dihitung.")),
    (gettext_lazy("IKM"), gettext_lazy(
        "Jumlah NRR × bobot; bobot sama untuk setiap unsur yang dijawab dan berjumlah 1 (1/9 = 0,111 bila kesembilan unsur dijawab).")),
    (gettext_lazy("Nilai konversi"), gettext_lazy("IKM × 25 (skala 25–100), dibulatkan dua desimal di akhir.")),
    (gettext_lazy("Mutu dan kinerja"), gettext_lazy(
        "Dari nilai konversi: 88,31–100 A (Sangat Baik); 76,61–88,30 B (Baik); 65,00–76,60 C (Kurang Baik); "
        "25,00–64,99 D (Tidak Baik).")),
    (gettext_lazy("Periode pengumpulan"), gettext_lazy("Tanggal pengisian survei pertama dan terakhir pada periode ini.")),
]


# --- who may see what --------------------------------------------------------------------------

def is_office_head(user, office):
    return bool(user and user.is_authenticated and office.pk in user.office_ids([Role.OFFICE_HEAD]))


def can_read_drafts(user, office):
    """Office heads of the office and city-wide readers (pimpinan, admin) see unpublished reports."""
    return bool(user and user.is_authenticated and (user.is_city_wide or is_office_head(user, office)))


def head_offices(user):
    from kupang_portal.organization.models import Office

    if not (user and user.is_authenticated):
        return Office.objects.none()
    return Office.objects.filter(pk__in=user.office_ids([Role.OFFICE_HEAD]))


def report(office, period):
    """The stored report of the office for the period, or None."""
    return SkmReport.objects.filter(office=office, period_kind=period.kind, year=period.year, number=period.number).first()


def published_reports():
    return SkmReport.objects.filter(published_at__isnull=False).select_related("office")


# --- results -----------------------------------------------------------------------------------

def responses(office, period, until=None):
    qs = SurveyResponse.objects.filter(office=office, submitted_at__gte=period.start, submitted_at__lt=period.end)
    if until is not None:
        qs = qs.filter(submitted_at__lte=until)
    return qs


def population(office, period, service=None):
    """Service users of the unit in the period (see the module docstring)."""
    from layanan.constants import ApplicationStatus
    from layanan.models import Application

    apps = Application.objects.filter(office=office, status=ApplicationStatus.COMPLETED,
                                      completed_at__gte=period.start, completed_at__lt=period.end)
    if service is not None:
        return apps.filter(service=service).count()
    return apps.count() + _closed_complaints(office, period)


def _closed_complaints(office, period):
    from pengaduan.models import Complaint, Status

    return Complaint.objects.filter(
        office=office, status=Status.CLOSED, closed_at__gte=period.start, closed_at__lt=period.end,
        responses__isnull=False,
    ).distinct().count()


def _unit(rows, population_size):
    result = calc.ikm([row["answers"] for row in rows])
    required = calc.krejcie_morgan(population_size)
    respondents = result["respondents"] if result else 0
    return {
        "population": population_size,
        "sample_required": required,
        "respondents": respondents,
        "meets_sample": bool(result) and respondents >= required,
        "result": result,
    }


def _unsur_table(result):
    names = unsur_names()
    weak = calc.lowest(result["nrr"]) if result else []
    table = []
    for code in UNSUR_CODES:
        value = result["nrr"][code] if result else None
        table.append({
            "code": code, "name": names[code], "answers": result["answers"][code] if result else 0,
            "nrr": value, "weighted": (value * result["weight"]).quantize(Decimal("0.001")) if value is not None else None,
            "lowest": code in weak,
        })
    return table, weak


def profile(rows):
    """[(label, [(choice label, count)], unanswered)] for the optional respondent profile."""
    table = []
    for name, label, choices in PROFILE_FIELDS:
        counts = Counter(row[name] for row in rows)
        table.append({
            "label": str(label),
            "rows": [{"label": str(choice_label), "count": counts.get(value, 0)} for value, choice_label in choices.choices],
            "unanswered": counts.get("", 0),
        })
    return table


def office_results(office, period, until=None):
    """Everything a report shows for one office and period (computed now, not cached)."""
    from layanan.models import Service

    fields = ["answers", "service_id", "complaint_id", "submitted_at"] + [name for name, _l, _c in PROFILE_FIELDS]
    rows = [row for row in responses(office, period, until).values(*fields)
            if any(row["answers"].get(code) for code in UNSUR_CODES)]
    unit = _unit(rows, population(office, period))
    table, weak = _unsur_table(unit["result"])
    by_service = {}
    for row in rows:
        if row["service_id"]:
            by_service.setdefault(row["service_id"], []).append(row)
    service_ids = set(by_service) | set(
        Service.objects.filter(applications__office=office, applications__completed_at__gte=period.start,
                               applications__completed_at__lt=period.end).values_list("pk", flat=True)
    )
    services = []
    for service in Service.objects.filter(pk__in=service_ids).order_by("name"):
        part = _unit(by_service.get(service.pk, []), population(office, period, service))
        services.append({"name": service.name, "slug": service.slug, **part})
    dates = sorted(timezone.localtime(row["submitted_at"]).date() for row in rows)
    return {
        "office": {"code": office.code, "name": office.name, "short_name": office.short_name},
        "period": {"key": period.key, "label": period.label, "first_day": period.first_day, "last_day": period.last_day},
        **unit,
        "unsur": table,
        "lowest": [{"code": row["code"], "name": row["name"], "nrr": row["nrr"]}
                   for code in weak for row in table if row["code"] == code],
        "complaint_respondents": sum(1 for row in rows if row["complaint_id"]),
        "collection_first": dates[0] if dates else None,
        "collection_last": dates[-1] if dates else None,
        "profile": profile(rows),
        "services": services,
        "computed_at": timezone.now(),
    }


def to_json(value):
    """Decimals and dates as strings so a result can be stored as a snapshot."""
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def from_json(snapshot):
    """A stored snapshot with its dates and decimals back as objects (for templates and the PDF)."""
    import datetime as dt

    def decimal(value):
        return Decimal(value) if isinstance(value, str) else value

    data = dict(snapshot)
    for key in ("collection_first", "collection_last"):
        data[key] = dt.date.fromisoformat(data[key]) if data.get(key) else None
    data["period"] = {**data["period"], "first_day": dt.date.fromisoformat(data["period"]["first_day"]),
                      "last_day": dt.date.fromisoformat(data["period"]["last_day"])}
    data["computed_at"] = dt.datetime.fromisoformat(data["computed_at"])

    def unit(part):
        result = part.get("result")
        if result:
            result = {**result, "nrr": {k: decimal(v) for k, v in result["nrr"].items()},
                      **{k: decimal(result[k]) for k in ("weight", "ikm", "konversi")}}
        return {**part, "result": result}

    data.update(unit(data))
    data["unsur"] = [{**row, "nrr": decimal(row["nrr"]), "weighted": decimal(row["weighted"])} for row in data["unsur"]]
    data["lowest"] = [{**row, "nrr": decimal(row["nrr"])} for row in data["lowest"]]
    data["services"] = [unit(part) for part in data["services"]]
    return data


def results_for_report(office, period, stored=None):
    """Published: the frozen snapshot. Draft: computed now."""
    if stored is not None and stored.is_published and stored.snapshot:
        return from_json(stored.snapshot)
    return office_results(office, period)


def suggestions(office, period, include_hidden=False, until=None):
    qs = responses(office, period, until).exclude(suggestion="").order_by("submitted_at")
    if not include_hidden:
        qs = qs.filter(suggestion_hidden=False)
    return qs.only("pk", "suggestion", "suggestion_hidden", "suggestion_hidden_reason", "service", "office")


def offices_with_results(period, offices=None):
    """Offices that have answers, a stored report or users in the period (for the list page)."""
    from kupang_portal.organization.models import Office

    ids = set(SurveyResponse.objects.filter(submitted_at__gte=period.start, submitted_at__lt=period.end)
              .values_list("office_id", flat=True).distinct())
    ids |= set(SkmReport.objects.filter(period_kind=period.kind, year=period.year, number=period.number)
               .values_list("office_id", flat=True))
    qs = Office.objects.filter(pk__in=ids).order_by("name")
    if offices is not None:
        qs = qs.filter(Q(pk__in=offices))
    return qs


def open_survey_for_application(application):
    try:
        survey = SurveyResponse.objects.get(application=application)
    except SurveyResponse.DoesNotExist:
        return None
    return survey if survey.is_open else None


def open_survey_for_complaint(complaint):
    try:
        survey = SurveyResponse.objects.get(complaint=complaint)
    except SurveyResponse.DoesNotExist:
        return None
    return survey if survey.is_open else None
