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


def render(code, context, language="id"):
    """(subject, body, short) in ``language``."""
    event = REGISTRY[code]
    with translation.override(language):
        subject = str(event.subject).format(**context)
        body = str(event.body).format(**context)
        short = str(event.short or event.subject).format(**context)
    return subject, body, short
