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


class _Styles:
    def __init__(self):
        sheet = getSampleStyleSheet()
        self.body, self.h1, self.h2, self.h3 = sheet["BodyText"], sheet["Title"], sheet["Heading2"], sheet["Heading3"]
        self.small = sheet["BodyText"].clone("small", fontSize=8, leading=10)


def render_report(context):
    """PDF bytes of the report whose page context (see views._report_context) is given."""
    st = _Styles()
    story = _header(context, st) + _introduction(st) + _method(context, st) + _results(context, st)
    story += _conclusion(context, st) + _follow_up(context, st)
    office, period = context["office"], context["period"]
    buffer = io.BytesIO()
    # Uncompressed page content: the text stays searchable (and testable) in the raw file.
    doc = SimpleDocTemplate(buffer, pagesize=A4, pageCompression=0, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=f"SKM {office.short_name} {period.label}",
                            author="Pemerintah Kota Kupang")
    doc.build(story)
    return buffer.getvalue()


def _header(context, st):
    data, office, period = context["data"], context["office"], context["period"]
    first, last = _date(data["period"]["first_day"]), _date(data["period"]["last_day"])
    story = [
        Paragraph(_("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)"), st.h1),
        Paragraph(f"{office.name}<br/>{period.label} ({first} – {last})", st.body),
    ]
    if context["published"]:
        story.append(Paragraph(_("Diterbitkan tanggal %(date)s.") % {"date": _date(context["report"].published_on)}, st.body))
    else:
        story.append(Paragraph("<b>%s</b>" % _("DRAF – belum diterbitkan; angka dapat berubah."), st.body))
    return story


def _introduction(st):
    return [Paragraph(_("I. Pendahuluan"), st.h2), Paragraph(_(
        "Survei Kepuasan Masyarakat dilaksanakan sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman "
        "Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik, sebagai amanat Undang-Undang "
        "Nomor 25 Tahun 2009 tentang Pelayanan Publik. Tujuannya mengukur tingkat kepuasan pengguna layanan dan "
        "menjadi dasar perbaikan kualitas pelayanan."), st.body)]


def _method(context, st):
    data = context["data"]
    story = [Paragraph(_("II. Metode"), st.h2), Paragraph(_(
        "Survei diisi daring oleh pengguna layanan setelah permohonan selesai atau pengaduan ditutup dengan "
        "tanggapan. Sembilan unsur dinilai dengan skala 1–4; pertanyaan yang tidak dijawab tidak dihitung."), st.body)]
    for term, definition in context["definitions"]:
        story.append(Paragraph(f"<b>{term}</b>: {definition}", st.small))
    story.append(Spacer(1, 3 * mm))
    story.append(_table([
        [_("Populasi (pengguna layanan)"), num(data["population"], 0)],
        [_("Sampel minimum (Krejcie–Morgan)"), num(data["sample_required"], 0)],
        [_("Jumlah responden"), num(data["respondents"], 0)],
        [_("Periode pengumpulan"), f"{_date(data['collection_first'])} – {_date(data['collection_last'])}"],
    ], [80 * mm, 80 * mm], header=False))
    if data["result"] and not data["meets_sample"]:
        story.append(Paragraph("<b>%s</b>" % _("Hasil belum memenuhi jumlah sampel minimum."), st.body))
    return story


def _results(context, st):
    data = context["data"]
    result = data["result"]
    story = [Paragraph(_("III. Hasil"), st.h2)]
    if not result:
        return story + [Paragraph(_("Belum ada jawaban survei pada periode ini."), st.body)]
    rows = [[_("Unsur"), _("Jawaban"), _("NRR"), _("NRR tertimbang")]]
    for row in data["unsur"]:
        mark = " *" if row["lowest"] else ""
        rows.append([Paragraph(f"{row['code']} {row['name']}{mark}", st.small), num(row["answers"], 0), num(row["nrr"]),
                     num(row["weighted"], 3)])
    rows.append([_("IKM (skala 1–4)"), "", "", num(result["ikm"], 4)])
    rows.append([_("Nilai konversi (IKM × 25)"), "", "", num(result["konversi"])])
    rows.append([_("Mutu / kinerja"), "", "", f"{result['mutu']} ({result['kinerja']})"])
    story += [_table(rows, [85 * mm, 20 * mm, 25 * mm, 35 * mm]), Paragraph(_("* tiga unsur dengan NRR terendah."), st.small)]
    if data["services"]:
        story.append(Paragraph(_("Hasil per layanan"), st.h3))
        rows = [[_("Layanan"), _("Populasi"), _("Sampel min."), _("Responden"), _("Nilai"), _("Mutu")]]
        for part in data["services"]:
            res = part["result"]
            rows.append([Paragraph(part["name"], st.small), num(part["population"], 0), num(part["sample_required"], 0),
                         num(part["respondents"], 0), num(res["konversi"]) if res else "–", res["mutu"] if res else "–"])
        story.append(_table(rows, [70 * mm, 18 * mm, 20 * mm, 20 * mm, 18 * mm, 14 * mm]))
    story.append(Paragraph(_("Profil responden (opsional diisi)"), st.h3))
    rows = [[_("Karakteristik"), _("Kategori"), _("Jumlah")]]
    for group in data["profile"]:
        rows += [[group["label"], item["label"], _small_cell(item["count"])] for item in group["rows"]]
        rows.append([group["label"], _("Tidak diisi"), _small_cell(group["unanswered"])])
    story.append(_table(rows, [45 * mm, 60 * mm, 25 * mm]))
    story.append(Paragraph(_("Jumlah di bawah 5 ditulis “< 5” agar responden tidak dapat dikenali."), st.small))
    return story


def _conclusion(context, st):
    data = context["data"]
    result = data["result"]
    story = [Paragraph(_("IV. Kesimpulan"), st.h2)]
    if result:
        story.append(Paragraph(_("Nilai SKM %(value)s, mutu %(mutu)s (%(kinerja)s), dari %(n)s responden.") % {
            "value": num(result["konversi"]), "mutu": result["mutu"], "kinerja": result["kinerja"], "n": data["respondents"]}, st.body))
        story.append(Paragraph(_("Unsur dengan nilai terendah: %(list)s.") % {
            "list": "; ".join(f"{row['code']} {row['name']} ({num(row['nrr'])})" for row in data["lowest"])}, st.body))
    if context["report"] and context["report"].conclusion:
        story.append(Paragraph(_escape(context["report"].conclusion), st.body))
    if context["suggestions"]:
        story.append(Paragraph(_("Saran responden"), st.h3))
        story += [Paragraph(f"• {_escape(item.suggestion)}", st.small) for item in context["suggestions"]]
    return story


def _follow_up(context, st):
    story = [Paragraph(_("V. Rencana tindak lanjut"), st.h2)]
    if not context["actions"]:
        return story + [Paragraph(_("Belum ada rencana tindak lanjut."), st.body)]
    rows = [[_("Unsur"), _("Rencana tindak lanjut"), _("Penanggung jawab"), _("Target"), _("Status"), _("Bukti/kemajuan")]]
    for action in context["actions"]:
        rows.append([action.unsur, Paragraph(_escape(action.action), st.small), Paragraph(_escape(action.responsible), st.small),
                     _date(action.target_date), str(FollowUpStatus(action.status).label), Paragraph(_escape(action.evidence), st.small)])
    return story + [_table(rows, [12 * mm, 50 * mm, 30 * mm, 22 * mm, 18 * mm, 42 * mm])]


def _small_cell(count):
    return "< 5" if count < 5 else num(count, 0)


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
