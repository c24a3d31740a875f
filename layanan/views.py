"""Resident pages: catalogue, Standar Pelayanan, application form, my applications, files.

Views are thin: they parse the request and call layanan.services / layanan.selectors.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kupang_portal.core import ratelimit
from kupang_portal.core.pagecache import cache_public_response
from kupang_portal.workflow import access, engine

from . import receipts, selectors, services
from .constants import ApplicationStatus, Category
from .forms import RevisionForm
from .models import Service
from .skm.selectors import open_survey_for_application


def _is_xhr(request):
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _go(request, url):
    """Redirect; an XHR upload (static/js/layanan_upload.js) gets the target as JSON instead, so
    the flash message survives until the browser opens the page."""
    if _is_xhr(request):
        return JsonResponse({"redirect": url})
    return redirect(url)


@require_GET
@cache_public_response()  # anonymous and unfiltered: the whole page (stamped with the catalogue's version)
def catalogue(request):
    query = request.GET.get("q", "").strip()[:100]
    office = request.GET.get("opd", "").strip()[:40]
    category = request.GET.get("kategori", "").strip()[:30]
    services_qs = selectors.catalogue(query, office, category)
    return render(request, "layanan/catalogue.html", {
        "services": services_qs, "query": query, "office": office, "category": category,
        "offices": selectors.catalogue_offices(), "categories": Category.choices,
        "filtered": bool(query or office or category),
    })


@require_GET
@cache_public_response()
def service_detail(request, slug):
    service = get_object_or_404(Service.objects.published().select_related("office"), slug=slug)
    return render(request, "layanan/service_detail.html", {
        # Lazy: inside the cached fragment they are read only when the fragment is rendered.
        "service": service, "requirements": service.requirements.all(), "chain": service.chain,
    })


@login_required
def apply(request, slug):
    service = services.form_service(slug)  # with its requirements and steps, without a query per request
    posted = request.method == "POST"
    step = services.application_form(
        request.user, service, data=request.POST if posted else None, files=request.FILES if posted else None,
        ip=ratelimit.client_ip(request) if posted else None,
    )
    for level, text in step.messages:
        getattr(messages, level)(request, text)
    if step.redirect:
        return _go(request, step.redirect)
    return render(request, "layanan/apply.html", {
        "service": service, "form": step.form, "application": step.application, "token": step.token,
    })


@login_required
@require_GET
def my_applications(request):
    page = Paginator(selectors.applications_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "layanan/my_applications.html", {"page": page, "applications": page.object_list})


@login_required
def application_detail(request, number):
    application = selectors.application_for_owner(request.user, number)
    revision_form = None
    if type(application).workflow.can(application, request.user, "resubmit"):
        revision_form = RevisionForm(application=application)
    # Right after the submit (services.SUBMITTED_FLAG): the success notice, without a flash
    # message in the session (which cost the submit a second transaction).
    just_submitted = services.shows_submitted_notice(application, request.GET.get(services.SUBMITTED_FLAG))
    return _render_detail(request, application, revision_form, just_submitted=just_submitted)


def _render_detail(request, application, revision_form, status=200, just_submitted=False):
    return render(request, "layanan/application_detail.html", {
        "application": application, "service": application.service, "just_submitted": just_submitted,
        "timeline": selectors.public_timeline(application),
        "documents": application.current_documents(), "issued": application.issued_document(),
        "revision_form": revision_form,
        "can_withdraw": type(application).workflow.can(application, request.user, "withdraw"),
        "step": services.current_step(application), "chain": application.service.chain(),
        "survey": open_survey_for_application(application) if application.status == ApplicationStatus.COMPLETED else None,
        "opened_by": access.offices_for_resident(application),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_revise(request, number):
    application = selectors.application_for_owner(request.user, number)
    if request.method == "GET":
        # A failed revision is answered on this address: the footer's language switch, a reload
        # from the history or a bookmark come back here with a GET. The form is on the page.
        return redirect(application.get_absolute_url())
    if not type(application).workflow.can(application, request.user, "resubmit"):
        messages.info(request, _("Permohonan ini tidak sedang menunggu perbaikan."))
        return _go(request, application.get_absolute_url())
    form = RevisionForm(request.POST, request.FILES, application=application)
    form_ok = form.is_valid()
    checked, file_errors = services.check_revision_files(form.uploaded_files())
    for requirement, message in file_errors.items():
        form.add_error(requirement.field_name, message)
    if form_ok and not file_errors:
        try:
            services.resubmit(application, request.user, checked, note=form.cleaned_data.get("note", ""),
                              expected_version=request.POST.get("version") or None)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        except engine.TransitionError as exc:
            application.refresh_from_db()
            if application.status != ApplicationStatus.NEEDS_REVISION:
                messages.info(request, _("Perbaikan ini sudah terkirim."))
                return _go(request, application.get_absolute_url())
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Perbaikan terkirim. Tenggat penyelesaian berjalan kembali."))
            return _go(request, application.get_absolute_url())
    return _render_detail(request, application, form)


@login_required
@require_POST
def application_withdraw(request, number):
    application = selectors.application_for_owner(request.user, number)
    try:
        services.withdraw(application, request.user, expected_version=request.POST.get("version") or None)
    except engine.TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permohonan %(number)s dibatalkan.") % {"number": application.number})
    return redirect(application.get_absolute_url())


@login_required
@require_GET
def receipt(request, number):
    application = selectors.application_for_owner(request.user, number)
    if not application.number:
        raise Http404
    response = HttpResponse(receipts.render_receipt(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bukti-{application.number}.pdf"'
    return response


@login_required
@require_GET
def document_download(request, number, document_id):
    application, doc = selectors.document_for_owner(request.user, number, document_id)
    return _file_response(doc)


@login_required
@require_GET
def draft_document_download(request, slug, document_id):
    """A file of the resident's own draft (drafts have no number yet)."""
    service = get_object_or_404(Service, slug=slug)
    application = services.find_draft(request.user, service)
    if application is None:
        raise Http404
    doc = application.documents.filter(pk=document_id).first()
    if doc is None:
        raise Http404
    return _file_response(doc)


def _file_response(doc):
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Berkas tidak ditemukan.")) from None
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(doc.content_type, "bin")
    name = f"{doc.application.number or 'draf'}-{doc.pk}.{ext}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=doc.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
