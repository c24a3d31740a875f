"""SKM (Survei Kepuasan Masyarakat) per PermenPANRB 14/2017, as one unit of the layanan app.

- ``constants``: the nine unsur, the respondent profile choices, periods' kinds, RTL statuses;
- ``calc``: the pure arithmetic (NRR, IKM, conversion, mutu, Krejcie-Morgan sample size);
- ``models``: survey responses, reports (publication per office and period) and follow-up actions
  (RTL); imported through ``layanan/models.py`` so the tables belong to the layanan app in every
  process (the survey table keeps its name ``layanan_surveyresponse``);
- ``services``: writes (invite, submit, hide a suggestion, publish, save an RTL row);
- ``selectors``: reads and aggregates (results per office/service/period, visibility rules);
- ``admin``, ``forms``, ``views``, ``urls``, ``pdf``: the thin outer layer.
"""


def __getattr__(name):
    """``from layanan.skm import SurveyResponse`` keeps working (the name of the former module)."""
    if name == "SurveyResponse":
        from .models import SurveyResponse

        return SurveyResponse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
