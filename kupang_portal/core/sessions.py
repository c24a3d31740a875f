"""Sessions in the database, read through the shared cache (``SESSION_ENGINE`` when Redis is
configured): a signed-in request reads its session with one Redis GET instead of a query.

Django's ``cached_db`` with the portal's outage rules (``core.cache``):

- the database stays the record: every save and delete goes there first, then to the cache;
- a read the cache cannot answer (a miss, Redis failing, or this process down since its last
  failed call) goes to the database; never to the in-process fallback, where another process
  could not remove a session that ended meanwhile;
- a cache write or delete that fails is kept for later like every other (``core.cache.call``):
  the key is deleted in Redis first when this process reaches it again, so a session ended
  during an outage (a logout) does not come back from a copy Redis kept;
- ``exists`` (a new session key must not be taken) asks the database only.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

from . import cache

KEY_PREFIX = "session:"


class SessionStore(CachedDBStore):
    cache_key_prefix = KEY_PREFIX

    def load(self):
        data = self._cached()
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            if not cache.is_down():  # during an outage each request would wait on Redis again
                cache.call("set", self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def _cached(self):
        if cache.is_down():
            return None
        try:
            return self._cache.get(self.cache_key)
        except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError, OSError …
            cache._warn(exc)
            return None

    def exists(self, session_key):
        return DBStore.exists(self, session_key)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        cache.call("set", self.cache_key, self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is not None:
            cache.delete(self.cache_key_prefix + session_key)
