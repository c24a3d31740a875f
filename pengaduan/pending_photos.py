"""Photos of a complaint form that failed validation: kept (already checked and stripped of
EXIF) under the form's one-time token until the form is sent, like an application draft keeps its
uploads. The list lives in the visitor's session, the files in private storage; nobody else can
reach them, and they are deleted once the complaint is filed.

A form that is never sent leaves its photos behind: ``purge_abandoned`` (the beat task
``pengaduan.tasks.periodic_purge_pending_photos``, nightly) deletes every kept photo older than
``PENGADUAN_PENDING_PHOTO_MAX_AGE_HOURS`` (24 hours by default), through the storage API only, so
it works the same on the file system and on an S3-compatible store. A visitor who comes back to a
form after that finds the photo gone (``drop_missing``) and is asked to choose it again."""

import contextlib
import logging
import os

from django.core.files.base import ContentFile
from django.utils import timezone

from kupang_portal.core import uploads

from . import app_settings

SESSION_KEY = "pengaduan_pending_photos"
ROOT = "pengaduan/tunda"
log = logging.getLogger(__name__)


def _all(request):
    return request.session.get(SESSION_KEY, {})


def listed(request, token):
    """[{"id", "name", "path", "content_type", "size"}] kept for this form."""
    return list(_all(request).get(str(token), [])) if token else []


def keep(request, token, checked_files):
    """Store checked photos for ``token`` (re-encoded without metadata); returns the new list."""
    if not token:
        return []
    storage = uploads.private_storage()
    entries = listed(request, token)
    for checked in checked_files:
        clean = uploads.strip_image_metadata(checked.file, checked.content_type)
        path = storage.save(f"{ROOT}/{token}/{clean.name}", ContentFile(clean.read(), name=clean.name))
        entries.append({"id": len(entries) + 1 + max((e["id"] for e in entries), default=0), "name": checked.original_name[:120],
                        "path": path, "content_type": checked.content_type, "size": clean.size})
    data = _all(request)
    data[str(token)] = entries
    request.session[SESSION_KEY] = data
    return entries


def remove(request, token, ids):
    """Drop the photos the visitor un-ticked."""
    ids = {str(i) for i in ids}
    entries = listed(request, token)
    storage = uploads.private_storage()
    kept = []
    for entry in entries:
        if str(entry["id"]) in ids:
            storage.delete(entry["path"])
        else:
            kept.append(entry)
    data = _all(request)
    data[str(token)] = kept
    request.session[SESSION_KEY] = data
    return kept


def as_checked(entries):
    """The kept photos as ``uploads.CheckedFile`` for ``services.submit_complaint``."""
    storage = uploads.private_storage()
    files = []
    for entry in entries:
        handle = storage.open(entry["path"], "rb")
        handle.name = entry["name"]
        files.append(uploads.CheckedFile(file=handle, content_type=entry["content_type"], size=entry["size"], original_name=entry["name"]))
    return files


def discard(request, token):
    storage = uploads.private_storage()
    for entry in listed(request, token):
        storage.delete(entry["path"])
    data = _all(request)
    if data.pop(str(token), None) is not None:
        request.session[SESSION_KEY] = data


def drop_missing(request, token):
    """The kept photos whose file still exists, and how many were dropped (purged meanwhile)."""
    entries = listed(request, token)
    storage = uploads.private_storage()
    present = [entry for entry in entries if storage.exists(entry["path"])]
    if len(present) != len(entries):
        data = _all(request)
        data[str(token)] = present
        request.session[SESSION_KEY] = data
    return present, len(entries) - len(present)


def purge_abandoned(max_age=None, now=None):
    """Delete kept photos older than ``max_age`` (default ``app_settings.pending_photo_max_age()``).

    Reads only ``listdir``, ``get_modified_time`` and ``delete`` of the private storage. Folders
    left empty are removed where the storage has local paths (an object store has no folders).
    Returns the number of files deleted.
    """
    storage = uploads.private_storage()
    cutoff = (now or timezone.now()) - (max_age or app_settings.pending_photo_max_age())
    try:
        tokens, _files = storage.listdir(ROOT)
    except FileNotFoundError:
        return 0
    deleted = 0
    for token in tokens:
        folder = f"{ROOT}/{token}"
        _dirs, names = storage.listdir(folder)
        old = [f"{folder}/{name}" for name in names if storage.get_modified_time(f"{folder}/{name}") < cutoff]
        for path in old:
            storage.delete(path)
        deleted += len(old)
        if len(old) == len(names):
            _remove_empty_folder(storage, folder)
    if deleted:
        log.info("pending complaint photos: %d older than %s deleted", deleted, cutoff.isoformat())
    return deleted


def _remove_empty_folder(storage, folder):
    # An object store (S3) has no local path: its storage raises NotImplementedError from path(),
    # and there is no folder to remove. OSError: a photo arrived in the folder meanwhile.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(storage.path(folder))
