"""Every notification the portal sends, in one place (Indonesian source texts, English in locale/).

Context fields: ``number`` (case number) and ``link`` (absolute URL) are always present; each
event lists the others it uses in ``sample``. SMS/WhatsApp use ``short`` (<= 160 characters).
"""

from django.utils.translation import gettext_lazy as _

from .events import Event, register

SAMPLE_CASE = (("number", "KTP-2026-000123"), ("link", "https://layanan.kupangkota.go.id/lacak/KTP-2026-000123/"))

register(
    # --- Applications (layanan) ---------------------------------------------------------------
    Event(
        "application_submitted",
        _("Permohonan {number} diterima"),
        _("Permohonan {service} dengan nomor {number} telah kami terima. Target selesai: {deadline}. Pantau statusnya di portal."),
        _("Permohonan {number} diterima. Target selesai {deadline}. Lacak: {link}"),
        sample=SAMPLE_CASE + (("service", "KTP-el baru"), ("deadline", "5 Desember 2026")),
    ),
    Event(
        "application_verified",
        _("Permohonan {number} lolos verifikasi"),
        _("Berkas permohonan {service} nomor {number} sudah diverifikasi dan sedang diproses."),
        _("Berkas {number} lolos verifikasi dan sedang diproses. {link}"),
        sample=SAMPLE_CASE + (("service", "KTP-el baru"),),
    ),
    Event(
        "application_revision_requested",
        _("Permohonan {number} perlu diperbaiki"),
        _("Petugas meminta perbaikan berkas permohonan {number}: {reason}\nUnggah perbaikan di halaman permohonan Anda."),
        _("Berkas {number} perlu diperbaiki: {reason}. Buka {link}"),
        sample=SAMPLE_CASE + (("reason", "Foto KK buram"),),
    ),
    Event(
        "application_completed",
        _("Permohonan {number} selesai"),
        _("Permohonan {service} nomor {number} telah selesai. {instructions}"),
        _("Permohonan {number} selesai. Lihat {link}"),
        sample=SAMPLE_CASE + (("service", "KTP-el baru"), ("instructions", "KTP-el diambil di Dinas Dukcapil Kota Kupang.")),
    ),
    Event(
        "application_rejected",
        _("Permohonan {number} ditolak"),
        _("Permohonan {service} nomor {number} ditolak dengan alasan: {reason}"),
        _("Permohonan {number} ditolak: {reason}. {link}"),
        sample=SAMPLE_CASE + (("service", "KTP-el baru"), ("reason", "Persyaratan tidak sesuai")),
    ),
    Event(
        "survey_invitation",
        _("Bagaimana pelayanan kami? ({number})"),
        _("Terima kasih telah menggunakan layanan kami. Mohon isi survei kepuasan (SKM) singkat untuk permohonan {number}."),
        _("Mohon nilai layanan kami untuk {number}: {survey_link}"),
        sample=SAMPLE_CASE + (("survey_link", "https://layanan.kupangkota.go.id/survei/abc/"),),
    ),
    # --- Complaints (pengaduan) ---------------------------------------------------------------
    Event(
        "complaint_received",
        _("Pengaduan {number} diterima"),
        _("Pengaduan Anda dengan nomor {number} telah diterima dan akan diverifikasi paling lambat {deadline}."),
        _("Pengaduan {number} diterima, diverifikasi paling lambat {deadline}. {link}"),
        sample=SAMPLE_CASE + (("deadline", "2 Desember 2026"),),
    ),
    Event(
        "complaint_disposed",
        _("Pengaduan {number} diteruskan ke {office}"),
        _("Pengaduan {number} telah diverifikasi dan diteruskan ke {office} untuk ditindaklanjuti paling lambat {deadline}."),
        _("Pengaduan {number} diteruskan ke {office}, tindak lanjut paling lambat {deadline}. {link}"),
        sample=SAMPLE_CASE + (("office", "DLHK"), ("deadline", "9 Desember 2026")),
    ),
    Event(
        "complaint_office_changed",
        _("Pengaduan {number} kini ditangani {office}"),
        _("Pengaduan {number} dialihkan dan kini ditangani oleh {office}. Tenggat tahap berikutnya: {deadline}."),
        _("Pengaduan {number} kini ditangani {office}, tenggat {deadline}. {link}"),
        sample=SAMPLE_CASE + (("office", "Dinas PUPR"), ("deadline", "9 Desember 2026")),
    ),
    Event(
        "complaint_responded",
        _("Pengaduan {number} telah ditanggapi"),
        _("{office} telah menanggapi pengaduan {number}. Baca tanggapannya dan beri penilaian di portal."),
        _("Pengaduan {number} ditanggapi {office}. Baca di {link}"),
        sample=SAMPLE_CASE + (("office", "DLHK"),),
    ),
    Event(
        "complaint_rejected",
        _("Pengaduan {number} tidak dapat ditindaklanjuti"),
        _("Pengaduan {number} tidak diteruskan ke OPD dengan alasan: {reason}"),
        _("Pengaduan {number} tidak diteruskan: {reason}. {link}"),
        sample=SAMPLE_CASE + (("reason", "Laporan ganda"),),
    ),
    Event(
        "complaint_closed",
        _("Pengaduan {number} ditutup"),
        _("Pengaduan {number} telah ditutup. Terima kasih atas laporan Anda."),
        _("Pengaduan {number} ditutup. Terima kasih. {link}"),
        sample=SAMPLE_CASE,
    ),
    Event(
        "complaint_reopened",
        _("Pengaduan {number} dibuka kembali"),
        _("Pelapor membuka kembali pengaduan {number} dengan alasan: {reason}"),
        _("Pengaduan {number} dibuka kembali: {reason}. {link}"),
        sample=SAMPLE_CASE + (("reason", "Sampah belum diangkut"),),
    ),
    # --- Staff ----------------------------------------------------------------------------------
    Event(
        "case_new_in_queue",
        _("Kasus baru di antrean {office}: {number}"),
        _("Kasus {number} ({title}) masuk ke antrean {office}. Tenggat: {deadline}."),
        _("Kasus baru {number} di antrean {office}, tenggat {deadline}."),
        sample=SAMPLE_CASE + (("office", "Dukcapil"), ("title", "KTP-el baru"), ("deadline", "5 Desember 2026")),
    ),
    Event(
        "case_due_soon",
        _("Tenggat {number} tinggal satu hari kerja"),
        _("Kasus {number} ({title}) di {office} jatuh tempo {deadline}."),
        _("Tenggat {number} di {office}: {deadline}."),
        sample=SAMPLE_CASE + (("office", "Dukcapil"), ("title", "KTP-el baru"), ("deadline", "5 Desember 2026")),
    ),
    Event(
        "case_overdue",
        _("Kasus {number} melewati tenggat"),
        _("Kasus {number} ({title}) di {office} melewati tenggat {deadline} dan belum selesai."),
        _("Kasus {number} di {office} melewati tenggat {deadline}."),
        sample=SAMPLE_CASE + (("office", "Dukcapil"), ("title", "KTP-el baru"), ("deadline", "5 Desember 2026")),
    ),
    Event(
        "staff_login_under_attack",
        _("Akun petugas {username} sedang diserang"),
        _("Dalam {minutes} menit terakhir ada {failures} percobaan masuk gagal ke akun petugas {username} dari {addresses} alamat IP (terakhir {ip}). "
          "Akun tetap dapat dipakai dari alamat tempat pemiliknya biasa masuk; alamat lain dikunci sementara."),
        _("{failures} percobaan masuk gagal ke akun petugas {username} dalam {minutes} menit."),
        sample=(("number", ""), ("link", "https://layanan.kupangkota.go.id/admin/"), ("username", "petugas.dukcapil"),
                ("failures", 5), ("minutes", 15), ("addresses", 3), ("ip", "203.0.113.7")),
    ),
    Event(
        "calendar_year_missing",
        _("Kalender hari libur {year} belum dimuat"),
        _("Hari libur nasional dan cuti bersama tahun {year} belum dimasukkan (hanya hari libur bertanggal tetap yang dikenal). "
          "Tenggat yang jatuh pada tahun {year} masih sementara sampai SKB hari libur dimasukkan di admin."),
        _("Kalender libur {year} belum dimuat: tenggat {year} masih sementara."),
        sample=(("number", ""), ("link", "https://layanan.kupangkota.go.id/admin/organization/holiday/"), ("year", 2027)),
    ),
    Event(
        "office_daily_digest",
        _("Ringkasan harian {office}: {open_count} kasus terbuka"),
        _("Ringkasan {office} per {date}: {open_count} kasus terbuka, {due_soon_count} jatuh tempo dalam satu hari kerja, {overdue_count} melewati tenggat."),
        _("{office}: {open_count} terbuka, {overdue_count} lewat tenggat."),
        sample=(("number", ""), ("link", "https://layanan.kupangkota.go.id/admin/"), ("office", "Dukcapil"), ("date", "30 November 2026"),
                ("open_count", 12), ("due_soon_count", 3), ("overdue_count", 1)),
    ),
    # --- Dashboards ------------------------------------------------------------------------------
    Event(
        "dashboard_export_ready",
        _("Ekspor dasbor siap diunduh"),
        _("Ekspor dasbor ({format}, {rows} baris) sudah siap diunduh (hanya oleh Anda)."),
        _("Ekspor dasbor siap: {link}"),
        sample=(("number", ""), ("link", "https://layanan.kupangkota.go.id/dasbor/ekspor/1/"), ("format", "CSV"), ("rows", 120)),
    ),
)

