class IndonesianByDefaultMiddleware:
    """The portal speaks Bahasa Indonesia unless the user chose English (cookie or profile):
    a phone set to English must not switch a resident's portal on its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


def handles_bad_input(view):
    """Mark a view that answers NUL-bearing requests itself (an API with its own error format):
    ``NulByteMiddleware`` then only sets ``request.has_nul_input`` and lets the view run."""
    view.handles_bad_input = True
    return view


class NulByteMiddleware:
    """A NUL byte in the path, the query string or a form field is never valid input (PostgreSQL
    refuses it in any statement: a 500 wherever it reaches a query). Answer 400 with the usual page
    before any view runs; views marked with ``handles_bad_input`` answer in their own format.

    Placed before the session middleware: a cookie carrying a NUL is dropped (treated as absent),
    so the session and CSRF lookups never see it. The page itself is rendered from ``process_view``,
    after session, language and user are set up, so it looks like every other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name or "\x00" in value]:
            del request.COOKIES[name]
        request.has_nul_input = request_has_nul(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.has_nul_input or getattr(view_func, "handles_bad_input", False):
            return None
        from django.shortcuts import render

        return render(request, "core/bad_request.html", status=400)


def _any_nul(pairs):
    return any("\x00" in key or any("\x00" in v for v in values if isinstance(v, str)) for key, values in pairs)


def request_has_nul(request):
    if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", "") or _any_nul(request.GET.lists()):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
    from django.http.multipartparser import MultiPartParserError

    try:
        post = request.POST  # uploaded file names: Django drops non-printable characters itself
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        return False  # the view meets the same error and answers it
    return _any_nul(post.lists())
