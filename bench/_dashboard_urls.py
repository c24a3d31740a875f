"""The portal's URLs plus the "rollup floor": a bare logged-in view that reads one
pre-aggregated row set (today's rollup rows, at most 50) and prints them. Bench only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from kupang_portal.dashboards.models import DailyRollup
from kupang_portal.urls import urlpatterns as portal_urls


@login_required
def floor(request):
    rows = DailyRollup.objects.filter(day=timezone.localdate()).values_list("office_id", "received", "completed")[:50]
    return HttpResponse("\n".join(f"{o}\t{r}\t{c}" for o, r, c in rows), content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *portal_urls]
