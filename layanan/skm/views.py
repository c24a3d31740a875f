"""SKM pages: the questionnaire (/survei/<token>/) and the results (/survei/hasil/...).

Drafts are visible to the office head of the office and to city-wide readers (pimpinan, admin);
everybody else, anonymous included, sees a report only after the office head published it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kupang_portal.core.db import replica_reads
from kupang_portal.organization.models import Office

from . import pdf, periods, selectors, services
from .constants import COMPLAINT_UNSUR_REASON, PeriodKind
from .forms import FollowUpForm, HideSuggestionForm, PublishForm, SurveyForm
from .models import FollowUpAction, SurveyResponse


def survey(request, token):
    response = get_object_or_404(SurveyResponse.objects.select_related("service", "office"), token=token)
    if response.submitted_at:
        return render(request, "layanan/skm/thanks.html", {"survey": response, "already": True})
    if not response.is_open:
        return render(request, "layanan/skm/thanks.html", {"survey": response, "closed": True})
    form = SurveyForm(request.POST or None, survey=response)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(response, form.answers(), form.cleaned_data["suggestion"], form.profile())
        except services.AlreadySubmitted:
            messages.info(request, _("Survei ini sudah diisi sebelumnya."))
        except services.SurveyClosed:
            messages.info(request, _("Masa pengisian survei ini sudah berakhir."))
        return redirect("skm:survey", token=token)
    return render(request, "layanan/skm/survey.html", {
        "survey": response, "form": form, "complaint_reason": COMPLAINT_UNSUR_REASON if response.for_complaint else "",
        "question_fields": [form[code] for code in form.unsur_codes],
    })


def _period_choices(now=None):
    current = {kind: periods.containing(now, kind) for kind in PeriodKind}
    choices = []
    for kind, count in ((PeriodKind.SEMESTER, 4), (PeriodKind.QUARTER, 4), (PeriodKind.YEAR, 3)):
        period = current[kind]
        for _i in range(count):
            choices.append(period)
            period = period.previous()
    return choices


def _period_or_404(key):
    try:
        return periods.parse(key)
    except ValueError:
        raise Http404(_("Periode tidak dikenal.")) from None


def _default_period(user):
    """Readers of drafts start at the current semester; everybody else at the latest publication."""
    if user.is_authenticated and (user.is_city_wide or selectors.head_offices(user).exists()):
        return periods.containing()
    latest = selectors.published_reports().order_by("-year", "-number", "-published_at").first()
    if latest is None:
        return periods.containing()
    return periods.Period(latest.period_kind, latest.year, latest.number)


@replica_reads
def results(request):
    """List of offices with their result for one period (default: the current semester)."""
    key = request.GET.get("periode")
    period = _period_or_404(key) if key else _default_period(request.user)
    rows = []
    for office in selectors.offices_with_results(period):
        stored = selectors.report(office, period)
        published = stored is not None and stored.is_published
        if not published and not selectors.can_read_drafts(request.user, office):
            continue
        data = selectors.results_for_report(office, period, stored)
        rows.append({"office": office, "data": data, "published": published, "report": stored})
    # The "!" legend only when a row carries the mark (it was printed under every list).
    short = any(row["data"]["result"] and not row["data"]["meets_sample"] for row in rows)
    return render(request, "layanan/skm/results.html", {
        "period": period, "choices": _period_choices(), "rows": rows, "short_of_sample": short,
    })


def _report_context(request, office_code, period_key):
    office = get_object_or_404(Office, code=office_code)
    period = _period_or_404(period_key)
    stored = selectors.report(office, period)
    published = stored is not None and stored.is_published
    if not published and not selectors.can_read_drafts(request.user, office):
        raise Http404(_("Laporan SKM ini belum diterbitkan."))
    data = selectors.results_for_report(office, period, stored)
    until = stored.published_at if published else None
    return {
        "office": office, "period": period, "report": stored, "published": published, "data": data,
        "actions": list(stored.actions.all()) if stored else [],
        "suggestions": list(selectors.suggestions(office, period, until=until)),
        "definitions": selectors.DEFINITIONS,
    }


@replica_reads  # a head who just published or edited reads the primary (PinAfterWriteMiddleware)
def report(request, office_code, period_key):
    context = _report_context(request, office_code, period_key)
    office, period = context["office"], context["period"]
    is_head = selectors.is_office_head(request.user, office)
    context["is_head"] = is_head
    if is_head:
        context["hidden_suggestions"] = list(selectors.suggestions(office, period, include_hidden=True).filter(suggestion_hidden=True))
        context["follow_up_form"] = FollowUpForm(initial={"unsur": (context["data"]["lowest"] or [{"code": "U1"}])[0]["code"]})
        context["edit_forms"] = [(action, FollowUpForm(instance=action, prefix=f"a{action.pk}")) for action in context["actions"]]
        context["publish_form"] = PublishForm(initial={"published_on": timezone.localdate()})
        context["hide_form"] = HideSuggestionForm()
    return render(request, "layanan/skm/report.html", context)


@replica_reads
def report_pdf(request, office_code, period_key):
    context = _report_context(request, office_code, period_key)
    content = pdf.render_report(context)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"skm-{context['office'].code}-{context['period'].key}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _head_post(request, office_code, period_key, handler):
    office = get_object_or_404(Office, code=office_code)
    period = _period_or_404(period_key)
    if not selectors.is_office_head(request.user, office):
        raise PermissionDenied(_("Hanya kepala OPD ini yang dapat mengubah laporan SKM-nya."))
    try:
        handler(office, period)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("skm:report", office_code=office.code, period_key=period.key)


@require_POST
def publish(request, office_code, period_key):
    def handler(office, period):
        form = PublishForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        try:
            services.publish(office, period, request.user, form.cleaned_data["published_on"], form.cleaned_data["conclusion"])
        except services.AlreadyPublished:
            messages.info(request, _("Laporan ini sudah diterbitkan."))
            return
        messages.success(request, _("Laporan SKM diterbitkan dan kini dapat dilihat publik."))

    return _head_post(request, office_code, period_key, handler)


@require_POST
def follow_up(request, office_code, period_key, action_id=None):
    def handler(office, period):
        action = get_object_or_404(FollowUpAction, pk=action_id) if action_id else None
        form = FollowUpForm(request.POST, instance=action, prefix=f"a{action.pk}" if action else None)
        if not form.is_valid():
            raise ValidationError([f"{form.fields[name].label if name in form.fields else ''}: {e}"
                                   for name, errors in form.errors.items() for e in errors])
        services.save_follow_up(office, period, request.user, form.cleaned_data, action)
        messages.success(request, _("Rencana tindak lanjut disimpan."))

    return _head_post(request, office_code, period_key, handler)


@require_POST
def hide_suggestion(request, office_code, period_key, response_id):
    def handler(office, period):
        response = get_object_or_404(SurveyResponse, pk=response_id, office=office)
        form = HideSuggestionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.hide_suggestion(response, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Saran disembunyikan dari laporan."))

    return _head_post(request, office_code, period_key, handler)
