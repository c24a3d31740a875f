"""The portal's user: one account for residents and staff, roles as groups, offices by membership."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .nik import mask_nik, validate_nik
from .roles import GROUP_NAMES, OFFICE_ROLES, Role


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    # Optional contact fields are NULL (not "") when absent so the unique constraints hold.
    email = models.EmailField(_("surel"), blank=True, null=True)  # noqa: DJ001 (unique when present)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True, null=True,  # noqa: DJ001 (unique when present)
                             help_text=_("Format E.164, misalnya +6281234567890."))
    nik = models.CharField(_("NIK"), max_length=16, blank=True, null=True, validators=[validate_nik])  # noqa: DJ001
    preferred_language = models.CharField(_("bahasa"), max_length=5, default="id", choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    notify_email = models.BooleanField(_("kirim notifikasi lewat surel"), default=True)
    notify_sms = models.BooleanField(_("kirim notifikasi lewat SMS"), default=False)
    notify_whatsapp = models.BooleanField(_("kirim notifikasi lewat WhatsApp"), default=True)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(fields=["phone"], name="user_phone_unique"),
            models.UniqueConstraint(fields=["nik"], name="user_nik_unique"),
        ]

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower() or None
        self.phone = self.phone or None
        self.nik = self.nik or None
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    @property
    def masked_nik(self):
        return mask_nik(self.nik) if self.nik else ""

    def has_role(self, role):
        if self.is_superuser and role == Role.ADMIN:
            return True
        cache = getattr(self, "_role_names", None)
        if cache is None:
            cache = self._role_names = set(self.groups.values_list("name", flat=True))
        return GROUP_NAMES[Role(role)] in cache

    def office_ids(self, roles=None):
        """Ids of the offices this user works for (optionally only in the given roles)."""
        memberships = self.office_memberships.filter(is_active=True)
        if roles:
            memberships = memberships.filter(role__in=list(roles))
        return list(memberships.values_list("office_id", flat=True))

    @property
    def is_city_wide(self):
        """Admins and city supervisors see every office (supervisors read-only)."""
        return self.is_superuser or self.has_role(Role.SUPERVISOR) or self.has_role(Role.ADMIN)


class OfficeMembership(models.Model):
    """A staff member's role in one office (a clerk may serve several offices)."""

    ROLE_CHOICES = [(r.value, r.label) for r in Role if r in OFFICE_ROLES]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="office_memberships", verbose_name=_("pengguna"))
    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("OPD"))
    role = models.CharField(_("peran"), max_length=20, choices=ROLE_CHOICES, default=Role.CLERK)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("keanggotaan OPD")
        verbose_name_plural = _("keanggotaan OPD")
        constraints = [models.UniqueConstraint(fields=["user", "office", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.office} ({self.get_role_display()})"
