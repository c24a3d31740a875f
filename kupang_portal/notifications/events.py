"""Notification events: what each one says. Apps register their events at import time.

Texts are gettext strings formatted with the event's context (``{number}``, ``{link}``, ...);
``render`` raises KeyError for a missing field, which the template tests catch for every event.
"""

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Event:
    code: str
    subject: str  # lazy gettext string
    body: str  # lazy gettext string (e-mail and in-app)
    short: str = ""  # SMS/WhatsApp text; must stay under 160 characters once formatted
    # Fields the texts use, with sample values for the template tests.
    sample: tuple = ()


REGISTRY: dict[str, Event] = {}


def register(*events):
    for event in events:
        REGISTRY[event.code] = event


def get(code):
    return REGISTRY[code]


SMS_MAX_CHARS = 160
# Never shortened: the reader needs them whole.
FIXED_FIELDS = frozenset({"number", "link", "survey_link"})


def render(code, context, language="id"):
    """(subject, body, short) in ``language``; ``short`` fits in one SMS (``SMS_MAX_CHARS``)."""
    event = REGISTRY[code]
    with translation.override(language):
        subject = str(event.subject).format(**context)
        body = str(event.body).format(**context)
        template = str(event.short or event.subject)
        short = fit_short(template, context)
    return subject, body, short


def fit_short(template, context, limit=SMS_MAX_CHARS):
    """Format ``template``; when free text (a reason, an office name) makes it longer than
    ``limit``, shorten the longest free-text value with an ellipsis until it fits."""
    text = template.format(**context)
    if len(text) <= limit:
        return text
    values = {key: str(value) for key, value in context.items()}
    while len(text) > limit:
        candidates = [k for k in values if k not in FIXED_FIELDS and len(values[k]) > 1 and "{" + k in template]
        if not candidates:
            break
        longest = max(candidates, key=lambda k: len(values[k]))
        keep = max(1, len(values[longest]) - (len(text) - limit) - 1)
        values[longest] = values[longest][:keep].rstrip() + "…"
        shorter = template.format(**values)
        if len(shorter) >= len(text):
            break
        text = shorter
    return text
