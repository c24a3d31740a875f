"""Which office a complaint goes to: category (+ kecamatan) rules, the more specific one wins;
with no matching rule the complaint stays with the verification desk (Bagian Organisasi)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kupang_portal.organization.models import Office

from . import app_settings
from .models import RoutingRule


@dataclass
class RoutingDecision:
    office: Office
    rule: RoutingRule | None
    reason: str


def desk_office():
    return Office.objects.get(code=app_settings.desk_office_code())


def resolve(category, kelurahan=None):
    """The office for a complaint of ``category`` located in ``kelurahan`` (may be None)."""
    rules = RoutingRule.objects.filter(category=category, is_active=True, office__is_active=True).select_related("office", "kecamatan")
    kecamatan_id = kelurahan.kecamatan_id if kelurahan is not None else None
    specific = next((r for r in rules if kecamatan_id and r.kecamatan_id == kecamatan_id), None)
    if specific:
        return RoutingDecision(specific.office, specific, _("aturan kategori %(cat)s di Kecamatan %(kec)s") % {
            "cat": category.name, "kec": specific.kecamatan.name})
    citywide = next((r for r in rules if r.kecamatan_id is None), None)
    if citywide:
        return RoutingDecision(citywide.office, citywide, _("aturan kategori %(cat)s (seluruh kota)") % {"cat": category.name})
    return RoutingDecision(desk_office(), None, _("tidak ada aturan yang cocok: tetap di meja verifikasi"))
