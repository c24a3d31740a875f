"""Login, logout, signup, profile and the password pages of the portal."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kupang_portal.core import ratelimit

from .forms import (
    LoginForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    ProfileForm,
    SignupForm,
)
from .models import User
from .roles import GROUP_NAMES, Role


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Selamat datang, %(name)s.") % {"name": form.get_user().display_name})
        return response


class LogoutView(auth_views.LogoutView):
    # Django's LogoutView accepts POST only; the navigation bar posts a small form.
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda telah keluar."))
        return response


# A sign-up refused for these says that the e-mail, phone number or NIK has an account.
TAKEN_CODES = {"duplicate_email", "duplicate_phone", "duplicate_nik"}


def _taken_key(request):
    """Sign-up counts per network; the profile (a way to ask the same of every number) per account."""
    if request.user.is_authenticated:
        return ratelimit.cache_key("profile-taken", request.user.pk)
    return ratelimit.cache_key("signup-taken", ratelimit.client_ip(request))


def _count_taken(request, form):
    errors = form.errors.as_data()
    if any(error.code in TAKEN_CODES for field in ("email", "phone", "nik") for error in errors.get(field, [])):
        ratelimit.hit(_taken_key(request), 3600)


def _signup_limited(request):
    """Past SIGNUP_MAX_TAKEN_PER_IP refusals for a taken e-mail, phone number or NIK in the hour,
    a network gets the form back unchecked: it is no oracle of who has an account."""
    if not ratelimit.reached(_taken_key(request), settings.SIGNUP_MAX_TAKEN_PER_IP):
        return None
    kept = {name: request.POST.get(name, "") for name in ("username", "first_name", "last_name", "email", "phone")}
    limited = _("Terlalu banyak pendaftaran dari jaringan ini memakai surel, nomor HP, atau NIK yang sudah "
                "terdaftar. Coba lagi dalam satu jam, atau masuk dengan akun yang sudah ada.")
    return render(request, "accounts/signup.html", {"form": SignupForm(initial=kept), "limited": limited}, status=429)


def _profile_limited(request, user):
    if not ratelimit.reached(_taken_key(request), settings.SIGNUP_MAX_TAKEN_PER_IP):
        return None
    limited = _("Terlalu banyak perubahan yang ditolak karena surel, nomor HP, atau NIK sudah dipakai akun lain. "
                "Coba lagi dalam satu jam.")
    return render(request, "accounts/profile.html", {"form": ProfileForm(instance=user), "masked_nik": request.user.masked_nik,
                                                     "limited": limited}, status=429)


@sensitive_post_parameters("password1", "password2", "nik")
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method == "POST" and (limited := _signup_limited(request)) is not None:
        return limited
    form = SignupForm(request.POST or None)
    if request.method == "POST" and not form.is_valid():
        _count_taken(request, form)
    elif request.method == "POST":
        try:
            with transaction.atomic():
                user = form.save()
                user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.RESIDENT]))
        except IntegrityError:
            # Two sign-ups with the same data at the same moment: the constraint caught the second.
            form.add_error(None, _("Data ini baru saja didaftarkan oleh akun lain. Periksa nama pengguna, surel, nomor HP, dan NIK."))
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Pendaftaran berhasil. Selamat datang, %(name)s!") % {"name": user.display_name})
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})


@sensitive_post_parameters("nik")
@login_required
def profile(request):
    # A copy of the user: a refused form must not leave its values on request.user (the navigation
    # bar shows the name, the page shows the masked NIK).
    user = User.objects.get(pk=request.user.pk)
    if request.method == "POST" and (limited := _profile_limited(request, user)) is not None:
        return limited
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and not form.is_valid():
        _count_taken(request, form)
    elif request.method == "POST":
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            form.add_error(None, _("Surel, nomor HP, atau NIK ini baru saja dipakai akun lain."))
        else:
            language = user.preferred_language
            translation.activate(language)
            messages.success(request, _("Profil Anda sudah disimpan."))
            response = redirect("accounts:profile")
            # The language cookie (set by the footer switcher) would otherwise win over the profile.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return render(request, "accounts/profile.html", {"form": form, "masked_nik": request.user.masked_nik})


class PasswordResetView(auth_views.PasswordResetView):
    # Template names live under accounts/: django.contrib.admin comes first in INSTALLED_APPS and
    # ships its own registration/password_reset_*.html, which would shadow ours.
    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_email.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": "Layanan Publik Kota Kupang"}

    def form_valid(self, form):
        """At most PASSWORD_RESET_MAX_PER_ADDRESS e-mails per address and hour and
        PASSWORD_RESET_MAX_PER_IP requests per network and hour. Over the address limit nothing is
        sent but the answer is the usual "sent" page, whether or not an account exists; over the
        network limit the form says so, whatever the address."""
        ip = ratelimit.client_ip(self.request)
        ip_key = ratelimit.cache_key("password-reset", "ip", ip)
        if ratelimit.reached(ip_key, settings.PASSWORD_RESET_MAX_PER_IP):
            form.add_error(None, _("Terlalu banyak permintaan atur ulang kata sandi dari jaringan ini. Coba lagi dalam satu jam."))
            return self.form_invalid(form)
        ratelimit.hit(ip_key, 3600)
        address_key = ratelimit.cache_key("password-reset", "address", form.cleaned_data["email"].strip().lower())
        if ratelimit.hit(address_key, 3600) > settings.PASSWORD_RESET_MAX_PER_ADDRESS:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return response
