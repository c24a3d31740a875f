"""Production static files: collectstatic with the hashed, pre-compressed storage succeeds."""

from django.core.management import call_command


def test_collectstatic_hashes_and_compresses_everything(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "kupang_portal.core.staticstorage.PortalStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", "-v0")  # a vendored file's missing source map must not fail it
    css = list((tmp_path / "vendor" / "bootstrap" / "css").glob("bootstrap.min.*.css"))
    assert css, "hashed Bootstrap CSS"
    assert css[0].with_name(css[0].name + ".gz").exists() and css[0].with_name(css[0].name + ".br").exists()
    assert (tmp_path / "staticfiles.json").exists()
