"""The ticket PDF: code, date, time window, office address, documents to bring, signed QR token.
Same approach as the application receipt (layanan.receipts: reportlab, vector QR from segno)."""

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from layanan.receipts import _draw_qr

from . import tokens


def documents_to_bring(booking):
    """The service's required documents (originals) plus what the visit itself asks for."""
    lines = [r.name for r in booking.service.requirements.all() if r.is_required]
    visit = booking.schedule.visit
    if visit is not None:
        lines += visit.bring_lines()
    if booking.application_id:
        lines.append(_("Nomor permohonan %(number)s") % {"number": booking.application.number})
    return lines


def _wrap(text, width):
    words, line, lines = str(text).split(), "", []
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def render_ticket(booking):
    """PDF bytes (uncompressed page content, so the code is searchable in the raw file)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A6, pageCompression=0)
    pdf.setTitle(f"{_('Tiket antrean')} {booking.code}")
    pdf.setAuthor("Pemerintah Kota Kupang")
    width, height = A6
    left = 8 * mm
    y = height - 12 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(left, y, _("TIKET ANTREAN LOKET"))
    y -= 5 * mm
    pdf.setFont("Helvetica", 7)
    pdf.drawString(left, y, _("Layanan Publik Kota Kupang"))
    y -= 9 * mm
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(left, y, booking.code)
    qr_size = 30 * mm
    _draw_qr(pdf, tokens.make(booking), width - left - qr_size + 3 * mm, y - 8 * mm, qr_size)
    y -= 7 * mm
    visit = booking.schedule.visit
    rows = [
        (_("Tanggal"), formats.date_format(booking.date, "l, j F Y")),
        (_("Jam"), f"{booking.window_text} WITA"),
        (_("Layanan"), booking.service.name),
        (_("Keperluan"), visit.label if visit else "-"),
        (_("Tempat"), f"{booking.office.name}, {booking.schedule.address}"),
    ]
    for label, value in rows:
        pdf.setFont("Helvetica", 6.5)
        pdf.drawString(left, y, str(label))
        pdf.setFont("Helvetica", 8)
        for line in _wrap(value, 34):
            pdf.drawString(left + 16 * mm, y, line)
            y -= 3.8 * mm
        y -= 1.2 * mm
    y -= 1 * mm
    pdf.setFont("Helvetica-Bold", 7.5)
    pdf.drawString(left, y, _("Bawa dokumen asli:"))
    pdf.setFont("Helvetica", 7)
    for doc in documents_to_bring(booking)[:10]:
        for i, line in enumerate(_wrap(doc, 62)):
            y -= 3.4 * mm
            pdf.drawString(left + 2 * mm, y, ("- " if i == 0 else "  ") + line)
    pdf.setFont("Helvetica", 6)
    pdf.drawString(left, 10 * mm, _("Datang 10 menit sebelum jam antrean. Perubahan/pembatalan paling lambat"))
    pdf.drawString(left, 7 * mm, _("pukul 16.00 WITA sehari sebelumnya. Dicetak %(time)s WITA.") % {
        "time": formats.date_format(timezone.localtime(), "j F Y H:i")})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
