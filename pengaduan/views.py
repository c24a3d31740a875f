"""Reporter pages. Thin: validation in forms, writes in services, reads in selectors."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kupang_portal.core import ratelimit
from kupang_portal.core.forms import TrackForm
from kupang_portal.workflow import access as case_access
from kupang_portal.workflow import engine
from layanan.skm.selectors import open_survey_for_complaint

from . import access, app_settings, pending_photos, receipts, selectors, services
from .forms import MAX_PHOTOS, ComplaintForm, Privacy, RatingForm, ReopenForm
from .models import ComplaintPhoto, Status

client_ip = ratelimit.client_ip
MINE_PER_PAGE = 20  # like "my applications"


@never_cache
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user if request.user.is_authenticated else None
    if request.method != "POST":
        form = ComplaintForm(user=user, initial={"form_token": uuid.uuid4()})
        return render(request, "pengaduan/new.html", {"form": form, "kept_photos": []})
    form = ComplaintForm(request.POST, request.FILES, user=user)
    token = _form_token(form)
    kept, expired = pending_photos.drop_missing(request, token)
    if request.POST.getlist("remove_photo"):
        kept = pending_photos.remove(request, token, request.POST.getlist("remove_photo"))
    valid = form.is_valid()
    new_photos = form.checked_photos()
    if expired:  # purged after PENGADUAN_PENDING_PHOTO_MAX_AGE_HOURS: say so, never file without them silently
        form.add_error("photos", _("Foto yang tersimpan sudah dihapus karena formulir terlalu lama tidak dikirim. Pilih fotonya lagi."))
        valid = False
    if len(kept) + len(new_photos) > MAX_PHOTOS:
        form.add_error("photos", _("Paling banyak %(n)s foto: %(kept)s sudah tersimpan. Hapus foto yang tidak perlu.")
                       % {"n": MAX_PHOTOS, "kept": len(kept)})
        valid, new_photos = False, []
    if valid:
        data = form.cleaned_data
        anonymous = data["privacy"] in Privacy.ANONYMOUS_VALUES
        try:
            result = services.submit_complaint(
                category=data["category"], title=data["title"], description=data["description"], kind=data["kind"],
                reporter=user, anonymous=anonymous, confidential=data["privacy"] in Privacy.CONFIDENTIAL_VALUES,
                kelurahan=data["kelurahan"], address=data["address"], landmark=data["landmark"], latitude=data["latitude"],
                longitude=data["longitude"], incident_date=data["incident_date"], late_reason=data["late_reason"],
                photos=pending_photos.as_checked(kept) + list(new_photos), ip=client_ip(request),
                browser=access.browser_id(request) if user is None else None, form_token=token,
            )
        except services.FloodLimited as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error("photos", exc)
            new_photos = []
        else:
            pending_photos.discard(request, token)
            return _after_submit(request, result)
    else:
        messages.error(request, _("Pengaduan belum terkirim: periksa kembali isian yang ditandai."))
    if new_photos:  # valid photos survive the other fields' errors
        kept = pending_photos.keep(request, token, new_photos)
    return render(request, "pengaduan/new.html", {"form": _keep_token(form, token), "kept_photos": kept})


def _form_token(form):
    """The posted one-time token (a fresh one when missing or malformed)."""
    try:
        return uuid.UUID(str(form.data.get("form_token", "")))
    except ValueError:
        return uuid.uuid4()


def _keep_token(form, token):
    form.data = form.data.copy()
    form.data["form_token"] = str(token)
    return form


def _after_submit(request, result):
    """Redirect after POST: a refresh never files again; the anonymous code stays with this browser."""
    complaint = result.complaint
    if complaint.is_anonymous:
        if result.code:
            access.remember_receipt(request, complaint, result.code)
        elif not access.receipt(request, complaint.number):
            messages.info(request, _("Pengaduan %(number)s sudah terkirim sebelumnya; formulir yang sama tidak dikirim dua kali.")
                          % {"number": complaint.number})
            return redirect(f"{reverse('core:track')}?nomor={complaint.number}")
        return access.save(request, redirect("pengaduan:submitted", number=complaint.number))
    if result.duplicate:
        messages.info(request, _("Pengaduan %(number)s sudah terkirim sebelumnya; formulir yang sama tidak dikirim dua kali.")
                      % {"number": complaint.number})
    else:
        messages.success(request, _("Pengaduan %(number)s terkirim. Kami akan memberi kabar setiap ada perkembangan.")
                         % {"number": complaint.number})
    return redirect("pengaduan:detail", number=complaint.number)


@never_cache
def submitted(request, number):
    """The anonymous reporter's number and code, for the browser that filed it and a short time."""
    code = access.receipt(request, number)
    complaint = selectors.find_by_number(number) if code else None
    if complaint is None:
        response = render(request, "pengaduan/submitted.html", {"complaint": None, "number": number}, status=404)
    else:
        response = render(request, "pengaduan/submitted.html", {"complaint": complaint, "code": code,
                                                                 "minutes": app_settings.receipt_seconds() // 60})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def submitted_pdf(request, number):
    code = access.receipt(request, number)
    complaint = selectors.find_by_number(number) if code else None
    if complaint is None:
        raise Http404
    response = HttpResponse(receipts.render_receipt(complaint, code), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bukti-{complaint.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def mine(request):
    page = Paginator(selectors.my_complaints(request.user), MINE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pengaduan/mine.html", {"page": page, "complaints": page.object_list})


def _owned_or_404(request, number):
    complaint = selectors.find_by_number(number)
    if complaint is None or not complaint.is_owned_by(request.user):
        raise Http404
    return complaint


def _detail_context(complaint, actor, **extra):
    """``actor``: the reporter reading (their account, or a code-verified anonymous reporter)."""
    response = complaint.latest_response
    workflow = type(complaint).workflow
    return {
        "complaint": complaint,
        "timeline": selectors.timeline(complaint, with_notes=True),
        "responses": list(complaint.responses.select_related("office")),
        "latest_response": response,
        "can_rate": response is not None and complaint.status in (Status.RESPONDED, Status.CLOSED),
        "deadline_label": selectors.deadline_label(complaint),
        "can_close": workflow.can(complaint, actor, "close"),
        "can_reopen": workflow.can(complaint, actor, "reopen"),
        "rating_form": extra.pop("rating_form", None) or RatingForm(initial={"rating": response.rating if response else None,
                                                                              "comment": response.rating_comment if response else ""}),
        "reopen_form": extra.pop("reopen_form", None) or ReopenForm(),
        "survey": open_survey_for_complaint(complaint) if complaint.status == Status.CLOSED else None,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, number):
    complaint = _owned_or_404(request, number)
    extra = {}
    if request.method == "POST":
        extra = _reporter_action(request, complaint, user=request.user)
        if extra is None:
            return redirect("pengaduan:detail", number=complaint.number)
    context = _detail_context(complaint, request.user, photos=list(complaint.photos.all()), **extra)
    context["opened_by"] = case_access.offices_for_resident(complaint)
    return render(request, "pengaduan/detail.html", context)


def _reporter_action(request, complaint, *, user=None, verified=False):
    """Run the posted reporter action. None on success (messages set), else forms with errors."""
    action = request.POST.get("action")
    try:
        if action == "rate":
            form = RatingForm(request.POST)
            if not form.is_valid():
                return {"rating_form": form}
            services.rate_response(complaint, form.cleaned_data["rating"], form.cleaned_data["comment"], user=user, verified=verified)
            messages.success(request, _("Terima kasih, penilaian Anda tersimpan."))
        elif action == "close":
            services.reporter_close(complaint, user=user, verified=verified)
            messages.success(request, _("Pengaduan ditutup. Terima kasih."))
        elif action == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                return {"reopen_form": form}
            services.reporter_reopen(complaint, form.cleaned_data["reason"], user=user, verified=verified)
            messages.success(request, _("Pengaduan dibuka kembali dan diteruskan ke OPD penanggung jawab."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except services.ReporterActionError as exc:
        messages.error(request, exc.message)
    complaint.refresh_from_db()
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous(request, number):
    """The anonymous reporter's page. Opens for a browser that gave the right code on /lacak/
    (the one code form; limited attempts); otherwise that form, with the number filled in."""
    complaint = selectors.find_by_number(number)
    if complaint is None or not complaint.is_anonymous:
        raise Http404
    if not access.is_unlocked(request, complaint):
        if request.method == "POST":
            messages.warning(request, _("Demi keamanan, masukkan lagi kode rahasia Anda untuk melanjutkan."))
        context = {"complaint": None, "number": complaint.number, "form": TrackForm(initial={"nomor": complaint.number}),
                   "hide_number": True}
        response = render(request, "pengaduan/anonymous.html", context)
    else:
        extra = {}
        if request.method == "POST":
            if request.POST.get("action") == "lock":
                access.lock(request, complaint)
                messages.success(request, _("Pengaduan dikunci kembali di peramban ini."))
                return access.save(request, redirect("core:track"))
            extra = _reporter_action(request, complaint, verified=True)
            if extra is None:
                return redirect("pengaduan:anonymous", number=complaint.number)
        response = render(request, "pengaduan/anonymous.html",
                          _detail_context(complaint, engine.CodeVerifiedOwner(), number=complaint.number, unlocked=True, **extra))
    response["Cache-Control"] = "no-store"
    return response


def _send_photo(photo):
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def photo(request, pk):
    """A complaint photo for its (named) reporter."""
    photo = get_object_or_404(ComplaintPhoto.objects.select_related("complaint"), pk=pk)
    if not photo.complaint.is_owned_by(request.user):
        raise Http404
    return _send_photo(photo)


@login_required
def staff_photo(request, pk):
    """A complaint photo for staff whose queue holds the complaint (others: 404)."""
    photo = get_object_or_404(ComplaintPhoto.objects.select_related("complaint"), pk=pk)
    if not request.user.has_perm("pengaduan.view_complaint") or not selectors.staff_can_see(request.user, photo.complaint):
        raise Http404
    case_access.record(request, photo.complaint, case_access.CaseAccess.Action.PHOTO)
    return _send_photo(photo)
