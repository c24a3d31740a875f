"""Login with username, e-mail or phone number, with a lockout after repeated failures."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from kupang_portal.core import ratelimit

from .phone import looks_like_phone, normalize_phone


def _failure_key(identifier, user=None):
    """One counter per account, whichever of its identifiers (or spellings) is typed."""
    if user is not None:
        return ratelimit.cache_key("login-failures", "user", user.pk)
    return ratelimit.cache_key("login-failures", "unknown", (identifier or "").strip().lower())


def find_user(identifier):
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).first()
    if looks_like_phone(identifier):
        try:
            user = User.objects.filter(phone=normalize_phone(identifier)).first()
        except ValidationError:
            user = None
        if user:
            return user
    return User.objects.filter(username__iexact=identifier).first()


def is_locked_out(identifier):
    return ratelimit.reached(_failure_key(identifier, find_user(identifier)), settings.LOGIN_MAX_FAILURES)


class UsernameEmailPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if identifier is None or password is None:
            return None
        user = find_user(identifier)
        key = _failure_key(identifier, user)
        if ratelimit.reached(key, settings.LOGIN_MAX_FAILURES):
            # PermissionDenied stops other backends; the login form shows the lockout message.
            raise PermissionDenied("locked out")
        if user is None:
            get_user_model()().set_password(password)  # same cost as a real check (timing)
        elif user.check_password(password) and self.user_can_authenticate(user):
            ratelimit.reset(key)
            return user
        ratelimit.hit(key, settings.LOGIN_LOCKOUT_SECONDS)
        return None
