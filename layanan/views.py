"""Resident pages: catalogue, Standar Pelayanan, application form, my applications, files.

Views are thin: they parse the request and call layanan.services / layanan.selectors.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kupang_portal.core import ratelimit
from kupang_portal.workflow import access, engine

from . import receipts, selectors, services
from .constants import WITHDRAWABLE, ApplicationStatus, Category
from .forms import ApplicationForm, RevisionForm
from .models import Service


def _is_xhr(request):
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _go(request, url):
    """Redirect; an XHR upload (static/js/layanan_upload.js) gets the target as JSON instead, so
    the flash message survives until the browser opens the page."""
    if _is_xhr(request):
        return JsonResponse({"redirect": url})
    return redirect(url)


@require_GET
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
def service_detail(request, slug):
    service = get_object_or_404(Service.objects.published().select_related("office"), slug=slug)
    return render(request, "layanan/service_detail.html", {
        "service": service, "requirements": service.requirements.all(), "chain": service.chain(),
    })


@login_required
def apply(request, slug):
    service = get_object_or_404(Service.objects.published().select_related("office"), slug=slug)
    token = services.parse_token(request.POST.get("token")) if request.method == "POST" else None
    application = services.find_draft(request.user, service, token)
    if application is not None and application.status != ApplicationStatus.DRAFT:
        # A replayed or double-clicked submit: the first one already went through.
        if application.number:
            messages.info(request, _("Permohonan ini sudah diajukan dengan nomor %(number)s.") % {"number": application.number})
            return _go(request, application.get_absolute_url())
        application, token = None, None
    existing = _existing_documents(application)
    action = request.POST.get("action", "save") if request.method == "POST" else None
    if action not in (None, "save", "submit", "discard"):
        action = "save"
    initial = {}
    if application is not None:
        initial = {"applicant_nik": application.applicant_nik, "phone": application.phone, "notes": application.notes}
    else:
        initial = {"applicant_nik": request.user.nik or "", "phone": request.user.phone or ""}
    form = ApplicationForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None,
        service=service, existing=existing, submitting=action == "submit", initial=initial,
    )
    if request.method == "POST":
        if action == "discard":
            return _discard(request, service, application)
        response = _save_and_maybe_submit(request, service, application, form, token, action)
        if response is not None:
            return response
        application = services.find_draft(request.user, service, token)
        form.existing = _existing_documents(application)
        for name, field in form.fields.items():
            if hasattr(field, "requirement"):
                field.existing = form.existing.get(field.requirement.pk)
    return render(request, "layanan/apply.html", {
        "service": service, "form": form, "application": application,
        "token": application.form_token if application else (token or uuid.uuid4()),
    })


def _existing_documents(application):
    if application is None:
        return {}
    return {d.requirement_id: d for d in application.current_documents() if d.requirement_id}


def _discard(request, service, application):
    if application is not None and application.status == ApplicationStatus.DRAFT:
        try:
            services.withdraw(application, request.user)
        except engine.TransitionError as exc:
            messages.error(request, exc.message)
            return _go(request, service.get_apply_url())
        messages.info(request, _("Draf permohonan dibatalkan."))
    return _go(request, service.get_absolute_url())


def _save_and_maybe_submit(request, service, application, form, token, action):
    """Keep everything valid (data and files) in the draft, then submit if asked and complete.

    Returns a response when done, or None to re-render the form with its errors.
    """
    form_ok = form.is_valid()
    checked, file_errors = services.check_files(form.uploaded_files())
    for requirement, message in file_errors.items():
        form.add_error(requirement.field_name, message)
    if application is None:
        try:
            application = services.start_application(request.user, service, token, ratelimit.client_ip(request))
        except services.TooManyApplications as exc:
            form.add_error(None, exc.message)
            return None
    valid_data = {k: form.cleaned_data[k] for k in services.DRAFT_FIELDS if k in getattr(form, "cleaned_data", {})}
    try:
        services.save_draft_data(application, valid_data)
        services.store_uploads(application, checked, request.user)
    except services.DraftGone as gone:
        messages.info(request, _("Permohonan ini sudah diajukan dengan nomor %(number)s.") % {"number": gone.application.number})
        return _go(request, gone.application.get_absolute_url())
    except ValidationError as exc:
        form.add_error(None, exc.messages[0] + " " + _("Berkas baru belum disimpan; perkecil ukurannya lalu unggah lagi."))
        return None
    except engine.TransitionError as exc:
        form.add_error(None, exc.message)
        return None
    if not form_ok or file_errors:
        messages.warning(request, _("Isian yang benar dan berkas yang lolos pemeriksaan sudah disimpan sebagai draf. Perbaiki bagian yang ditandai."))
        return None
    if action != "submit":
        messages.success(request, _("Draf tersimpan. Anda dapat melanjutkannya kapan saja dari halaman Permohonan Saya."))
        return _go(request, service.get_apply_url())
    missing = services.missing_requirements(application)
    if missing:
        for requirement in missing:
            form.add_error(requirement.field_name, _("Dokumen ini wajib diunggah sebelum permohonan diajukan."))
        messages.warning(request, _("Draf tersimpan, tetapi dokumen wajib belum lengkap."))
        return None
    try:
        services.submit(application, request.user)
    except engine.ConcurrentTransition:
        application.refresh_from_db()
        if application.number:
            return _go(request, application.get_absolute_url())
        form.add_error(None, engine.ConcurrentTransition.default_message)
        return None
    except engine.TransitionError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, _("Permohonan berhasil diajukan dengan nomor %(number)s. Simpan bukti pendaftarannya.") % {"number": application.number})
    return _go(request, application.get_absolute_url())


@login_required
@require_GET
def my_applications(request):
    page = Paginator(selectors.applications_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "layanan/my_applications.html", {"page": page, "applications": page.object_list})


@login_required
def application_detail(request, number):
    application = selectors.application_for_owner(request.user, number)
    revision_form = None
    if application.status == ApplicationStatus.NEEDS_REVISION:
        revision_form = RevisionForm(application=application)
    return _render_detail(request, application, revision_form)


def _render_detail(request, application, revision_form, status=200):
    return render(request, "layanan/application_detail.html", {
        "application": application, "service": application.service,
        "timeline": selectors.public_timeline(application),
        "documents": application.current_documents(), "issued": application.issued_document(),
        "revision_form": revision_form, "can_withdraw": application.status in WITHDRAWABLE,
        "step": services.current_step(application), "chain": application.service.chain(),
        "opened_by": access.offices_for_resident(application),
    }, status=status)


@login_required
@require_POST
def application_revise(request, number):
    application = selectors.application_for_owner(request.user, number)
    if application.status != ApplicationStatus.NEEDS_REVISION:
        messages.info(request, _("Permohonan ini tidak sedang menunggu perbaikan."))
        return _go(request, application.get_absolute_url())
    form = RevisionForm(request.POST, request.FILES, application=application)
    form_ok = form.is_valid()
    checked, file_errors = services.check_files(form.uploaded_files())
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
        raise Http404(_("Berkas tidak ditemukan."))
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(doc.content_type, "bin")
    name = f"{doc.application.number or 'draf'}-{doc.pk}.{ext}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=doc.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
