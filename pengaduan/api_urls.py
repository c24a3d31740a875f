"""Open311 GeoReport v2 at /api/open311/v2/ (format suffix .json or .xml)."""

from django.urls import re_path

from kupang_portal.core.db import replica_reads

from .open311 import views as open311

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)"

urlpatterns = [
    # GETs tolerate a second of lag: read from the replica when DATABASE_REPLICA_URL is set.
    re_path(rf"^discovery{FMT}$", replica_reads(open311.discovery), name="discovery"),
    re_path(rf"^services{FMT}$", replica_reads(open311.services_list), name="services"),
    re_path(rf"^services/(?P<code>[-\w]+){FMT}$", replica_reads(open311.service_definition), name="service"),
    re_path(rf"^requests{FMT}$", replica_reads(open311.requests_view), name="requests"),
    re_path(rf"^requests/(?P<request_id>[-\w]+){FMT}$", replica_reads(open311.request_detail), name="request"),
    re_path(r"^openapi\.yaml$", open311.openapi, name="openapi"),
    re_path(r"^(?P<rest>.*)$", open311.not_found, name="not_found"),
]
