"""Static files storage: WhiteNoise's compressed manifest storage, without source-map rewriting.

Django's manifest storage rewrites ``sourceMappingURL`` comments in CSS/JS and fails the whole
``collectstatic`` when a vendored minified file points to a ``.map`` file that is not shipped
(Chart.js's ``chart.umd.min.js`` does). Browsers only fetch source maps with developer tools open,
so the reference is left as it is.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern):
        text = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in text

    return tuple((extension, tuple(p for p in group if keep(p))) for extension, group in patterns)


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
