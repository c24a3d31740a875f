import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kupang_portal.settings")
application = get_wsgi_application()

# Refuse to start (clear message) instead of answering every page with 500.
from kupang_portal.core.startup import require_collected_static  # noqa: E402

require_collected_static()
