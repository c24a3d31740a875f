"""/transparansi/: public figures without any personal data, and the same figures as open data.

Reads aggregates only: the published SKM reports (``layanan.skm``) and, once they land, the daily
rollups of ``kupang_portal.dashboards``. Counts under 5 are masked as "< 5". The computed figures
are cached (``CACHE_KEY``) and dropped when an SKM report is published or its RTL changes.
"""
