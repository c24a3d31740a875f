"""The initial service catalogue, built from the reference data (kupang.json).

The reference data names the 11 population documents and 6 business services with their
requirements, legal basis and fees, but completion times are mostly unconfirmed; the defaults
below are sensible values the admin can edit (every such service is marked ``unconfirmed``).
Used by the data migration (historical models) and by tests; idempotent.
"""

from kupang_portal.organization.reference import reference_data

POPULATION_FEE_BASIS = (
    "UU 24/2013 Pasal 79A: pengurusan dan penerbitan dokumen kependudukan tidak dipungut biaya. "
    "Pasal 95B: pungutan diancam pidana penjara paling lama 6 tahun dan/atau denda paling banyak Rp75.000.000."
)
COMPLAINT_CHANNEL = (
    "Sampaikan pengaduan melalui menu Pengaduan di portal ini, SP4N-LAPOR! (lapor.go.id), "
    "atau langsung ke loket pengaduan {office}."
)
POPULATION_PROCEDURE = "\n".join([
    "Pilih layanan dan baca persyaratannya.",
    "Isi formulir dan unggah dokumen persyaratan (PDF, JPEG atau PNG).",
    "Ajukan permohonan dan simpan bukti pendaftaran beserta nomornya.",
    "Petugas Dukcapil memverifikasi berkas; bila ada kekurangan Anda diminta memperbaikinya.",
    "Dokumen diterbitkan; unduh atau ambil di loket sesuai pemberitahuan.",
])
BUSINESS_PROCEDURE = "\n".join([
    "Pilih layanan dan baca persyaratannya.",
    "Isi formulir dan unggah dokumen persyaratan (PDF, JPEG atau PNG).",
    "Ajukan permohonan dan simpan bukti pendaftaran beserta nomornya.",
    "DPMPTSP memeriksa kelengkapan berkas dan meneruskannya ke perangkat daerah teknis bila diperlukan.",
    "Izin/persetujuan diterbitkan; unduh atau ambil di Mal Pelayanan Publik.",
])

DUKCAPIL_PLACE = "Dinas Dukcapil Kota Kupang, Kompleks Perkantoran Jl. Timor Raya"

# Services with a step residents must do in person: where and when (shown on the service page, in
# the procedure and in the completion notice). Everything else about them happens online.
IN_PERSON = {
    "KTP_EL_BARU": (
        "Perekaman data biometrik (foto, sidik jari, iris mata dan tanda tangan) dilakukan langsung di "
        f"{DUKCAPIL_PLACE}, pada hari kerja (Senin–Jumat) setelah Anda menerima pemberitahuan bahwa berkas lolos verifikasi. "
        "Bawa bukti pendaftaran dan KK asli. KTP-el diambil sendiri di tempat yang sama setelah pemberitahuan "
        "“selesai”."
    ),
    "KIA": (
        f"KIA dicetak di {DUKCAPIL_PLACE}. Setelah pemberitahuan “selesai”, orang tua/wali mengambilnya di "
        "tempat itu pada hari kerja (Senin–Jumat) dengan membawa bukti pendaftaran, KK asli dan KTP-el asli orang tua/wali."
    ),
}
ONLINE_COMPLETION = "Dokumen dapat diunduh atau diambil sesuai petunjuk di halaman permohonan Anda."


def in_person_step(service):
    """Where and when the in-person step of ``service`` happens, or '' for a fully online service."""
    return IN_PERSON.get(getattr(service, "code", service), "")


def completion_instructions(service):
    """The completion notice's last sentence: the in-person step, or where to get the document."""
    return in_person_step(service) or ONLINE_COMPLETION


