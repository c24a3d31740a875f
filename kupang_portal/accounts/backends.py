"""Login with username, e-mail or phone number, with throttling that an attacker cannot turn
against the account's owner.

Three fixed-window counters (``core.ratelimit``), each over ``LOGIN_LOCKOUT_SECONDS``:

- per (account, IP): ``LOGIN_MAX_FAILURES`` failures lock that account *from that address*;
- per IP: ``LOGIN_MAX_FAILURES_PER_IP`` failures on any accounts lock the address (password spraying);
- per account: ``LOGIN_MAX_FAILURES_PER_ACCOUNT`` failures from anywhere lock the account for every
  address *except those it logged in from successfully* in the last ``LOGIN_KNOWN_IP_SECONDS``
  (a distributed attack never locks the owner out of their usual place).

When a staff account collects ``LOGIN_STAFF_ALERT_FAILURES`` failures in a window, the admins are
told through the notification outbox (once per window).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from kupang_portal.core import ratelimit

from .phone import looks_like_phone, normalize_phone


def _account(identifier, user=None):
    """One name per account, whichever of its identifiers (or spellings) is typed."""
    if user is not None:
        return f"user:{user.pk}"
    return f"unknown:{(identifier or '').strip().lower()}"


def _pair_key(account, ip):
    return ratelimit.cache_key("login-failures", "pair", account, ip)


def _ip_key(ip):
    return ratelimit.cache_key("login-failures", "ip", ip)


def _account_key(account):
    return ratelimit.cache_key("login-failures", "account", account)


def _known_ip_key(user, ip):
    return ratelimit.cache_key("login-known-ip", user.pk, ip)


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


def is_known_ip(user, ip):
    return user is not None and bool(ratelimit.count(_known_ip_key(user, ip)))


def _locked(account, user, ip):
    if ratelimit.reached(_pair_key(account, ip), settings.LOGIN_MAX_FAILURES):
        return True
    if ratelimit.reached(_ip_key(ip), settings.LOGIN_MAX_FAILURES_PER_IP):
        return True
    return ratelimit.reached(_account_key(account), settings.LOGIN_MAX_FAILURES_PER_ACCOUNT) and not is_known_ip(user, ip)


def is_locked_out(identifier, ip):
    user = find_user(identifier)
    return _locked(_account(identifier, user), user, ip)


def request_ip(request):
    return ratelimit.client_ip(request) if request is not None else "unknown"


def _record_failure(account, user, ip):
    window = settings.LOGIN_LOCKOUT_SECONDS
    first_from_here = ratelimit.hit(_pair_key(account, ip), window) == 1
    ratelimit.hit(_ip_key(ip), window)
    failures = ratelimit.hit(_account_key(account), window)
    addresses_key = ratelimit.cache_key("login-failures", "addresses", account)
    addresses = ratelimit.hit(addresses_key, window) if first_from_here else max(1, ratelimit.count(addresses_key))
    if user is not None and user.is_staff and failures == settings.LOGIN_STAFF_ALERT_FAILURES:
        _alert_admins(user, failures, addresses, ip)


def _alert_admins(user, failures, addresses, ip):
    from kupang_portal.notifications.services import notify

    from .roles import admin_users

    admins = admin_users()
    window = settings.LOGIN_LOCKOUT_SECONDS
    notify(
        "staff_login_under_attack", list(admins),
        {"username": user.username, "failures": failures, "minutes": max(1, window // 60), "addresses": addresses, "ip": ip},
        link=f"/admin/accounts/user/{user.pk}/change/",
        # Once per account and window, even when two web processes cross the threshold.
        dedupe_key=f"login-attack:{user.pk}:{int(time.time() // window)}",
    )


class UsernameEmailPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if identifier is None or password is None:
            return None
        user = find_user(identifier)
        account, ip = _account(identifier, user), request_ip(request)
        if _locked(account, user, ip):
            # PermissionDenied stops other backends; the login form shows the lockout message.
            raise PermissionDenied("locked out")
        if user is None:
            get_user_model()().set_password(password)  # same cost as a real check (timing)
        elif user.check_password(password) and self.user_can_authenticate(user):
            ratelimit.reset(_pair_key(account, ip))
            return user
        _record_failure(account, user, ip)
        return None


@receiver(user_logged_in)
def remember_login_address(sender, request, user, **kwargs):
    """The owner's usual addresses stay open while someone elsewhere attacks the account."""
    if request is not None:
        ratelimit.remember(_known_ip_key(user, request_ip(request)), settings.LOGIN_KNOWN_IP_SECONDS)
