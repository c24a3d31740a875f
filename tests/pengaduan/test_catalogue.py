"""Complaint categories come from pengaduan/catalogue.py (used by the data migration)."""

import pytest

from pengaduan.catalogue import CATEGORIES, TEMPLATES, load_categories
from pengaduan.models import Category, ResponseTemplate, RoutingRule

pytestmark = pytest.mark.django_db


def test_every_category_is_loaded_with_a_city_wide_rule_and_reloading_keeps_admin_edits():
    assert set(Category.objects.values_list("service_code", flat=True)) >= {code for code, *_ in CATEGORIES}
    sampah = Category.objects.get(service_code="sampah")
    assert RoutingRule.objects.get(category=sampah, kecamatan__isnull=True).office.code == "DLHK"
    Category.objects.filter(pk=sampah.pk).update(follow_up_days=7)  # an admin's edit
    counts = Category.objects.count(), RoutingRule.objects.count(), ResponseTemplate.objects.count()
    load_categories()
    assert (Category.objects.count(), RoutingRule.objects.count(), ResponseTemplate.objects.count()) == counts
    assert Category.objects.get(pk=sampah.pk).follow_up_days == 7
    assert ResponseTemplate.objects.count() >= len(TEMPLATES)