# Clean Indonesian texts for residents. The reference data's notes are research notes (English,
# source ids, "unconfirmed" flags): never shown. Legal basis is never empty.
TEXTS = {
    "KTP_EL_BARU": {"legal_basis": "UU 24/2013 tentang Perubahan atas UU 23/2006 tentang Administrasi Kependudukan; Perpres 96/2018 Pasal 15",
                    "eligibility": "WNI yang telah berusia 17 tahun, sudah kawin, atau pernah kawin."},
    "KK_BARU": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018 Pasal 11",
                "description": "Lampirkan dokumen yang sesuai dengan keadaan Anda; dokumen bersyarat hanya bila berlaku."},
    "KK_PERUBAHAN": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018 Pasal 12"},
    "KK_HILANG_RUSAK": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018"},
    "AKTA_KELAHIRAN": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018",
                       "eligibility": "Dilaporkan paling lambat 60 hari sejak kelahiran; pelaporan yang terlambat memerlukan "
                                      "keputusan Kepala Dinas Dukcapil."},
    "AKTA_KEMATIAN": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018",
                      "eligibility": "Dilaporkan paling lambat 30 hari sejak kematian."},
    "SKPWNI": {"legal_basis": "Perpres 96/2018 Pasal 25 ayat (3); Permendagri 108/2019 Pasal 30",
               "description": "Tidak perlu surat pengantar RT/RW."},
    "PINDAH_DATANG": {"legal_basis": "Perpres 96/2018; Permendagri 108/2019"},
    "KIA": {"legal_basis": "Permendagri 2/2016 tentang Kartu Identitas Anak",
            "eligibility": "Anak WNI di bawah 17 tahun dan belum kawin. Pas foto hanya untuk anak usia 5 tahun ke atas."},
    "AKTA_PERKAWINAN": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018",
                        "eligibility": "Dilaporkan paling lambat 60 hari sejak tanggal perkawinan. Perkawinan warga Muslim "
                                       "dicatat oleh KUA Kecamatan."},
    "AKTA_PERCERAIAN": {"legal_basis": "UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018",
                        "eligibility": "Dilaporkan paling lambat 60 hari sejak putusan pengadilan berkekuatan hukum tetap."},
    "NIB_OSS": {"legal_basis": "PP 5/2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko",
                "description": "NIB diterbitkan oleh sistem OSS (oss.go.id). DPMPTSP Kota Kupang membantu pendaftaran, "
                               "memverifikasi, dan menerbitkan perizinan berusaha yang menjadi kewenangan kota atas nama Wali Kota."},
    "PBG": {"legal_basis": "PP 16/2021 tentang Peraturan Pelaksanaan UU 28/2002 tentang Bangunan Gedung",
            "description": "PBG menggantikan IMB. Permohonan diproses melalui SIMBG (simbg.pu.go.id); pemeriksaan teknis oleh "
                           "Dinas PUPR Kota Kupang, penerbitan oleh DPMPTSP.",
            "fee_basis": "Retribusi PBG menurut Perda Kota Kupang tentang Pajak Daerah dan Retribusi Daerah (indeks × luas × tarif)."},
    "SLF": {"legal_basis": "PP 16/2021 tentang Peraturan Pelaksanaan UU 28/2002 tentang Bangunan Gedung",
            "description": "SLF diterbitkan setelah bangunan selesai dibangun dan lulus inspeksi kelaikan fungsi.",
            "fee_basis": "Retribusi mencakup PBG, inspeksi, SLF, SBKBG dan plakat SLF."},
    "IZIN_REKLAME": {"legal_basis": "Dasar hukum: lihat Perda Kota Kupang tentang Pajak Daerah dan Retribusi Daerah dan "
                                    "Perwali Kota Kupang tentang penyelenggaraan reklame.",
                     "fee_basis": "Izin tidak dipungut biaya; pajak reklame dibayar terpisah."},
    "SIP_NAKES": {"legal_basis": "UU 17/2023 tentang Kesehatan",
                  "fee_basis": "Tidak dipungut biaya."},
    "IUMK_UMK": {"legal_basis": "PP 5/2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko; PP 7/2021 tentang "
                                "Kemudahan, Pelindungan, dan Pemberdayaan Koperasi dan UMKM",
                 "description": "Usaha mikro dan kecil berisiko rendah cukup memiliki NIB dari OSS sebagai perizinan berusaha "
                                "(menggantikan IUMK)."},
}


def procedure_for(code, base):
    """The procedure, with the in-person step spelled out where there is one."""
    step = in_person_step(code)
    if not step:
        return base
    lines = base.split("\n")
    return "\n".join(lines[:-1] + ["Datang langsung: " + step])


def service_texts(code, base_procedure):
    texts = TEXTS[code]
    return {"description": texts.get("description", ""), "eligibility": texts.get("eligibility", ""),
            "legal_basis": texts["legal_basis"], "procedure": procedure_for(code, base_procedure),
            **({"fee_basis": texts["fee_basis"]} if "fee_basis" in texts else {})}


# A requirement marked this way is "unconfirmed" (a flag for staff), with no note for residents.
UNCONFIRMED = object()

