"""Liveness and readiness probes."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker():
    """Ping the Redis broker when one is configured (eager mode has none to check)."""
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@never_cache
def readyz(request):
    checks = {}
    try:
        check_database()
        checks["database"] = "ok"
    except Exception as exc:
        return JsonResponse({"status": "unavailable", "reason": f"database: {type(exc).__name__}: {exc}"[:300], "checks": checks}, status=503)
    try:
        checks["broker"] = check_broker()
    except Exception as exc:
        return JsonResponse({"status": "unavailable", "reason": f"broker: {type(exc).__name__}: {exc}"[:300], "checks": checks}, status=503)
    # Warnings do not make the portal unavailable, but monitoring sees them.
    from kupang_portal.organization import calendar

    missing = calendar.missing_years()
    checks["calendar"] = "ok" if not missing else "missing holidays for " + ", ".join(str(y) for y in missing)
    return JsonResponse({"status": "ok", "checks": checks})
