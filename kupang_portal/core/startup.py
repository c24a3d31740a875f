"""Checks a web server runs once at start: refuse to serve rather than answer every page with 500."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_collected_static():
    """With DEBUG off, pages need the manifest written by ``collectstatic`` (WhiteNoise's
    CompressedManifestStaticFilesStorage): without it every page is a 500. Fail at start instead."""
    if settings.DEBUG or not getattr(settings, "STATIC_MANIFEST", True):
        return  # without the manifest storage WhiteNoise serves from the app finders
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        raise ImproperlyConfigured(
            f"Static files are not collected: {manifest} is missing. Run `python manage.py collectstatic --noinput` "
            "before starting the web server (`make up` does it), or set DEBUG=1 for development."
        )
