"""Demo accounts of DESIGN.md, one per role, all with the same password."""

from kupang_portal.organization.models import Office

from .models import OfficeMembership, User
from .roles import GROUP_NAMES, Role

DEMO_PASSWORD = "Demo#Kupang2026"

# username, full name, role, office code, membership role, e-mail, phone
DEMO_ACCOUNTS = [
    ("warga", "Maria Ndolu", Role.RESIDENT, None, None, "warga@example.id", "+6281234500001"),
    ("petugas.dukcapil", "Yohanes Bria", Role.CLERK, "DISDUKCAPIL", Role.CLERK, "petugas.dukcapil@example.id", None),
    ("petugas.dpmptsp", "Agustina Lay", Role.CLERK, "DPMPTSP", Role.CLERK, "petugas.dpmptsp@example.id", None),
    ("petugas.pupr", "Frans Manafe", Role.CLERK, "PUPR", Role.CLERK, "petugas.pupr@example.id", None),
    ("petugas.dlhk", "Dominggus Tefa", Role.CLERK, "DLHK", Role.CLERK, "petugas.dlhk@example.id", None),
    ("verifikator", "Sarlota Fanggidae", Role.VERIFIER, "BAG_ORGANISASI", Role.VERIFIER, "verifikator@example.id", None),
    ("kadis.dukcapil", "Imanuel Kase", Role.OFFICE_HEAD, "DISDUKCAPIL", Role.OFFICE_HEAD, "kadis.dukcapil@example.id", None),
    ("pimpinan", "Welhelmina Dethan", Role.SUPERVISOR, None, None, "pimpinan@example.id", None),
    ("admin", "Admin TI Kota", Role.ADMIN, None, None, "admin@example.id", None),
]


def ensure_user(username, full_name, role, office_code=None, membership_role=None, email=None, phone=None):
    from django.contrib.auth.models import Group

    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": email, "phone": phone,
                  "notify_whatsapp": bool(phone)},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_staff = role != Role.RESIDENT
    user.is_superuser = role == Role.ADMIN
    user.save()
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if office_code:
        office = Office.objects.get(code=office_code)
        OfficeMembership.objects.get_or_create(user=user, office=office, role=membership_role)
    return user


def seed(command):
    for row in DEMO_ACCOUNTS:
        ensure_user(*row)
    command.stdout.write(f"Akun demo: {', '.join(r[0] for r in DEMO_ACCOUNTS)}")
