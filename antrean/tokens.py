"""The signed token printed as the ticket's QR code: the booking id and code, nothing personal.

Signed with the SECRET_KEY under its own salt, so it cannot be forged, and it names exactly one
booking (id and code must both match), so it cannot be used for another.
"""

from django.core import signing

SALT = "antrean.ticket.v1"


def make(booking):
    return signing.Signer(salt=SALT).sign(f"{booking.pk}.{booking.code}")


def read(token):
    """(pk, code) from a valid token (or a URL ending in one), else None."""
    token = (token or "").strip()
    if "t=" in token:
        token = token.rsplit("t=", 1)[1].split("&", 1)[0]
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk, _sep, code = value.partition(".")
    if not pk.isdigit() or not code:
        return None
    return int(pk), code