# code -> slug, prefix, working days, completion text, product, popular, documents
# documents: (name, required, notes)
POPULATION = {
    "KTP_EL_BARU": ("ktp-el-baru", "KTP", 3, "1–3 hari kerja", "KTP-el", True, [
        ("Kartu Keluarga (KK)", True, ""),
        ("Buku nikah/kutipan akta perkawinan (bila belum 17 tahun tetapi sudah/pernah kawin)", False, ""),
    ]),
    "KK_BARU": ("kk-baru", "KK", 3, "3 hari kerja", "Kartu Keluarga", True, [
        ("Buku nikah/kutipan akta perkawinan atau kutipan akta perceraian", True, ""),
        ("Surat keterangan pindah/pindah datang (jika pindah dalam negeri)", False, ""),
        ("Surat keterangan pindah luar negeri (jika datang dari luar negeri)", False, ""),
        ("Surat keterangan pengganti tanda identitas (penduduk rentan adminduk)", False, ""),
        ("Petikan Keppres dan BA sumpah setia (WNA menjadi WNI)", False, ""),
    ]),
    "KK_PERUBAHAN": ("kk-perubahan-data", "KK", 3, "3 hari kerja", "Kartu Keluarga", False, [
        ("KK lama", True, ""),
        ("Surat keterangan/bukti peristiwa kependudukan atau peristiwa penting", True, ""),
    ]),
    "KK_HILANG_RUSAK": ("kk-hilang-rusak", "KK", 3, "3 hari kerja", "Kartu Keluarga", False, [
        ("Surat keterangan hilang dari kepolisian atau KK yang rusak", True, ""),
        ("KTP-el", True, ""),
    ]),
    "AKTA_KELAHIRAN": ("akta-kelahiran", "AKL", 5, "5 hari kerja", "Kutipan Akta Kelahiran (dan KIA)", True, [
        ("Surat keterangan lahir dari dokter/bidan/penolong kelahiran (atau SPTJM kebenaran data kelahiran)", True, ""),
        ("Akta nikah/kutipan akta perkawinan orang tua (atau SPTJM kebenaran sebagai pasangan suami istri)", True, ""),
        ("KK tempat anak didaftarkan", True, ""),
        ("KTP-el orang tua/wali/pelapor", True, ""),
    ]),
    "AKTA_KEMATIAN": ("akta-kematian", "AKM", 5, "5 hari kerja", "Kutipan Akta Kematian", False, [
        ("Surat keterangan kematian dari puskesmas/RS/dokter (atau keterangan kelurahan)", True, ""),
        ("KK dan KTP-el yang meninggal", True, ""),
        ("KTP-el pelapor dan 2 orang saksi", True, ""),
    ]),
    "SKPWNI": ("surat-pindah", "PDH", 3, "3 hari kerja", "Surat Keterangan Pindah WNI (SKPWNI)", False, [
        ("KK", True, ""),
        ("Formulir F-1.03 (pendaftaran perpindahan penduduk)", True, ""),
        ("Surat persetujuan orang tua/wali (jika hanya anak di bawah 17 tahun yang pindah)", False, ""),
    ]),
    "PINDAH_DATANG": ("pindah-datang", "PDH", 3, "3 hari kerja", "KK, KTP-el dan KIA dengan alamat baru", False, [
        ("SKPWNI dari daerah asal", True, ""),
        ("Surat pernyataan tidak keberatan pemilik rumah (jika menumpang KK/sewa/kontrak)", False, ""),
        ("KTP-el dan KIA lama", True, ""),
    ]),
    "KIA": ("kartu-identitas-anak", "KIA", 3, "3 hari kerja", "Kartu Identitas Anak (KIA)", True, [
        ("Kutipan akta kelahiran anak", True, ""),
        ("KK orang tua/wali", True, ""),
        ("KTP-el kedua orang tua/wali", True, ""),
        ("Pas foto anak berwarna (untuk anak usia 5 tahun ke atas)", False, ""),
    ]),
    "AKTA_PERKAWINAN": ("akta-perkawinan", "AKW", 5, "5 hari kerja", "Kutipan Akta Perkawinan", False, [
        ("Surat keterangan telah terjadinya perkawinan dari pemuka agama/penghayat kepercayaan", True, ""),
        ("Pas foto berwarna suami dan istri", True, ""),
        ("KTP-el", True, ""),
        ("KK", True, ""),
    ]),
    "AKTA_PERCERAIAN": ("akta-perceraian", "AKC", 5, "5 hari kerja", "Kutipan Akta Perceraian", False, [
        ("Salinan putusan pengadilan yang berkekuatan hukum tetap", True, UNCONFIRMED),
        ("Kutipan akta perkawinan", True, UNCONFIRMED),
        ("KK dan KTP-el", True, UNCONFIRMED),
    ]),
}

