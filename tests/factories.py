"""Factories shared by every test module."""

import factory
from django.contrib.auth.models import Group

from kupang_portal.accounts.models import OfficeMembership, User
from kupang_portal.accounts.roles import GROUP_NAMES, Role
from kupang_portal.organization.models import Office

PASSWORD = "Rahasia#Kupang123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Warga"
    last_name = factory.Sequence(lambda n: f"Nomor{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.id")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


def add_role(user, role):
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if hasattr(user, "_role_names"):
        del user._role_names
    return user


def resident(**kwargs):
    return add_role(UserFactory(**kwargs), Role.RESIDENT)


def staff(role, office_code=None, **kwargs):
    """A staff user with ``role``; office roles get a membership in ``office_code``."""
    user = UserFactory(is_staff=True, **kwargs)
    add_role(user, role)
    if office_code:
        OfficeMembership.objects.create(user=user, office=Office.objects.get(code=office_code), role=role)
    return user


def office(code):
    return Office.objects.get(code=code)