# --- Counter appointments (antrean) ------------------------------------------------------------
SAMPLE_BOOKING = (("number", "ANT-7KQ2MX4P"), ("link", "https://layanan.kupangkota.go.id/antrean/tiket/ANT-7KQ2MX4P/"),
                  ("service", "KTP-el baru"), ("purpose", "Perekaman biometrik"), ("office", "Dukcapil"),
                  ("date", "Senin, 7 Desember 2026"), ("window", "08:00–08:30"), ("address", "Kompleks Perkantoran Jl. Timor Raya, Kupang"))
register(
    Event(
        "booking_confirmed",
        _("Antrean {number}: {date} {window}"),
        _("Jadwal kunjungan Anda untuk {service} ({purpose}) di {office}: {date} pukul {window} WITA, {address}.\n"
          "Tunjukkan kode {number} atau kode QR pada tiket di portal.\nPerubahan atau pembatalan paling lambat pukul 16.00 WITA sehari sebelumnya."),
        _("Antrean {number} {office}: {date} {window} WITA. Tiket: {link}"),
        sample=SAMPLE_BOOKING,
    ),
    Event(
        "booking_reminder_day_before",
        _("Pengingat: besok kunjungan {number}"),
        _("Pengingat jadwal kunjungan {service} ({purpose}) di {office}: {date} pukul {window} WITA, {address}.\n"
          "Bawa dokumen yang tertera di tiket (buka di portal)."),
        _("Pengingat: {date} {window} WITA di {office}, antrean {number}. {link}"),
        sample=SAMPLE_BOOKING,
    ),
    Event(
        "booking_reminder_today",
        _("Hari ini: kunjungan {number} pukul {window}"),
        _("Hari ini pukul {window} WITA Anda dijadwalkan di {office} ({address}) untuk {service} ({purpose}).\n"
          "Tunjukkan kode {number} di loket; tiket ada di portal."),
        _("Hari ini {window} WITA di {office}, antrean {number}. {link}"),
        sample=SAMPLE_BOOKING,
    ),
    Event(
        "booking_day_closed",
        _("Jadwal {number} dibatalkan: loket tutup"),
        _("Mohon maaf, loket {office} tutup pada {date} ({reason}). Antrean {number} dibatalkan.\n"
          "Pilih jadwal baru di portal."),
        _("Loket {office} tutup {date}. Antrean {number} batal. Pesan ulang: {link}"),
        sample=SAMPLE_BOOKING + (("reason", "Pemadaman listrik"),),
    ),
    Event(
        "booking_restricted",
        _("Pemesanan antrean dibatasi sampai {until}"),
        _("Pemesanan antrean daring untuk akun Anda dibatasi sampai {until} karena {reason}.\n"
          "Anda tetap dapat dilayani langsung di loket. Rinciannya ada di portal."),
        _("Pemesanan antrean dibatasi sampai {until}: {reason}. {link}"),
        sample=(("number", ""), ("link", "https://layanan.kupangkota.go.id/antrean/saya/"), ("until", "30 Desember 2026"),
                ("reason", "2 kali tidak hadir tanpa membatalkan")),
    ),
)
