"""The transactional outbox: one row per message per channel, written with the change that caused it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INAPP = "inapp", _("Kotak masuk portal")
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class NotificationQuerySet(models.QuerySet):
    def inbox(self, user):
        return self.filter(recipient=user, channel=Channel.INAPP).order_by("-created_at", "-pk")

    def unread_count(self, user):
        return self.filter(recipient=user, channel=Channel.INAPP, read_at__isnull=True).count()


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications", verbose_name=_("penerima"),
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    # E-mail address or E.164 phone number captured when the row was written.
    address = models.CharField(_("alamat tujuan"), max_length=254, blank=True)
    event = models.CharField(_("peristiwa"), max_length=60, db_index=True)
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    html_body = models.TextField(_("isi HTML"), blank=True)
    link = models.CharField(_("tautan"), max_length=300, blank=True)
    case_number = models.CharField(_("nomor kasus"), max_length=40, blank=True, db_index=True)
    # Jobs that may run twice (reminders, digests) set a key so the second run writes nothing.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_pending_idx"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.subject}"

    @property
    def relative_link(self):
        """The link as a path on this portal (the in-app inbox never depends on SITE_URL, so it
        works wherever the portal runs); outside links are kept whole."""
        from urllib.parse import urlsplit

        from django.conf import settings

        if not self.link or self.link.startswith("/"):
            return self.link
        site = urlsplit(settings.SITE_URL)
        parts = urlsplit(self.link)
        if parts.netloc and parts.netloc != site.netloc and parts.path.startswith(("/lacak/", "/layanan/", "/pengaduan/", "/survei/", "/admin/", "/akun/")):
            pass  # an absolute link written under an older SITE_URL: still one of our pages
        elif parts.netloc != site.netloc:
            return self.link
        return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
