"""Reads for applications and the catalogue (views, tracking, templates)."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from kupang_portal.core.tracking import TrackingResult
from kupang_portal.organization.models import Office
from kupang_portal.workflow import timeline

from .constants import ApplicationStatus, Category
from .models import Application, ApplicationDocument, Service
from .workflow import step_of


def catalogue(query="", office_code="", category=""):
    services = Service.objects.published().select_related("office")
    query = (query or "").strip()[:100]
    if query:
        services = services.filter(
            Q(name__icontains=query) | Q(product__icontains=query) | Q(description__icontains=query)
            | Q(number_prefix__iexact=query) | Q(requirements__name__icontains=query)
        ).distinct()
    if office_code:
        services = services.filter(Q(office__code=office_code) | Q(steps__office__code=office_code)).distinct()
    if category in Category.values:
        services = services.filter(category=category)
    return services


def catalogue_offices():
    return Office.objects.filter(
        Q(services__is_published=True) | Q(service_steps__service__is_published=True)
    ).distinct().order_by("short_name")


def popular_services(limit=6):
    return list(Service.objects.published().filter(is_popular=True).select_related("office")[:limit])


def applications_of(user):
    return (
        Application.objects.filter(applicant=user)
        .exclude(status=ApplicationStatus.WITHDRAWN, number__isnull=True)
        .select_related("service", "office")
        .order_by("-updated_at")
    )


def application_for_owner(user, number):
    """The user's own submitted application by number; anyone else's (or none) -> 404."""
    app = (
        Application.objects.filter(number=(number or "").strip().upper()[:30], applicant=user)
        .select_related("service", "office").first()
    )
    if app is None:
        raise Http404(_("Permohonan tidak ditemukan."))
    return app


def document_for_owner(user, number, document_id):
    app = application_for_owner(user, number)
    doc = ApplicationDocument.objects.filter(pk=document_id, application=app).first()
    if doc is None:
        raise Http404(_("Berkas tidak ditemukan."))
    return app, doc


def public_timeline(application, *, to_owner=True):
    """The resident's timeline (past-tense sentences naming the office; notes only for them)."""
    return timeline.build(application, to_owner=to_owner, status_labels=dict(ApplicationStatus.choices), step_of=step_of)


def tracking_lookup(number, code=""):
    """Public /lacak/: status, service, office, deadline and a timeline without notes or names."""
    app = (
        Application.objects.filter(number=number).exclude(status=ApplicationStatus.DRAFT)
        .select_related("service", "office").first()
    )
    if app is None:
        return None
    extra = {}
    if app.sla_paused:
        extra[_("Tenggat")] = _("dihentikan sementara, menunggu perbaikan berkas dari pemohon")
    return TrackingResult(
        number=app.number, kind=_("Permohonan layanan"), title=app.service.name,
        status=app.get_status_display(), office=app.office.name if app.office else "",
        deadline=app.deadline if app.is_open and not app.sla_paused else None,
        timeline=public_timeline(app, to_owner=False), detail_url=app.get_absolute_url(), owner_id=app.applicant_id, extra=extra,
    )
