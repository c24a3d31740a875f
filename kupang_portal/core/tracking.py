"""Public tracking (/lacak/): one page, several case types.

Apps register a lookup with ``register(lookup)``; ``lookup(number, code)`` returns a
``TrackingResult`` or None. Results carry no personal data: status, office and a timeline.
"""

from dataclasses import dataclass, field

LOOKUPS = []
CODE_CHECKS = []


@dataclass
class TrackingResult:
    number: str
    kind: str  # "Permohonan layanan", "Pengaduan"
    title: str  # service or category name, never the resident's text
    status: str
    office: str = ""
    deadline: object = None
    timeline: list = field(default_factory=list)  # dicts: time, label, actor, status
    detail_url: str = ""  # shown to the owner only (or to anyone when owner_id is None)
    owner_id: int | None = None  # the account that owns the case; never displayed
    extra: dict = field(default_factory=dict)


def register(lookup):
    if lookup not in LOOKUPS:
        LOOKUPS.append(lookup)


@dataclass
class CodeOutcome:
    ok: bool
    url: str = ""  # where a right code leads (the unlocked detail)
    message: str = ""  # why not, for the visitor
    on_response: object = None  # callable(response) -> response: e.g. the check's cookie for this browser


def register_code_check(check):
    """``check(request, number, code)`` -> CodeOutcome, or None when the number uses no code.

    The check itself limits attempts, unlocks the case for this browser and never logs the code."""
    if check not in CODE_CHECKS:
        CODE_CHECKS.append(check)


def check_code(request, number, code):
    number = (number or "").strip().upper()
    for check in CODE_CHECKS:
        outcome = check(request, number, code)
        if outcome is not None:
            return outcome
    return None


def detail_link_for(result, user):
    """The detail link a visitor may follow: the owner's own page, or a code-verified page."""
    if not result or not result.detail_url:
        return ""
    if result.owner_id is None or (user.is_authenticated and user.pk == result.owner_id):
        return result.detail_url
    return ""


def find(number, code=""):
    number = (number or "").strip().upper()
    if not number:
        return None
    for lookup in LOOKUPS:
        result = lookup(number, (code or "").strip())
        if result is not None:
            return result
    return None


def stamp_key(number):
    """The stamp of the cached public tracking page of ``number`` (``core.pagecache``)."""
    return f"tracking:stamp:{(number or '').strip().upper()[:40]}"


def case_changed(sender, case, **kwargs):
    """``workflow.signals.case_changed``: the case's tracking page is rendered again."""
    from . import pagecache

    if getattr(case, "number", None):
        pagecache.bump(stamp_key(case.number))
