"""Photos of a complaint form that failed validation: kept (already checked and stripped of
EXIF) under the form's one-time token until the form is sent, like an application draft keeps its
uploads. The list lives in the visitor's session, the files in private storage; nobody else can
reach them, and they are deleted once the complaint is filed."""

from django.core.files.base import ContentFile

from kupang_portal.core import uploads

SESSION_KEY = "pengaduan_pending_photos"


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
        path = storage.save(f"pengaduan/tunda/{token}/{clean.name}", ContentFile(clean.read(), name=clean.name))
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
