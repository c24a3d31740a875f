from django import template

from kupang_portal.core.uploads import human_size
from layanan import selectors
from layanan.constants import ApplicationStatus

register = template.Library()

STATUS_BADGES = {
    ApplicationStatus.DRAFT: "secondary",
    ApplicationStatus.SUBMITTED: "primary",
    ApplicationStatus.VERIFIED: "info",
    ApplicationStatus.IN_PROCESS: "info",
    ApplicationStatus.NEEDS_REVISION: "warning",
    ApplicationStatus.COMPLETED: "success",
    ApplicationStatus.REJECTED: "danger",
    ApplicationStatus.WITHDRAWN: "dark",
}


@register.simple_tag
def popular_services(limit=6):
    return selectors.popular_services(limit)


@register.simple_tag
def catalogue_version():
    """The version key of the cached catalogue fragments (see layanan.fragments)."""
    from layanan.fragments import catalogue_version as current

    return current()


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "secondary")


@register.filter
def rupiah(value):
    if value is None:
        return ""
    return "Rp" + f"{int(value):,}".replace(",", ".")


@register.filter
def size(value):
    return human_size(value)
