"""The printable SKM report (PDF) in the usual structure of an Indonesian SKM report.

I Pendahuluan, II Metode (unsur, skala, rumus, populasi dan sampel, periode), III Hasil (NRR per
unsur, IKM, mutu, per layanan, profil responden), IV Kesimpulan (unsur terendah, saran), V Rencana
tindak lanjut. Built from the same context as the HTML page (published: the frozen snapshot).
"""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .constants import FollowUpStatus


def num(value, places=2):
    if value is None or value == "":
        return "–"
    return formats.number_format(value, places, use_l10n=True)


def _date(value):
    return formats.date_format(value, "j F Y") if value else "–"


def _table(rows, widths, header=True):
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    table.setStyle(TableStyle(style))
    return table


def render_report(context):
    data, office, period = context["data"], context["office"], context["period"]
    styles = getSampleStyleSheet()
    body, small, h1, h2 = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10), styles["Title"], styles["Heading2"]
    result = data["result"]
    story = [
        Paragraph(_("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)"), h1),
        Paragraph(f"{office.name}<br/>{period.label} ({_date(data['period']['first_day'])} – {_date(data['period']['last_day'])})", body),
    ]
    if context["published"]:
        story.append(Paragraph(_("Diterbitkan tanggal %(date)s.") % {"date": _date(context["report"].published_on)}, body))
    else:
        story.append(Paragraph("<b>%s</b>" % _("DRAF – belum diterbitkan; angka dapat berubah."), body))

    story += [Paragraph(_("I. Pendahuluan"), h2), Paragraph(_(
        "Survei Kepuasan Masyarakat dilaksanakan sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman "
        "Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik, sebagai amanat Undang-Undang "
        "Nomor 25 Tahun 2009 tentang Pelayanan Publik. Tujuannya mengukur tingkat kepuasan pengguna layanan dan "
        "menjadi dasar perbaikan kualitas pelayanan."), body)]

    story += [Paragraph(_("II. Metode"), h2), Paragraph(_(
        "Survei diisi daring oleh pengguna layanan setelah permohonan selesai atau pengaduan ditutup dengan "
        "tanggapan. Sembilan unsur dinilai dengan skala 1–4; pertanyaan yang tidak dijawab tidak dihitung."), body)]
    for term, definition in context["definitions"]:
        story.append(Paragraph(f"<b>{term}</b>: {definition}", small))
    story.append(Spacer(1, 3 * mm))
    story.append(_table([
        [_("Populasi (pengguna layanan)"), num(data["population"], 0)],
        [_("Sampel minimum (Krejcie–Morgan)"), num(data["sample_required"], 0)],
        [_("Jumlah responden"), num(data["respondents"], 0)],
        [_("Periode pengumpulan"), f"{_date(data['collection_first'])} – {_date(data['collection_last'])}"],
    ], [80 * mm, 80 * mm], header=False))
    if result and not data["meets_sample"]:
        story.append(Paragraph("<b>%s</b>" % _("Hasil belum memenuhi jumlah sampel minimum."), body))

    story.append(Paragraph(_("III. Hasil"), h2))
    if not result:
        story.append(Paragraph(_("Belum ada jawaban survei pada periode ini."), body))
    else:
        rows = [[_("Unsur"), _("Jawaban"), _("NRR"), _("NRR tertimbang")]]
        for row in data["unsur"]:
            mark = " *" if row["lowest"] else ""
            rows.append([Paragraph(f"{row['code']} {row['name']}{mark}", small), num(row["answers"], 0), num(row["nrr"]), num(row["weighted"], 3)])
        rows.append([_("IKM (skala 1–4)"), "", "", num(result["ikm"], 4)])
        rows.append([_("Nilai konversi (IKM × 25)"), "", "", num(result["konversi"])])
        rows.append([_("Mutu / kinerja"), "", "", f"{result['mutu']} ({result['kinerja']})"])
        story += [_table(rows, [85 * mm, 20 * mm, 25 * mm, 35 * mm]),
                  Paragraph(_("* tiga unsur dengan NRR terendah."), small)]
        if data["services"]:
            story.append(Paragraph(_("Hasil per layanan"), styles["Heading3"]))
            rows = [[_("Layanan"), _("Populasi"), _("Sampel min."), _("Responden"), _("Nilai"), _("Mutu")]]
            for part in data["services"]:
                res = part["result"]
                rows.append([Paragraph(part["name"], small), num(part["population"], 0), num(part["sample_required"], 0),
                             num(part["respondents"], 0), num(res["konversi"]) if res else "–", res["mutu"] if res else "–"])
            story.append(_table(rows, [70 * mm, 18 * mm, 20 * mm, 20 * mm, 18 * mm, 14 * mm]))
        story.append(Paragraph(_("Profil responden (opsional diisi)"), styles["Heading3"]))
        rows = [[_("Karakteristik"), _("Kategori"), _("Jumlah")]]
        for group in data["profile"]:
            for item in group["rows"]:
                rows.append([group["label"], item["label"], _small_cell(item["count"])])
            rows.append([group["label"], _("Tidak diisi"), _small_cell(group["unanswered"])])
        story.append(_table(rows, [45 * mm, 60 * mm, 25 * mm]))
        story.append(Paragraph(_("Jumlah di bawah 5 ditulis “< 5” agar responden tidak dapat dikenali."), small))

    story.append(Paragraph(_("IV. Kesimpulan"), h2))
    if result:
        story.append(Paragraph(_("Nilai SKM %(value)s, mutu %(mutu)s (%(kinerja)s), dari %(n)s responden.") % {
            "value": num(result["konversi"]), "mutu": result["mutu"], "kinerja": result["kinerja"], "n": data["respondents"]}, body))
        story.append(Paragraph(_("Unsur dengan nilai terendah: %(list)s.") % {
            "list": "; ".join(f"{row['code']} {row['name']} ({num(row['nrr'])})" for row in data["lowest"])}, body))
    if context["report"] and context["report"].conclusion:
        story.append(Paragraph(context["report"].conclusion, body))
    if context["suggestions"]:
        story.append(Paragraph(_("Saran responden"), styles["Heading3"]))
        for item in context["suggestions"]:
            story.append(Paragraph(f"• {_escape(item.suggestion)}", small))

    story.append(Paragraph(_("V. Rencana tindak lanjut"), h2))
    if context["actions"]:
        rows = [[_("Unsur"), _("Rencana tindak lanjut"), _("Penanggung jawab"), _("Target"), _("Status"), _("Bukti/kemajuan")]]
        for action in context["actions"]:
            rows.append([action.unsur, Paragraph(_escape(action.action), small), Paragraph(_escape(action.responsible), small),
                         _date(action.target_date), str(FollowUpStatus(action.status).label), Paragraph(_escape(action.evidence), small)])
        story.append(_table(rows, [12 * mm, 50 * mm, 30 * mm, 22 * mm, 18 * mm, 42 * mm]))
    else:
        story.append(Paragraph(_("Belum ada rencana tindak lanjut."), body))

    buffer = io.BytesIO()
    # Uncompressed page content: the text stays searchable (and testable) in the raw file.
    doc = SimpleDocTemplate(buffer, pagesize=A4, pageCompression=0, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                            title=f"SKM {office.short_name} {period.label}", author="Pemerintah Kota Kupang")
    doc.build(story)
    return buffer.getvalue()


def _small_cell(count):
    return "< 5" if count < 5 else num(count, 0)


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
