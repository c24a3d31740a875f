"""The one upload validator: files are judged by their content, never by their name.

PDF, JPEG and PNG are recognised by magic bytes; images must also decode with Pillow. Photos are
re-encoded without metadata, which strips EXIF (GPS location included).
"""

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ALLOWED_DOCUMENT_TYPES = (PDF, JPEG, PNG)
ALLOWED_PHOTO_TYPES = (JPEG, PNG)
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


def human_size(value):
    """A file size for residents: Django's Indonesian "bita" is not what people say; "byte" is."""
    return filesizeformat(value).replace("bita", "byte")


@dataclass
class CheckedFile:
    file: object
    content_type: str
    size: int
    original_name: str


def sniff(uploaded):
    """The MIME type by content (or None), leaving the file positioned at the start."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(uploaded, allowed=ALLOWED_DOCUMENT_TYPES, max_bytes=None):
    """Validate one uploaded file; raise ValidationError with a message for the resident."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_FILE_BYTES
    name = getattr(uploaded, "name", "berkas")
    if uploaded.size == 0:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": name}, code="empty")
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s berukuran %(size)s; batasnya %(max)s per berkas.")
            % {"name": name, "size": human_size(uploaded.size), "max": human_size(max_bytes)},
            code="too_large",
        )
    mime = sniff(uploaded)
    if mime not in allowed:
        # Photos only (a complaint's): no "scan of the document", which only fits requirements.
        message = (_("Isi berkas %(name)s bukan %(types)s. Unggah hasil pindaian atau foto dokumen dalam format yang diizinkan.")
                   if PDF in allowed else _("Isi berkas %(name)s bukan %(types)s. Unggah foto dalam format yang diizinkan."))
        raise ValidationError(message % {"name": name, "types": "/".join(TYPE_LABELS[t] for t in allowed)}, code="bad_type")
    if mime in (JPEG, PNG):
        try:
            with Image.open(uploaded) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
            raise ValidationError(_("Gambar %(name)s rusak atau tidak dapat dibaca.") % {"name": name},
                                  code="bad_image") from None
        finally:
            uploaded.seek(0)
    return CheckedFile(file=uploaded, content_type=mime, size=uploaded.size, original_name=name[:200])


def check_total(sizes, max_total=None):
    max_total = max_total or settings.UPLOAD_MAX_TOTAL_BYTES
    total = sum(sizes)
    if total > max_total:
        raise ValidationError(
            _("Total ukuran berkas %(size)s melebihi batas %(max)s per pengajuan.")
            % {"size": human_size(total), "max": human_size(max_total)},
            code="total_too_large",
        )


def strip_image_metadata(uploaded, content_type):
    """Re-encode a JPEG/PNG without EXIF or other metadata; returns a new in-memory file."""
    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image = ImageOps.exif_transpose(image)  # keep the photo upright once orientation is gone
        clean = image.copy()
        clean.info = {}
        out = io.BytesIO()
        if content_type == JPEG:
            if clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            clean.save(out, format="JPEG", quality=85, optimize=True)
        else:
            clean.save(out, format="PNG", optimize=True)
    size = out.tell()
    out.seek(0)
    base = (getattr(uploaded, "name", "foto") or "foto").rsplit(".", 1)[0][:80]
    return InMemoryUploadedFile(out, None, f"{base}.{EXTENSIONS[content_type]}", content_type, size, None)


class PrivateStorage(Storage):
    """Delegates to ``storages["private"]`` at call time.

    A FileField evaluates a storage callable once, at import; this proxy keeps following the
    configured private storage (tests and deployments may swap it) and never has a public URL.
    """

    def _target(self):
        return storages["private"]

    def __getattr__(self, name):
        return getattr(self._target(), name)

    def open(self, name, mode="rb"):
        return self._target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self._target().save(name, content, max_length=max_length)

    def delete(self, name):
        return self._target().delete(name)

    def exists(self, name):
        return self._target().exists(name)

    def size(self, name):
        return self._target().size(name)

    def path(self, name):
        return self._target().path(name)

    def listdir(self, path):
        return self._target().listdir(path)

    def get_modified_time(self, name):
        return self._target().get_modified_time(name)

    def generate_filename(self, filename):
        return self._target().generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self._target().get_available_name(name, max_length=max_length)

    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a permission-checked view")


_PRIVATE = PrivateStorage()


def private_storage():
    return _PRIVATE
