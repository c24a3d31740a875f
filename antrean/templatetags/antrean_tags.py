"""Small includes for the layanan pages: the visits of a service's standard, an application's visits."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("antrean/partials/service_visits.html")
def service_visits(service):
    visits = selectors.visits_of_service(service)
    return {"service": service, "visits": visits, "has_schedule": bool(visits) and selectors.public_schedules(service=service).exists()}


@register.inclusion_tag("antrean/partials/application_visits.html")
def application_visits(application):
    return {"application": application, **selectors.application_visits(application)}


@register.inclusion_tag("antrean/partials/transparency.html")
def counter_transparency():
    return selectors.public_visit_summary()
