"""The event catalogue: every event renders in both languages with its sample, SMS texts fit."""

import string

import pytest
from django.utils import translation

from kupang_portal.notifications import events

# Other apps call notify() with these codes and fields: they must not change.
STABLE = {
    "application_submitted": {"number", "link", "service", "deadline"},
    "application_verified": {"number", "link", "service"},
    "application_revision_requested": {"number", "link", "reason"},
    "application_completed": {"number", "link", "service", "instructions"},
    "application_rejected": {"number", "link", "service", "reason"},
    "survey_invitation": {"number", "link", "survey_link"},
    "complaint_received": {"number", "link", "deadline"},
    "complaint_disposed": {"number", "link", "office", "deadline"},
    "complaint_responded": {"number", "link", "office"},
    "complaint_closed": {"number", "link"},
    "complaint_reopened": {"number", "link", "reason"},
    "case_new_in_queue": {"number", "link", "office", "title", "deadline"},
    "case_due_soon": {"number", "link", "office", "title", "deadline"},
    "case_overdue": {"number", "link", "office", "title", "deadline"},
    "office_daily_digest": {"number", "link", "office", "date", "open_count", "due_soon_count", "overdue_count"},
}
LANGUAGES = ("id", "en")


def fields(text):
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(str(text)) if name}


def test_codes_and_sample_fields_are_stable():
    for code, expected in STABLE.items():
        assert code in events.REGISTRY, code
        assert {name for name, _value in events.get(code).sample} == expected, code


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(events.REGISTRY))
def test_every_event_renders_with_its_sample(code, language):
    event = events.get(code)
    # A plain dict: a text using a field its sample lacks raises KeyError and fails here.
    subject, body, short = events.render(code, dict(event.sample), language)
    assert subject and body and short
    assert "{" not in subject + body + short
    assert len(short) <= events.SMS_MAX_CHARS, (code, language, len(short), short)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(events.REGISTRY))
def test_texts_use_only_sample_fields_in_every_language(code, language):
    event = events.get(code)
    sample = {name for name, _value in event.sample}
    with translation.override(language):
        used = fields(event.subject) | fields(event.body) | fields(event.short or event.subject)
    assert used <= sample, (code, language, used - sample)


def test_missing_field_is_caught():
    event = events.get("application_rejected")
    context = dict(event.sample)
    del context["reason"]
    with pytest.raises(KeyError):
        events.render("application_rejected", context)


@pytest.mark.parametrize("code", sorted(events.REGISTRY))
def test_short_text_fits_even_with_long_free_text(code):
    event = events.get(code)
    context = dict(event.sample)
    for name, value in event.sample:
        if name not in events.FIXED_FIELDS and isinstance(value, str) and name != "number":
            context[name] = "x" * 400
    _subject, _body, short = events.render(code, context)
    assert len(short) <= events.SMS_MAX_CHARS, (code, len(short))
    assert context["link"] in short or "{link}" not in str(event.short)


def test_fit_short_keeps_number_and_link_whole():
    text = events.fit_short("Berkas {number} ditolak: {reason}. {link}",
                            {"number": "KTP-2026-000123", "reason": "alasan " * 50, "link": "https://x.id/lacak/1/"})
    assert len(text) <= 160
    assert "KTP-2026-000123" in text and text.endswith("https://x.id/lacak/1/")
    assert "…" in text
