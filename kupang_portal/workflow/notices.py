"""Staff notices every case type sends the same way."""

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone

from kupang_portal.notifications.services import notify


def admin_link(case):
    opts = case._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[case.pk])
    except NoReverseMatch:
        return reverse("admin:index")


def deadline_text(case):
    if case.deadline is None:
        return "-"
    return formats.date_format(timezone.localtime(case.deadline), "j F Y")


def new_in_queue(case, recipients, *, title, event):
    """"New in your queue": ``case`` (just moved by ``event``) waits in its office's queue."""
    office = case.office
    return notify(
        "case_new_in_queue", recipients,
        {"office": office.short_name if office else "-", "title": str(title), "deadline": deadline_text(case)},
        link=admin_link(case), case_number=getattr(case, "number", "") or "",
        dedupe_key=f"{case._meta.label_lower}:queue:{case.pk}:{event.pk}",
    )
