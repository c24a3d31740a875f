"""The anonymous reporter's PDF proof (bukti pengaduan): number, secret code, where to follow it.

Made only for the browser that filed the complaint, from its session, while the receipt lasts
(``pengaduan.access``); the QR code leads to the public status page (never carries the code)."""

import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from kupang_portal.core.pdf import draw_qr


def tracking_url(complaint):
    return f"{settings.SITE_URL}/lacak/{complaint.number}/"


def render_receipt(complaint, code):
    """PDF bytes (page content uncompressed so the number is searchable in the raw file)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A6, pageCompression=0)
    pdf.setTitle(f"{_('Bukti pengaduan')} {complaint.number}")
    pdf.setAuthor("Pemerintah Kota Kupang")
    width, height = A6
    left = 9 * mm
    y = height - 13 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(left, y, _("BUKTI PENGADUAN ANONIM"))
    y -= 5 * mm
    pdf.setFont("Helvetica", 8)
    pdf.drawString(left, y, _("Layanan Publik Kota Kupang · SP4N-LAPOR!"))
    y -= 10 * mm
    for label, value, size in (
        (_("Nomor pengaduan"), complaint.number, 14),
        (_("Kode rahasia"), code, 14),
        (_("Kategori"), str(complaint.category)[:48], 9),
        (_("Dikirim"), formats.date_format(timezone.localtime(complaint.created_at), "j F Y H:i") + " WITA", 9),
    ):
        pdf.setFont("Helvetica", 7)
        pdf.drawString(left, y, str(label))
        y -= 5.5 * mm if size > 10 else 4 * mm
        pdf.setFont("Courier-Bold" if size > 10 else "Helvetica", size)
        pdf.drawString(left, y, value)
        y -= 7 * mm
    pdf.setFont("Helvetica", 7)
    for line in (
        _("Simpan bukti ini. Kode rahasia tidak dapat dipulihkan."),
        _("Untuk membaca tanggapan: buka %(url)s,") % {"url": f"{settings.SITE_URL}/lacak/"},
        _("masukkan nomor dan kode rahasia."),
        _("Jangan bagikan kode ini kepada siapa pun."),
    ):
        pdf.drawString(left, y, line[:80])
        y -= 3.8 * mm
    qr_size = 26 * mm
    draw_qr(pdf, tracking_url(complaint), width - left - qr_size, 8 * mm, qr_size)
    pdf.drawString(left, 12 * mm, _("Status (tanpa kode):"))
    pdf.drawString(left, 8 * mm, tracking_url(complaint)[:48])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
