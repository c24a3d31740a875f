"""A backend for the real-worker tests only (selected through NOTIFY_<CHANNEL>_BACKEND in the
worker's environment; the worker imports it from the project root)."""

import json
import os
import time
from pathlib import Path

from django.conf import settings

from kupang_portal.notifications.backends import FileBackend, check_address, idempotency_key, message_payload


def _append(path, line):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


class SlowFileBackend(FileBackend):
    """A FileBackend that takes NOTIFY_SLOW_SECONDS (default 0.4) per message, like a slow gateway.

    Every call is logged to ``<channel>.calls.jsonl``; the message goes to ``<channel>.jsonl``
    only the first time its Idempotency-Key is seen, as a gateway honouring the key would do. A
    worker killed between the hand-over and the commit of the row therefore shows up as an extra
    call, never as a duplicate message.
    """

    def send(self, notification):
        check_address(self.channel, notification.address)
        time.sleep(float(os.environ.get("NOTIFY_SLOW_SECONDS", "0.4")))
        directory = Path(settings.NOTIFICATION_FILE_DIR)
        (directory / "keys").mkdir(parents=True, exist_ok=True)
        payload = message_payload(notification)
        line = json.dumps(payload, ensure_ascii=False) + "\n"
        _append(directory / f"{self.channel}.calls.jsonl", line)
        try:
            os.close(os.open(directory / "keys" / idempotency_key(notification), os.O_WRONLY | os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        _append(directory / f"{self.channel}.jsonl", line)
