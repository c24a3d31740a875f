"""Public tracking (/lacak/): one page, several case types.

Apps register a lookup with ``register(prefixes, lookup)``; ``lookup(number, code)`` returns a
``TrackingResult`` or None. Results carry no personal data: status, office and a timeline.
"""

from dataclasses import dataclass, field

LOOKUPS = []


@dataclass
class TrackingResult:
    number: str
    kind: str  # "Permohonan layanan", "Pengaduan"
    title: str  # service or category name, never the resident's text
    status: str
    office: str = ""
    deadline: object = None
    timeline: list = field(default_factory=list)  # dicts: time, label, actor, status
    detail_url: str = ""  # shown to the owner only
    extra: dict = field(default_factory=dict)


def register(lookup):
    if lookup not in LOOKUPS:
        LOOKUPS.append(lookup)


def find(number, code=""):
    number = (number or "").strip().upper()
    if not number:
        return None
    for lookup in LOOKUPS:
        result = lookup(number, (code or "").strip())
        if result is not None:
            return result
    return None
