"""The SKM arithmetic of PermenPANRB 14/2017, free of the database (tested by hand-computed figures).

- NRR per unsur = sum of the answers given to that unsur / number of answers given to it
  (an unanswered item counts in neither);
- IKM = sum over the unsur that have answers of NRR x bobot, bobot = 1 / number of those unsur
  (equal weights summing to 1; with all nine answered this is the regulation's 1/9 = 0,111);
- IKM konversi = IKM x 25 (scale 25-100), rounded to two decimals at the end only;
- mutu and kinerja from the konversi value: >= 88,31 A Sangat Baik; >= 76,61 B Baik; >= 65,00 C Kurang
  Baik; otherwise D Tidak Baik (the bounds of the regulation's table, classified on the rounded value);
- minimum sample by Krejcie & Morgan: s = X2 N P(1-P) / (d2 (N-1) + X2 P(1-P)) with X2 = 3,841,
  P = 0,5, d = 0,05, rounded half up as in their published table (N=100 -> 80, N=1000 -> 278).
"""

from decimal import ROUND_HALF_UP, Decimal

from .constants import KM_CHI_SQUARE, KM_MARGIN, KM_PROPORTION, UNSUR_CODES

TWO = Decimal("0.01")
FOUR = Decimal("0.0001")

MUTU = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


def nrr(answer_rows):
    """{unsur: (NRR as exact Decimal or None, number of answers)} over dicts mapping unsur to 1..4."""
    totals = {code: [0, 0] for code in UNSUR_CODES}
    for row in answer_rows:
        for code in UNSUR_CODES:
            value = row.get(code)
            if value in (1, 2, 3, 4):
                totals[code][0] += value
                totals[code][1] += 1
    return {code: ((Decimal(s) / n) if n else None, n) for code, (s, n) in totals.items()}


def mutu(konversi):
    """(mutu, kinerja) for a konversi value on the 25-100 scale."""
    value = Decimal(str(konversi)).quantize(TWO, rounding=ROUND_HALF_UP)
    for low, grade, label in MUTU:
        if value >= low:
            return grade, label
    return "D", "Tidak Baik"


def ikm(answer_rows):
    """The full result for one unit, or None without any answer.

    Returns respondents (rows with at least one answer), nrr {unsur: Decimal rounded to 4 places or
    None}, answers {unsur: count}, weight, ikm (1-4, 4 places), konversi (2 places), mutu, kinerja.
    """
    rows = [row for row in answer_rows if any(row.get(code) in (1, 2, 3, 4) for code in UNSUR_CODES)]
    if not rows:
        return None
    per_unsur = nrr(rows)
    present = [value for value, count in per_unsur.values() if count]
    weight = Decimal(1) / len(present)
    index = sum(value * weight for value in present)
    konversi = (index * 25).quantize(TWO, rounding=ROUND_HALF_UP)
    grade, label = mutu(konversi)
    return {
        "respondents": len(rows),
        "nrr": {code: (value.quantize(FOUR, rounding=ROUND_HALF_UP) if count else None)
                for code, (value, count) in per_unsur.items()},
        "answers": {code: count for code, (_value, count) in per_unsur.items()},
        "weight": weight.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP),
        "unsur_counted": len(present),
        "ikm": index.quantize(FOUR, rounding=ROUND_HALF_UP),
        "konversi": konversi,
        "mutu": grade,
        "kinerja": label,
    }


def krejcie_morgan(population):
    """Minimum sample for a population of service users (0 for an empty population)."""
    if population <= 0:
        return 0
    p = KM_PROPORTION * (1 - KM_PROPORTION)
    sample = KM_CHI_SQUARE * population * p / (KM_MARGIN ** 2 * (population - 1) + KM_CHI_SQUARE * p)
    return min(population, int(Decimal(str(sample)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def lowest(nrr_values, count=3):
    """The ``count`` unsur with the lowest NRR (ties keep the questionnaire order)."""
    ranked = sorted(((value, code) for code, value in nrr_values.items() if value is not None),
                    key=lambda item: (item[0], UNSUR_CODES.index(item[1])))
    return [code for _value, code in ranked[:count]]