# code -> slug, prefix, days, text, product, popular, fee_amount, fee_text, office, chain, documents
BUSINESS = {
    "NIB_OSS": ("nib-oss", "NIB", 3, "3 hari kerja (pendampingan; NIB terbit oleh sistem OSS)", "Nomor Induk Berusaha (NIB)", True,
                0, "Tidak dipungut biaya", "DPMPTSP", [], [
        ("KTP-el pemilik/penanggung jawab", True, ""),
        ("Keterangan KBLI, lokasi usaha dan modal/skala usaha", True, UNCONFIRMED),
    ]),
    "PBG": ("pbg", "PBG", 28, "28 hari kerja", "Persetujuan Bangunan Gedung (PBG)", True,
            None, "Retribusi PBG sesuai Perda (indeks × luas × tarif)", "DPMPTSP",
            [("DPMPTSP", "Penerimaan dan pemeriksaan kelengkapan berkas"),
             ("PUPR", "Pemeriksaan teknis (TPA/TPT) dan konsultasi di SIMBG"),
             ("DPMPTSP", "Penerbitan PBG")], [
        ("Dokumen rencana teknis arsitektur", True, "disusun tenaga ahli bersertifikat"),
        ("Dokumen rencana teknis struktur", True, "disusun tenaga ahli bersertifikat"),
        ("Dokumen rencana mekanikal, elektrikal dan plumbing (MEP)", True, ""),
        ("Surat Pernyataan Pemenuhan Standar Teknis", True, ""),
        ("Bukti kepemilikan/penguasaan tanah", True, ""),
    ]),
    "SLF": ("slf", "SLF", 7, "7 hari kerja setelah inspeksi", "Sertifikat Laik Fungsi (SLF)", False,
            None, "Retribusi mencakup PBG, inspeksi, SLF, SBKBG dan plakat SLF", "DPMPTSP",
            [("DPMPTSP", "Penerimaan dan pemeriksaan kelengkapan berkas"),
             ("PUPR", "Inspeksi bangunan gedung setelah konstruksi"),
             ("DPMPTSP", "Penerbitan SLF")], [
        ("PBG yang telah terbit", True, ""),
        ("Laporan pemeriksaan kelaikan fungsi bangunan", True, UNCONFIRMED),
    ]),
    "IZIN_REKLAME": ("izin-reklame", "RKL", 5, "5 hari kerja", "Izin/Persetujuan Reklame", False,
                     0, "Izin gratis; pajak reklame dibayar terpisah", "DPMPTSP", [], [
        ("Surat permohonan", True, ""),
        ("KTP pemohon", True, ""),
        ("Persetujuan pemilik lahan/perjanjian sewa", True, ""),
        ("Gambar konstruksi dan isi reklame", True, ""),
        ("Foto/denah lokasi", True, ""),
        ("Bukti bayar pajak/retribusi reklame", False, ""),
    ]),
    "SIP_NAKES": ("sip-tenaga-kesehatan", "SIP", 5, "5 hari kerja", "Surat Izin Praktik (SIP)", False,
                  0, "Bebas biaya", "DPMPTSP",
                  [("DPMPTSP", "Penerimaan dan pemeriksaan kelengkapan berkas"),
                   ("DINKES", "Verifikasi tempat praktik dan rekomendasi teknis"),
                   ("DPMPTSP", "Penerbitan SIP")], [
        ("STR (Surat Tanda Registrasi)", True, ""),
        ("Surat keterangan tempat praktik dari fasyankes", True, ""),
        ("Ijazah", True, ""),
        ("Pas foto berwarna 4x6", True, ""),
        ("KTP-el", True, ""),
        ("Bukti kecukupan SKP (untuk perpanjangan)", False, ""),
        ("Rekomendasi organisasi profesi", False, ""),
    ]),
    "IUMK_UMK": ("perizinan-usaha-mikro-kecil", "IUM", 3, "3 hari kerja", "NIB sebagai perizinan usaha mikro/kecil", False,
                 0, "Tidak dipungut biaya", "DPMPTSP", [], [
        ("KTP-el pemilik usaha", True, ""),
        ("Foto tempat usaha", False, ""),
    ]),
}


