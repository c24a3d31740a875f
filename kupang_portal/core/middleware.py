class IndonesianByDefaultMiddleware:
    """The portal speaks Bahasa Indonesia unless the user chose English (cookie or profile):
    a phone set to English must not switch a resident's portal on its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
