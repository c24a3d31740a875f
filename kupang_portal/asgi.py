import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kupang_portal.settings")
application = get_asgi_application()

# Refuse to start (clear message) instead of answering every page with 500.
from kupang_portal.core.startup import require_collected_static  # noqa: E402

require_collected_static()
