"""Cached public fragments of the catalogue (list, service standard, popular services).

The catalogue changes a few times a year, yet the public pages would read it on every request.
Templates wrap those parts in ``{% cache ... catalogue_version %}``; the version is a value kept
in the cache and replaced after every committed change to a service, requirement, processing
step or office (their names are shown), so an admin's edit shows on the next request on every
web node. The version is a stamp of ``core.cache.read_stamps`` (shared with the dashboards and
the public page cache): an evicted version key starts a new one, a Redis outage gives a new
version on each request (every fragment is rendered afresh) and, once Redis is back, the cache's
new generation retires every fragment stored before the outage (an edit made meanwhile could not
replace the version in Redis), so a stale fragment can never come back.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from kupang_portal.core import cache

VERSION_KEY = "layanan:catalogue:version"
TIMEOUT = 24 * 3600


def catalogue_version():
    return cache.read_stamps([VERSION_KEY])[VERSION_KEY]


def bump_catalogue_version():
    from kupang_portal.core import pagecache

    # The same version stamps the whole cached public pages; this also drops this process's copies.
    pagecache.bump(VERSION_KEY)


def _changed(sender, **kwargs):
    # After commit: a page rendered before the commit cannot store the old content under the new version.
    transaction.on_commit(bump_catalogue_version)


def connect():
    from kupang_portal.organization.models import Office

    from .models import Requirement, Service, ServiceStep

    for model in (Service, Requirement, ServiceStep, Office):
        post_save.connect(_changed, sender=model, dispatch_uid=f"layanan-fragments-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"layanan-fragments-delete-{model.__name__}")
