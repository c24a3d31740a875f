"""Admin changelists accept only the filters they declare.

Django's ``ModelAdmin.lookup_allowed`` lets any lookup on a model's own fields through the query
string (``?reporter__id__exact=7``, ``?tracking_code_hash__startswith=ab``): an oracle for
secrets and a way around the reporter's confidentiality. ``DeclaredLookupsOnly`` allows a query
parameter only when it is the parameter of a declared ``list_filter`` or of ``date_hierarchy``
(anything else is answered 400 by the changelist).
"""

from django.contrib.admin import SimpleListFilter

# What the built-in field filters put after the field path (``status__exact``,
# ``category__id__exact``, ``created_at__gte`` …). One lookup, never a further relation.
_FIELD_FILTER_SUFFIXES = {"", "exact", "isnull", "in", "id__exact", "pk__exact", "gte", "lt", "lte", "gt"}
_DATE_HIERARCHY_SUFFIXES = {"year", "month", "day", "gte", "lt", "lte", "gt"}

# Field names that hold secrets: never a filter, search field, column or ordering of any admin.
SECRET_FIELD_NAMES = {"password", "tracking_code_hash", "key_hash", "token", "token_hash", "session_key", "session_data"}


def declared_parameters(model_admin, request):
    """(exact parameter names, field paths) the admin's declared filters may use."""
    exact, paths = set(), set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            exact.add(item.parameter_name)
        elif isinstance(item, (list, tuple)):
            paths.add(item[0])
        else:
            paths.add(item)
    return exact, paths


class DeclaredLookupsOnly:
    """Mixin for a ModelAdmin: only declared filters (and the date hierarchy) may be used."""

    def lookup_allowed(self, lookup, value, request=None):
        exact, paths = declared_parameters(self, request)
        if lookup in exact:
            return True
        for path in paths:
            if lookup == path or (lookup.startswith(path + "__") and lookup[len(path) + 2:] in _FIELD_FILTER_SUFFIXES):
                return True
        hierarchy = getattr(self, "date_hierarchy", None)
        return bool(hierarchy and lookup.startswith(hierarchy + "__") and lookup[len(hierarchy) + 2:] in _DATE_HIERARCHY_SUFFIXES)
