"""Who sees which cases: clerks only their offices' cases; supervisors and admins every office."""

from kupang_portal.accounts.roles import Role


def staff_office_ids(user):
    return user.office_ids()


def visible_to_staff(queryset, user):
    """Cases of ``queryset`` that ``user`` may see in the staff workspace."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return queryset.none()
    if user.is_superuser or user.has_role(Role.SUPERVISOR):
        return queryset
    return queryset.filter(office_id__in=staff_office_ids(user))
