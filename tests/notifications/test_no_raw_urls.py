"""Point 13: message texts read in the inbox and e-mails carry no raw URL (they overflow a 360 px
screen); the link is the "Buka" button / the e-mail's button, and the e-mail's text part ends with it."""

from kupang_portal.notifications import (
    catalog,  # noqa: F401  (registers the events)
    events,
)


def test_no_event_body_contains_a_url():
    for code, event in events.REGISTRY.items():
        context = dict(event.sample)
        context.setdefault("number", "X-1")
        context.setdefault("link", "https://layanan.kupangkota.go.id/x/")
        _subject, body, _short = events.render(code, context)
        assert "http" not in body and "/x/" not in body, (code, body)