def _fee_value(entry):
    """Business services without an Indonesian fee basis in TEXTS show none (the reference's
    fee notes are research notes)."""
    return ""


def load_catalogue(apps=None):
    """Create the 17 reference services (skipping codes that exist: admin edits are kept)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Office = apps.get_model("organization", "Office")
    Service = apps.get_model("layanan", "Service")
    Requirement = apps.get_model("layanan", "Requirement")
    ServiceStep = apps.get_model("layanan", "ServiceStep")
    data = reference_data()
    offices = {o.code: o for o in Office.objects.all()}
    order = 0

    def create(entry, slug, prefix, days, text, product, popular, fee_amount, fee_text, fee_basis, office_code,
               chain, documents, category, procedure):
        nonlocal order
        order += 10
        if Service.objects.filter(code=entry["code"]).exists():
            return
        office = offices[office_code]
        texts = service_texts(entry["code"], procedure)
        service = Service.objects.create(
            code=entry["code"], slug=slug, name=entry["name"], category=category, office=office,
            number_prefix=prefix, description=texts["description"],
            eligibility=texts["eligibility"], procedure=texts["procedure"], completion_days=days,
            completion_text=text, fee_amount=fee_amount, fee_text=fee_text, fee_basis=texts.get("fee_basis", fee_basis),
            product=product, legal_basis=texts["legal_basis"],
            complaint_channel=COMPLAINT_CHANNEL.format(office=office.short_name),
            unconfirmed=True, is_published=True, is_popular=popular, sort_order=order,
        )
        for index, (name, required, notes) in enumerate(documents, start=1):
            Requirement.objects.create(service=service, order=index, name=name, is_required=required,
                                       notes="" if notes is UNCONFIRMED else notes, unconfirmed=notes is UNCONFIRMED)
        for index, (code, label) in enumerate(chain, start=1):
            ServiceStep.objects.create(service=service, order=index, office=offices[code], label=label)

    for entry in data["adminduk_services"]:
        slug, prefix, days, text, product, popular, documents = POPULATION[entry["code"]]
        create(entry, slug, prefix, days, text, product, popular, 0, "Gratis (Rp0)", POPULATION_FEE_BASIS,
               "DISDUKCAPIL", [], documents, "kependudukan", POPULATION_PROCEDURE)
    for entry in data["business_services"]:
        slug, prefix, days, text, product, popular, fee_amount, fee_text, office_code, chain, documents = BUSINESS[entry["code"]]
        create(entry, slug, prefix, days, text, product, popular, fee_amount, fee_text, _fee_value(entry),
               office_code, chain, documents, "perizinan", BUSINESS_PROCEDURE)
    return Service.objects.count()


def clean_service_texts(apps=None):
    """Replace texts that earlier versions copied from the reference data's research notes (English,
    source ids, raw dicts, empty legal basis) with the clean Indonesian ones. Only fields that still
    hold such a value are changed; what an admin wrote stays."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Service = apps.get_model("layanan", "Service")
    Requirement = apps.get_model("layanan", "Requirement")
    data = reference_data()
    legacy = {}
    for entry in data["adminduk_services"] + data["business_services"]:
        fee = entry.get("fee") or {}
        legacy[entry["code"]] = {
            "description": entry.get("notes") or entry.get("note") or entry.get("handled_by") or "",
            "eligibility": str(entry.get("reporting_deadline", "")),
            "legal_basis": entry.get("basis", ""),
            "fee_basis": (fee.get("basis") or fee.get("value") or "") if entry in data["business_services"] else None,
        }
    procedures = {**{c: POPULATION_PROCEDURE for c in POPULATION}, **{c: BUSINESS_PROCEDURE for c in BUSINESS}}
    for service in Service.objects.filter(code__in=TEXTS.keys()):
        new = service_texts(service.code, procedures[service.code])
        old = legacy.get(service.code, {})
        changed = []
        for field in ("description", "eligibility", "legal_basis", "fee_basis"):
            current = getattr(service, field)
            if field not in new or old.get(field) is None:
                continue
            if current in ("", old.get(field)) and current != new[field]:
                setattr(service, field, new[field])
                changed.append(field)
        if service.procedure == procedures[service.code] and new["procedure"] != service.procedure:
            service.procedure = new["procedure"]
            changed.append("procedure")
        if changed:
            service.save(update_fields=changed)
    Requirement.objects.filter(notes__in=["belum terkonfirmasi", "belum terkonfirmasi untuk Kota Kupang"]).update(notes="", unconfirmed=True)
