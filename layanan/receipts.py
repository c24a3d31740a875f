"""The PDF receipt (bukti pendaftaran) with a QR code to the public tracking page."""

import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from kupang_portal.core.pdf import draw_qr


def tracking_url(application):
    return f"{settings.SITE_URL}/lacak/{application.number}/"


_draw_qr = draw_qr


def _date(value, fmt="j F Y H:i"):
    return formats.date_format(timezone.localtime(value), fmt) if value else "-"


def render_receipt(application):
    """PDF bytes. Page content is not compressed so the number is searchable in the raw file."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5, pageCompression=0)
    pdf.setTitle(f"{_('Bukti pendaftaran')} {application.number}")
    pdf.setAuthor("Pemerintah Kota Kupang")
    width, height = A5
    left = 14 * mm
    y = height - 18 * mm
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(left, y, _("BUKTI PENDAFTARAN PERMOHONAN"))
    y -= 6 * mm
    pdf.setFont("Helvetica", 9)
    pdf.drawString(left, y, _("Layanan Publik Kota Kupang"))
    y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, y, application.number)
    y -= 9 * mm
    rows = [
        (_("Layanan"), application.service.name),
        (_("OPD penanggung jawab"), application.service.office.name),
        (_("Pemohon"), application.applicant_name),
        (_("NIK"), application.masked_nik or "-"),
        (_("Diajukan"), _date(application.submitted_at)),
        (_("Target selesai"), _date(application.deadline, "j F Y") if application.deadline else "-"),
        (_("Biaya"), application.service.fee_text or "-"),
    ]
    for label, value in rows:
        pdf.setFont("Helvetica", 8)
        pdf.drawString(left, y, str(label))
        pdf.setFont("Helvetica", 10)
        text = str(value)
        while text:
            chunk, text = text[:58], text[58:]
            pdf.drawString(left + 38 * mm, y, chunk)
            y -= 5 * mm if text else 0
        y -= 7 * mm
    y -= 2 * mm
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(left, y, _("Dokumen yang diunggah:"))
    pdf.setFont("Helvetica", 8)
    for doc in application.current_documents():
        y -= 4.5 * mm
        pdf.drawString(left + 3 * mm, y, f"- {doc.label[:85]}")
    qr_size = 34 * mm
    _draw_qr(pdf, tracking_url(application), width - left - qr_size, 14 * mm, qr_size)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(left, 30 * mm, _("Pantau status permohonan dengan memindai kode QR"))
    pdf.drawString(left, 26 * mm, _("atau buka:"))
    pdf.drawString(left, 22 * mm, tracking_url(application)[:70])
    pdf.drawString(left, 14 * mm, _("Dicetak %(time)s WITA") % {"time": _date(timezone.now())})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
