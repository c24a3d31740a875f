"""The SKM survey page: /survei/<token>/ (no login; the token is the invitation)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from kupang_portal.core.text import CleanTextMixin

from . import skm


class SurveyForm(CleanTextMixin, forms.Form):
    suggestion = forms.CharField(label=_("Saran dan masukan (opsional)"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for code, name, question, answers in skm.unsur():
            fields[code] = forms.TypedChoiceField(
                label=f"{code}. {name}: {question}", coerce=int, widget=forms.RadioSelect,
                choices=[(i + 1, answer) for i, answer in enumerate(answers)],
                error_messages={"required": _("Pilih salah satu jawaban.")},
            )
        fields["suggestion"] = self.fields.pop("suggestion")
        self.fields = fields


def survey(request, token):
    response = get_object_or_404(skm.SurveyResponse.objects.select_related("service"), token=token)
    if response.submitted_at:
        return render(request, "layanan/skm/thanks.html", {"survey": response, "already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {code: form.cleaned_data[code] for code in skm.UNSUR_CODES}
        try:
            skm.submit(response, answers, form.cleaned_data["suggestion"])
        except skm.AlreadySubmitted:
            messages.info(request, _("Survei ini sudah diisi sebelumnya."))
        return redirect("skm:survey", token=token)
    return render(request, "layanan/skm/survey.html", {"survey": response, "form": form})
