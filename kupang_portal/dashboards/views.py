"""Dashboard pages: thin views over ``selectors`` (reads) and ``services`` (exports)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kupang_portal.core.db import replica_reads

from . import charts, fragments, selectors, services
from .filters import PRESETS, FilterForm, default_filters
from .models import ExportJob

KPI_ROWS = fragments.KPI_ROWS


def _context(request, scope, data_as_of=None, *, form_shown=True, **extra):
    """The filter form and filters; a page that does not show the form (the home page) and was
    opened without filters skips building it: the defaults are the same."""
    if form_shown or request.GET:
        form = FilterForm(request.GET or None, scope=scope)
        filters = form.filters()
    else:
        form, filters = None, default_filters(scope)
    if data_as_of is None:
        data_as_of = selectors.data_as_of()
    return form, filters, {"scope": scope, "form": form, "filters": filters, "data_as_of": data_as_of,
                           "query": urlencode(filters.as_query()), "kpi_rows": KPI_ROWS, "presets": PRESETS, **extra}


@login_required
@require_GET
@replica_reads
def home(request):
    stamps = fragments.stamps_for(request.user)
    request.unread_stamp = stamps.unread_stamp  # the navigation's count needs no read of its own
    form, filters, ctx = _context(request, stamps.scope, stamps.data_as_of, form_shown=False)
    ctx["home_html"] = fragments.home_html(request, stamps, ctx)
    return render(request, "dashboards/home.html", ctx)


@login_required
@require_GET
@replica_reads
def performance(request):
    scope = selectors.scope_for(request.user)
    form, filters, ctx = _context(request, scope)
    figures = selectors.period_figures(scope, filters)
    trend = selectors.trend(scope, filters)
    tables = [(by, title, selectors.breakdown(scope, filters, by)) for by, title in (
        ("opd", _("Per OPD")), ("layanan", _("Per layanan / kategori")), ("kecamatan", _("Per kecamatan")))]
    ctx.update(figures=figures, trend_chart=charts.trend_chart(trend, filters),
               on_time_chart=charts.on_time_chart(tables[0][2]), aging_chart=charts.aging_chart(figures["total"]["backlog"]),
               tables=tables, visits=selectors.visit_rows(scope, filters))
    return render(request, "dashboards/performance.html", ctx)


@login_required
@require_GET
@replica_reads
def staff(request):
    scope = selectors.scope_for(request.user)
    form, filters, ctx = _context(request, scope)
    ctx["rows"] = selectors.staff_rows(scope, filters, request.user)
    return render(request, "dashboards/staff.html", ctx)


@login_required
@require_GET
@replica_reads
def definitions(request):
    scope = selectors.scope_for(request.user)
    return render(request, "dashboards/definitions.html", {"scope": scope, "cap": selectors.EXCEPTION_CAP})


@login_required
@require_POST  # it records and runs a job in the person's name: never started by a link or another site
def export_start(request):
    """The export's parameters travel in the query string (the page's filters); the POST carries
    the CSRF token."""
    scope = selectors.scope_for(request.user)
    fmt = request.GET.get("format", "")
    content = request.GET.get("isi", ExportJob.Content.CASES)
    figure = request.GET.get("angka", "diterima")
    if fmt not in ExportJob.Format.values or content not in ExportJob.Content.values or figure not in selectors.FIGURES:
        return render(request, "dashboards/export_error.html", {"scope": scope}, status=400)
    form = FilterForm(request.GET, scope=scope)
    params = form.filters().as_query()
    params.update(isi=content, angka=figure)
    job = services.start_export(request.user, params, fmt, content)
    return redirect("dashboards:export_status", pk=job.pk)


def _own_job(request, pk):
    selectors.scope_for(request.user)
    # Another person's export does not exist for you (404), whoever you are.
    return get_object_or_404(ExportJob, pk=pk, owner=request.user)


@login_required
@require_GET
def export_status(request, pk):
    job = _own_job(request, pk)
    return render(request, "dashboards/export_status.html", {"job": job, "refresh": job.status in ("pending", "running")})


@login_required
@require_GET
def export_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    content_type = "text/csv; charset=utf-8" if job.format == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type)
