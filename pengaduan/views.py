"""Reporter pages. Thin: validation in forms, writes in services, reads in selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kupang_portal.core import ratelimit
from kupang_portal.workflow import engine
from layanan.skm.selectors import open_survey_for_complaint

from . import selectors, services
from .forms import ComplaintForm, Privacy, RatingForm, ReopenForm, TrackingCodeForm
from .models import ComplaintPhoto, Status

client_ip = ratelimit.client_ip


@never_cache
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user if request.user.is_authenticated else None
    posted = request.method == "POST"
    form = ComplaintForm(request.POST if posted else None, request.FILES if posted else None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.submit_complaint(
                category=data["category"], title=data["title"], description=data["description"], kind=data["kind"],
                reporter=user, anonymous=data["privacy"] in Privacy.ANONYMOUS_VALUES,
                confidential=data["privacy"] in Privacy.CONFIDENTIAL_VALUES, kelurahan=data["kelurahan"],
                address=data["address"], latitude=data["latitude"], longitude=data["longitude"],
                incident_date=data["incident_date"], late_reason=data["late_reason"], photos=data["photos"], ip=client_ip(request),
            )
        except services.FloodLimited as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error("photos", exc)
        else:
            if result.code:
                # Shown once, in this response only (no redirect: the code is never stored in clear).
                response = render(request, "pengaduan/submitted.html", {"complaint": result.complaint, "code": result.code})
                response["Cache-Control"] = "no-store"
                return response
            messages.success(request, _("Pengaduan %(number)s terkirim. Kami akan memberi kabar setiap ada perkembangan.")
                             % {"number": result.complaint.number})
            return redirect("pengaduan:detail", number=result.complaint.number)
    elif request.method == "POST":
        messages.error(request, _("Pengaduan belum terkirim: periksa kembali isian yang ditandai."))
    return render(request, "pengaduan/new.html", {"form": form})


@login_required
def mine(request):
    return render(request, "pengaduan/mine.html", {"complaints": selectors.my_complaints(request.user)})


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
    return render(request, "pengaduan/detail.html", context)


def _reporter_action(request, complaint, *, user=None, code=""):
    """Run the posted reporter action. None on success (messages set), else forms with errors."""
    action = request.POST.get("action")
    try:
        if action == "rate":
            form = RatingForm(request.POST)
            if not form.is_valid():
                return {"rating_form": form}
            services.rate_response(complaint, form.cleaned_data["rating"], form.cleaned_data["comment"], user=user, code=code)
            messages.success(request, _("Terima kasih, penilaian Anda tersimpan."))
        elif action == "close":
            services.reporter_close(complaint, user=user, code=code)
            messages.success(request, _("Pengaduan ditutup. Terima kasih."))
        elif action == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                return {"reopen_form": form}
            services.reporter_reopen(complaint, form.cleaned_data["reason"], user=user, code=code)
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
    """The anonymous reporter's page: everything needs the secret code, posted each time."""
    complaint = selectors.find_by_number(number)
    if complaint is None or not complaint.is_anonymous:
        raise Http404
    ip = client_ip(request)
    code_form = TrackingCodeForm(request.POST or None)
    context = {"complaint": None, "number": complaint.number, "code_form": code_form}
    if request.method == "POST" and code_form.is_valid():
        code = services.normalize_code(code_form.cleaned_data["code"])
        if services.code_attempts_exceeded(ip, complaint.number):
            code_form.add_error("code", _("Terlalu banyak percobaan kode yang salah. Coba lagi 15 menit lagi."))
        elif not complaint.check_tracking_code(code):
            services.record_failed_code(ip, complaint.number)
            code_form.add_error("code", _("Kode rahasia tidak cocok dengan nomor pengaduan ini."))
        else:
            extra = {}
            if request.POST.get("action"):
                extra = _reporter_action(request, complaint, code=code) or extra
            context = _detail_context(complaint, engine.CodeVerifiedOwner(), number=complaint.number, code=code,
                                      code_form=code_form, **extra)
    response = render(request, "pengaduan/anonymous.html", context)
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
    return _send_photo(photo)
