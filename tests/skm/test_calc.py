"""SKM arithmetic against figures computed by hand (see tests/skm/conftest.py ANSWERS).

NRR (unanswered items excluded): U1 16/5=3,20  U2 13/4=3,25  U3 13/5=2,60  U4 17/5=3,40  U5 17/5=3,40
U6 18/5=3,60  U7 19/5=3,80  U8 14/5=2,80  U9 5/3=1,6667. Sum 27,716667; IKM = sum/9 = 3,0796;
konversi = 3,0796296 x 25 = 76,99 -> B (Baik). (With the rounded weight 0,111 it would be 76,91;
counting unanswered items as zero would give U2 2,60 and U9 1,00.)
Population 12 completed applications -> Krejcie-Morgan 11,67 -> 12; 5 respondents: short.
"""

from decimal import Decimal

import pytest

from layanan.skm import calc, selectors

from .conftest import ANSWERS, PERIOD

pytestmark = pytest.mark.django_db


def rows():
    return [{f"U{i + 1}": v for i, v in enumerate(a) if v is not None} for a in ANSWERS]


def test_nrr_ikm_conversion_and_mutu_by_hand():
    result = calc.ikm(rows())
    nrr = {code: value.quantize(Decimal("0.01")) for code, value in result["nrr"].items()}
    assert nrr == {"U1": Decimal("3.20"), "U2": Decimal("3.25"), "U3": Decimal("2.60"), "U4": Decimal("3.40"),
                   "U5": Decimal("3.40"), "U6": Decimal("3.60"), "U7": Decimal("3.80"), "U8": Decimal("2.80"),
                   "U9": Decimal("1.67")}
    assert result["answers"]["U2"] == 4 and result["answers"]["U9"] == 3
    assert result["respondents"] == 5
    assert result["ikm"].quantize(Decimal("0.01")) == Decimal("3.08")
    assert result["konversi"] == Decimal("76.99")
    assert (result["mutu"], result["kinerja"]) == ("B", "Baik")
    assert calc.lowest(result["nrr"]) == ["U9", "U3", "U8"]


def test_equal_weights_sum_to_one_over_answered_unsur():
    only_complaint_unsur = [{"U2": 4, "U3": 3, "U6": 4, "U7": 4, "U9": 2}]
    result = calc.ikm(only_complaint_unsur)
    assert result["unsur_counted"] == 5 and result["weight"] == Decimal("0.200")
    assert result["konversi"] == Decimal("85.00")  # (4+3+4+4+2)/5 = 3,4 x 25
    assert calc.ikm([{}, {"U1": None}]) is None


@pytest.mark.parametrize("value,grade,label", [
    (25, "D", "Tidak Baik"), (64.99, "D", "Tidak Baik"), (64.995, "C", "Kurang Baik"), (65, "C", "Kurang Baik"),
    (76.60, "C", "Kurang Baik"), (76.61, "B", "Baik"), (88.30, "B", "Baik"), (88.31, "A", "Sangat Baik"), (100, "A", "Sangat Baik"),
])
def test_mutu_intervals(value, grade, label):
    assert calc.mutu(value) == (grade, label)


@pytest.mark.parametrize("population,sample", [(0, 0), (3, 3), (10, 10), (12, 12), (50, 44), (100, 80), (1000, 278), (1000000, 384)])
def test_krejcie_morgan_matches_the_published_table(population, sample):
    assert calc.krejcie_morgan(population) == sample


def test_office_result_from_the_database(fixture_answers, office):
    data = selectors.office_results(office, PERIOD)
    assert data["respondents"] == 5 and data["population"] == 12 and data["sample_required"] == 12
    assert data["meets_sample"] is False
    assert data["result"]["konversi"] == Decimal("76.99")
    assert [row["code"] for row in data["lowest"]] == ["U9", "U3", "U8"]
    sex = next(group for group in data["profile"] if group["label"] == "Jenis kelamin")
    assert {row["label"]: row["count"] for row in sex["rows"]} == {"Laki-laki": 1, "Perempuan": 2} and sex["unanswered"] == 2
    assert data["collection_first"].isoformat() == "2026-03-10" and data["collection_last"].isoformat() == "2026-03-14"
    (service,) = data["services"]
    assert service["population"] == 12 and service["respondents"] == 5 and not service["meets_sample"]


def test_a_unit_that_meets_its_sample(office, resident):
    from .conftest import answered, at, completed_application

    service = office.services.order_by("pk").first()
    apps = [completed_application(resident, service, at(1)) for _ in range(3)]
    for app in apps:
        answered(app, [3] * 9, at(2))
    data = selectors.office_results(office, PERIOD)
    assert data["sample_required"] == 3 and data["respondents"] == 3 and data["meets_sample"] is True
    assert data["result"]["konversi"] == Decimal("75.00") and data["result"]["mutu"] == "C"
