"""System checks of the portal's own settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """SITE_URL goes into e-mails, SMS, receipts' QR codes and survey links: a printed QR code can
    never be corrected, so a deployment without a public SITE_URL must not pass ``check --deploy``."""
    url = (getattr(settings, "SITE_URL", "") or "").strip()
    if not url:
        return [Error("SITE_URL is not set.", hint="Set SITE_URL to the portal's public address, e.g. https://layanan.kupangkota.go.id "
                      "(it is printed in QR codes and sent in e-mail/SMS links).", id="kupang.E001")]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Error(f"SITE_URL {url!r} is not an http(s) address.", hint="e.g. https://layanan.kupangkota.go.id", id="kupang.E002")]
    if not settings.DEBUG and parts.hostname in LOOPBACK:
        return [Error(f"SITE_URL {url!r} points at this machine, not at the public portal.",
                      hint="Set SITE_URL to the address residents use.", id="kupang.E003")]
    return []
