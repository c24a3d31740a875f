import pytest
from django.contrib import admin

from kupang_portal.accounts.admin import OfficeMembershipAdmin, UserAdmin
from kupang_portal.accounts.forms import AdminLoginForm, UserAdminChangeForm, UserAdminCreationForm
from kupang_portal.accounts.models import OfficeMembership, User
from kupang_portal.accounts.roles import Role
from tests.factories import UserFactory, office, resident, staff

pytestmark = pytest.mark.django_db

NIK = "5371011205900001"


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_registrations_and_login_form():
    assert isinstance(admin.site._registry[User], UserAdmin)
    assert isinstance(admin.site._registry[OfficeMembership], OfficeMembershipAdmin)
    assert admin.site.login_form is AdminLoginForm
    assert UserAdminCreationForm._meta.model is User and UserAdminChangeForm._meta.model is User


def test_changelist_masks_nik_and_phone(client, superuser):
    user = resident(username="maria", email="maria@example.id", phone="+6281234500001", nik=NIK)
    response = client.get("/admin/accounts/user/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "537101******0001" in html
    assert NIK not in html
    assert "+6281******001" in html and "+6281234500001" not in html and "maria@example.id" in html
    # The change form (one account, opened on purpose) shows the number in full.
    assert "+6281234500001" in client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()


@pytest.mark.parametrize("term", ["maria@example", "0812-3450-0001", "+6281234500001", NIK, "Maria"])
def test_search_by_username_email_phone_nik(client, superuser, term):
    resident(username="maria", email="maria@example.id", phone="+6281234500001", nik=NIK)
    resident(username="yohanes", email="yohanes@example.id")
    response = client.get("/admin/accounts/user/", {"q": term})
    users = list(response.context["cl"].result_list)
    assert [u.username for u in users] == ["maria"]


def test_list_filter_by_group(client, superuser):
    staff(Role.CLERK, username="petugas1")
    resident(username="warga1")
    group_id = User.objects.get(username="petugas1").groups.get().pk
    response = client.get("/admin/accounts/user/", {"groups__id__exact": group_id})
    assert [u.username for u in response.context["cl"].result_list] == ["petugas1"]


def test_add_user_through_admin(client, superuser):
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "petugas.baru",
            "email": "Petugas.Baru@Example.id",
            "phone": "0812 1111 2222",
            "usable_password": "true",
            "password1": "Sasando#Timor2026",
            "password2": "Sasando#Timor2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    user = User.objects.get(username="petugas.baru")
    assert user.email == "petugas.baru@example.id"
    assert user.phone == "+6281211112222"
    assert user.check_password("Sasando#Timor2026")


def test_admin_add_refuses_duplicate_email(client, superuser):
    UserFactory(email="ada@example.id")
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "kedua", "email": "ADA@example.id", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "Surel ini sudah dipakai" in str(response.context["adminform"].form.errors["email"])


def test_change_page_has_membership_inline_and_saves(client, superuser):
    clerk = staff(Role.CLERK, office_code="DISDUKCAPIL", username="petugas1")
    url = f"/admin/accounts/user/{clerk.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "office_memberships-TOTAL_FORMS" in page.content.decode()
    membership = clerk.office_memberships.get()
    data = {
        "username": "petugas1", "first_name": "Yohanes", "last_name": "Bria", "email": clerk.email,
        "phone": "0812-3333-4444", "nik": "", "preferred_language": "id",
        "is_active": "on", "is_staff": "on", "groups": list(clerk.groups.values_list("pk", flat=True)),
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-05", "date_joined_1": "08:00:00",
        "office_memberships-TOTAL_FORMS": "1", "office_memberships-INITIAL_FORMS": "1",
        "office_memberships-MIN_NUM_FORMS": "0", "office_memberships-MAX_NUM_FORMS": "1000",
        "office_memberships-0-id": membership.pk, "office_memberships-0-user": clerk.pk,
        "office_memberships-0-office": membership.office_id, "office_memberships-0-role": Role.VERIFIER,
        "office_memberships-0-is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk.refresh_from_db()
    membership.refresh_from_db()
    assert clerk.phone == "+6281233334444" and clerk.first_name == "Yohanes"
    assert membership.role == Role.VERIFIER


def test_user_administrator_cannot_grant_superuser(client):
    manager = staff(Role.ADMIN, username="admin.ti")
    client.force_login(manager)
    target = resident(username="maria")
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert "groups" in form.fields


def test_user_administrator_cannot_take_over_a_superuser(client):
    manager = staff(Role.ADMIN, username="admin.ti")
    root = UserFactory(username="root", is_staff=True, is_superuser=True, email="root@example.id")
    old_password = root.password
    client.force_login(manager)
    assert client.get(f"/admin/accounts/user/{root.pk}/password/").status_code == 403
    client.post(f"/admin/accounts/user/{root.pk}/password/", {"password1": "Ambil#Alih2026", "password2": "Ambil#Alih2026"})
    page = client.get(f"/admin/accounts/user/{root.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]  # readable, not editable
    client.post(f"/admin/accounts/user/{root.pk}/change/", {"username": "root", "email": "penyerang@example.id"})
    root.refresh_from_db()
    assert root.password == old_password and root.email == "root@example.id"
    # Other accounts stay in the user administrator's hands.
    target = resident(username="maria")
    assert client.get(f"/admin/accounts/user/{target.pk}/password/").status_code == 200


def test_user_administrator_cannot_give_themselves_a_role_or_an_office(client):
    """A user administrator sees no case; a role or an office membership on their own account would
    give them one (Pimpinan: every case). Their own roles and memberships are another admin's job."""
    from django.contrib.auth.models import Group

    from kupang_portal.accounts.roles import GROUP_NAMES

    manager = staff(Role.ADMIN, username="admin.ti")
    client.force_login(manager)
    url = f"/admin/accounts/user/{manager.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "groups" not in form.fields and "is_staff" not in form.fields
    supervisors = Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR])
    saved = client.post(url, {"username": "admin.ti", "email": manager.email or "", "groups": [supervisors.pk],
                      "first_name": "Admin", "last_name": "TI", "phone": "", "nik": "", "preferred_language": "id",
                      "is_active": "on", "is_staff": "on", "last_login_0": "", "last_login_1": "",
                      "date_joined_0": "2026-01-05", "date_joined_1": "08:00:00",
                      "office_memberships-TOTAL_FORMS": "1", "office_memberships-INITIAL_FORMS": "0",
                      "office_memberships-MIN_NUM_FORMS": "0", "office_memberships-MAX_NUM_FORMS": "1000",
                      "office_memberships-0-office": office("DISDUKCAPIL").pk, "office_memberships-0-role": Role.CLERK,
                      "office_memberships-0-is_active": "on"})
    assert saved.status_code == 302, saved.context["adminform"].form.errors  # the rest of the account is saved
    manager.refresh_from_db()
    assert manager.first_name == "Admin"
    assert not manager.groups.filter(pk=supervisors.pk).exists() and not manager.office_memberships.exists()
    response = client.post("/admin/accounts/officemembership/add/", {
        "user": manager.pk, "office": office("DISDUKCAPIL").pk, "role": Role.OFFICE_HEAD, "is_active": "on"})
    assert response.status_code == 200 and not manager.office_memberships.exists()
    # Everybody else's roles and offices stay theirs to manage.
    clerk = resident(username="calon.petugas")
    response = client.post("/admin/accounts/officemembership/add/", {
        "user": clerk.pk, "office": office("DISDUKCAPIL").pk, "role": Role.CLERK, "is_active": "on"})
    assert response.status_code == 302 and clerk.office_memberships.exists()


def test_office_head_sees_only_own_office_memberships(client):
    head = staff(Role.OFFICE_HEAD, office_code="DISDUKCAPIL", username="kadis")
    staff(Role.CLERK, office_code="DISDUKCAPIL", username="petugas.dukcapil")
    staff(Role.CLERK, office_code="PUPR", username="petugas.pupr")
    client.force_login(head)
    response = client.get("/admin/accounts/officemembership/")
    assert response.status_code == 200
    offices = {m.office.code for m in response.context["cl"].result_list}
    assert offices == {"DISDUKCAPIL"}
    assert office("PUPR").memberships.exists()
