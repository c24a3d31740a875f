"""Fixed vocabulary of the SKM: unsur, answer scale, respondent profile, periods, RTL statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kupang_portal.organization.reference import reference_data

UNSUR_CODES = tuple(f"U{i}" for i in range(1, 10))

# Unsur a resident can judge after a complaint was answered and closed. The others measure the
# service standard itself (requirements, fee, product, premises) which a complaint does not deliver.
COMPLAINT_UNSUR = ("U2", "U3", "U6", "U7", "U9")
COMPLAINT_UNSUR_REASON = _(
    "Untuk pengaduan hanya unsur prosedur, waktu, kompetensi, perilaku petugas dan penanganan pengaduan yang "
    "dinilai; persyaratan, biaya, produk layanan dan sarana prasarana tidak berlaku karena pengaduan tidak "
    "melalui standar pelayanan suatu produk."
)

# How long an invitation stays open after the service was delivered (calendar days).
SURVEY_OPEN_DAYS = 30


def unsur():
    """[(code, name, question, [answer 1..4])] from the reference data (PermenPANRB 14/2017)."""
    return [(u["code"], u["name"], u["question"], u["answers"]) for u in reference_data()["skm"]["unsur"]]


def unsur_names():
    return {code: name for code, name, _q, _a in unsur()}


class AgeGroup(models.TextChoices):
    UNDER_20 = "lt20", _("di bawah 20 tahun")
    A20_29 = "20-29", _("20–29 tahun")
    A30_39 = "30-39", _("30–39 tahun")
    A40_49 = "40-49", _("40–49 tahun")
    A50_59 = "50-59", _("50–59 tahun")
    A60 = "60+", _("60 tahun ke atas")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", _("SD ke bawah")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    D123 = "d123", _("D1/D2/D3")
    S1 = "s1", _("D4/S1")
    S2 = "s2", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "pns", _("PNS/ASN")
    TNI_POLRI = "tni_polri", _("TNI/Polri")
    PRIVATE = "swasta", _("Pegawai swasta")
    ENTREPRENEUR = "wirausaha", _("Wirausaha")
    FARMER = "petani_nelayan", _("Petani/Nelayan")
    STUDENT = "pelajar", _("Pelajar/Mahasiswa")
    OTHER = "lainnya", _("Lainnya")


PROFILE_FIELDS = (
    ("age_group", _("Kelompok umur"), AgeGroup),
    ("sex", _("Jenis kelamin"), Sex),
    ("education", _("Pendidikan terakhir"), Education),
    ("occupation", _("Pekerjaan utama"), Occupation),
)


class PeriodKind(models.TextChoices):
    SEMESTER = "semester", _("Semester")
    QUARTER = "triwulan", _("Triwulan")
    YEAR = "tahun", _("Tahun")


class FollowUpStatus(models.TextChoices):
    PLANNED = "rencana", _("Rencana")
    ONGOING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")


# Krejcie & Morgan (1970): chi-square for 1 degree of freedom at 95 %, proportion 0.5, margin 5 %.
KM_CHI_SQUARE = 3.841
KM_PROPORTION = 0.5
KM_MARGIN = 0.05
