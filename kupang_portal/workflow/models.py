"""The shared case mechanism: an abstract case model and one history table for every case type."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseQuerySet(models.QuerySet):
    """Queries every case type shares: open cases, the SLA buckets, what a staff member sees.

    "Open" is the ``is_open`` column (the case type's ``open_states``, kept by the engine and
    ``Case.save``); the SLA buckets count only open cases whose clock runs (not paused, with a
    deadline). "Due soon" ends with the next working day (``sla.due_soon_horizon``).
    """

    def open(self):
        return self.filter(is_open=True)

    def running(self):
        return self.open().filter(sla_paused_at__isnull=True, deadline__isnull=False)

    def paused(self):
        return self.open().filter(sla_paused_at__isnull=False)

    def overdue(self, now):
        return self.running().filter(deadline__lt=now)

    def due_soon(self, now):
        from . import sla

        return self.running().filter(deadline__gte=now, deadline__lte=sla.due_soon_horizon(now))

    def on_time(self, now):
        from . import sla

        return self.running().filter(deadline__gt=sla.due_soon_horizon(now))

    def visible_to(self, user):
        """Cases ``user`` may see in the staff workspace (clerks: their offices; city roles: all)."""
        from . import scoping

        return scoping.visible_to_staff(self, user)


class Case(models.Model):
    """Abstract base for anything that moves through a workflow (applications, complaints).

    Subclasses set ``workflow`` (a ``kupang_portal.workflow.engine.Workflow``) and
    ``owner_field``, the name of the foreign key to the resident who owns the case. State changes go only through ``engine.perform``; ``version`` makes
    two concurrent changes collide instead of silently overwriting each other.
    """

    status = models.CharField(_("status"), max_length=30, db_index=True)
    version = models.PositiveIntegerField(_("versi"), default=0, editable=False)
    office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, null=True, blank=True,
        related_name="%(app_label)s_%(class)s_cases", verbose_name=_("OPD penanggung jawab"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="%(app_label)s_%(class)s_assigned", verbose_name=_("petugas"),
    )
    deadline = models.DateTimeField(_("tenggat"), null=True, blank=True, db_index=True)
    # While the clock is paused (waiting for the resident) the deadline is kept as the number of
    # working days that were left, and recomputed when the clock resumes.
    sla_paused_at = models.DateTimeField(_("SLA dihentikan sejak"), null=True, blank=True)
    sla_remaining_days = models.IntegerField(_("sisa hari kerja saat dihentikan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    # Lifecycle times, written by the engine on every change (see workflow/lifecycle.py for the
    # definitions). Dashboards read these columns, never the history table.
    is_open = models.BooleanField(_("terbuka"), default=False, editable=False)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(_("respons pertama petugas"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True, editable=False)
    paused_working_days = models.PositiveIntegerField(_("hari kerja dihentikan"), default=0, editable=False)
    working_days_taken = models.PositiveIntegerField(_("lama proses (hari kerja)"), null=True, blank=True, editable=False)
    closed_on_time = models.BooleanField(_("selesai tepat waktu"), null=True, blank=True, editable=False)

    events = GenericRelation("workflow.CaseEvent")

    objects = CaseQuerySet.as_manager()

    workflow = None  # attached in the app's AppConfig.ready() (registry.register)
    owner_field = "owner"  # set by subclasses

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Rows written outside the engine (demo data, fixtures) keep ``is_open`` true to status.
        self.is_open = self.status in (getattr(type(self), "open_states", None) or ())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields and "is_open" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "is_open"]
        super().save(*args, **kwargs)

    def is_owned_by(self, user):
        owner_id = getattr(self, f"{self.owner_field}_id", None)
        return bool(user and user.is_authenticated and owner_id is not None and owner_id == user.pk)

    @property
    def sla_paused(self):
        return self.sla_paused_at is not None

    def history(self):
        return CaseEvent.objects.for_case(self)


class CaseEventQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
        ).select_related("actor_office", "from_office", "to_office").order_by("created_at", "pk")

    def public(self):
        return self.filter(is_public=True)


class CaseEvent(models.Model):
    """One row per transition or assignment: who, from which state to which, why, when.

    Rows are append-only: nothing in the portal updates or deletes them, and the admin shows them
    read-only.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("tindakan"), max_length=40)
    transition_label = models.CharField(_("nama tindakan"), max_length=120, blank=True)
    from_state = models.CharField(_("dari status"), max_length=30, blank=True)
    to_state = models.CharField(_("ke status"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("pelaku"),
    )
    # What the public timeline may show instead of a person: "Warga", "Sistem", an office name.
    actor_label = models.CharField(_("pelaku (tampilan)"), max_length=120, blank=True)
    actor_office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("OPD pelaku"),
    )
    from_office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("dari OPD"),
    )
    to_office = models.ForeignKey(
        "organization.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ke OPD"),
    )
    note = models.TextField(_("catatan"), blank=True)
    is_public = models.BooleanField(_("tampil untuk warga"), default=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat kasus")
        verbose_name_plural = _("riwayat kasus")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="caseevent_case_idx")]

    def __str__(self):
        return f"{self.transition}: {self.from_state} → {self.to_state}"


class NumberSequence(models.Model):
    """Per-prefix, per-year counters behind readable case numbers (KTP-2026-000123)."""

    key = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("penomoran")
        verbose_name_plural = _("penomoran")

    def __str__(self):
        return f"{self.key}: {self.last_value}"
