"""Channel backends: the HTTP gateway (against a local server), e-mail with HTML, the file channel."""

import json
import time

import pytest
from django.core import mail

from kupang_portal.notifications import backends, services
from kupang_portal.notifications.backends import HttpGatewayBackend, PermanentFailure, TransientFailure
from kupang_portal.notifications.models import Channel, Notification
from kupang_portal.notifications.services import DeliveryResult

from .gateway import FakeGateway, free_port

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"


def row(channel=Channel.SMS, address=PHONE, **kwargs):
    fields = {"channel": channel, "address": address, "event": "complaint_closed", "subject": "Pengaduan ditutup",
              "body": "Pengaduan ADU-2026-000001 ditutup.", "link": "https://layanan.kupangkota.go.id/lacak/x/",
              "case_number": "ADU-2026-000001"}
    fields.update(kwargs)
    return Notification.objects.create(**fields)


@pytest.fixture
def gateway(settings):
    with FakeGateway() as gw:
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = "rahasia-sms"
        settings.WHATSAPP_GATEWAY_URL = gw.url + "/wa"
        settings.WHATSAPP_GATEWAY_TOKEN = "rahasia-wa"
        settings.GATEWAY_TIMEOUT_SECONDS = 0.5
        settings.NOTIFICATION_BACKENDS = {
            **settings.NOTIFICATION_BACKENDS,
            "sms": "kupang_portal.notifications.backends.HttpGatewayBackend",
            "whatsapp": "kupang_portal.notifications.backends.HttpGatewayBackend",
        }
        yield gw


def test_gateway_receives_documented_json_with_bearer_and_idempotency_key(gateway):
    r = row()
    HttpGatewayBackend("sms").send(r)
    (request,) = gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer rahasia-sms"
    assert request["headers"]["Idempotency-Key"] == f"kupang-notification-{r.pk}"
    assert request["headers"]["Content-Type"] == "application/json"
    payload = request["json"]
    assert set(payload) == {"id", "idempotency_key", "channel", "to", "event", "subject", "text", "link",
                            "case_number", "created_at", "sent_at"}
    assert payload["to"] == PHONE and payload["id"] == str(r.pk) and payload["channel"] == "sms"
    assert payload["idempotency_key"] == request["headers"]["Idempotency-Key"]


def test_whatsapp_uses_its_own_url_and_token(gateway):
    HttpGatewayBackend("whatsapp").send(row(channel=Channel.WHATSAPP))
    (request,) = gateway.requests
    assert request["path"] == "/v1/messages/wa" and request["headers"]["Authorization"] == "Bearer rahasia-wa"


def test_4xx_is_permanent_with_status_and_body_excerpt(gateway):
    gateway.answers[PHONE] = [(400, '{"error": "nomor tidak terdaftar"}' + "x" * 1000)]
    with pytest.raises(PermanentFailure) as info:
        HttpGatewayBackend("sms").send(row())
    assert "400" in str(info.value) and "nomor tidak terdaftar" in str(info.value)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_5xx_and_throttling_are_transient(gateway, status):
    gateway.answers[PHONE] = [(status, "coba lagi")]
    with pytest.raises(TransientFailure, match=str(status)):
        HttpGatewayBackend("sms").send(row())


def test_hanging_gateway_times_out_as_transient(gateway):
    gateway.answers[PHONE] = ["hang"]
    started = time.monotonic()
    with pytest.raises(TransientFailure, match="timeout"):
        HttpGatewayBackend("sms").send(row())
    assert time.monotonic() - started < 3


def test_unreachable_gateway_is_transient(settings):
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/v1/messages"
    with pytest.raises(TransientFailure, match="unreachable"):
        HttpGatewayBackend("sms").send(row())


@pytest.mark.parametrize("address", ["", "0812345678", "+0812345678", "+62 812 3456", "+62812abc4567", "6281234567890"])
def test_malformed_phone_is_permanent_and_never_reaches_the_gateway(gateway, address):
    with pytest.raises(PermanentFailure, match="E.164"):
        HttpGatewayBackend("sms").send(row(address=address))
    assert gateway.requests == []


def test_deliver_through_gateway_500_then_200(gateway):
    gateway.answers[PHONE] = [(500, "internal"), (200, "ok")]
    r = row()
    assert services.deliver(r.pk)[0] == DeliveryResult.RETRY
    r.refresh_from_db()
    assert r.status == "pending" and "HTTP 500" in r.last_error
    assert services.deliver(r.pk)[0] == DeliveryResult.SENT
    keys = {req["headers"]["Idempotency-Key"] for req in gateway.requests}
    assert len(gateway.requests) == 2 and keys == {f"kupang-notification-{r.pk}"}


def test_deliver_through_gateway_400_fails_with_reason(gateway):
    gateway.answers[PHONE] = [(400, "nomor diblokir")]
    r = row()
    assert services.deliver(r.pk) == (DeliveryResult.FAILED, None)
    r.refresh_from_db()
    assert r.status == "failed" and r.attempts == 1 and "HTTP 400" in r.last_error and "nomor diblokir" in r.last_error


def test_deliver_through_hanging_gateway_retries(gateway):
    gateway.answers[PHONE] = ["hang"]
    r = row()
    assert services.deliver(r.pk)[0] == DeliveryResult.RETRY
    r.refresh_from_db()
    assert r.status == "pending" and "timeout" in r.last_error


def test_gateway_backend_refuses_other_channels():
    with pytest.raises(ValueError):
        HttpGatewayBackend("email")


def test_email_backend_sends_text_and_escaped_html():
    r = row(channel=Channel.EMAIL, address="warga@example.id", body="Alasan: <b>tidak lengkap</b>\nBaris dua")
    backends.EmailBackend("email").send(r)
    (message,) = mail.outbox
    assert message.body.startswith("Alasan: <b>") and message.to == ["warga@example.id"]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;b&gt;tidak lengkap&lt;/b&gt;<br>Baris dua" in html
    assert 'href="https://layanan.kupangkota.go.id/lacak/x/"' in html


@pytest.mark.parametrize("address", ["", "warga", "warga@", "@example.id", "warga@example"])
def test_email_backend_rejects_invalid_address(address):
    with pytest.raises(PermanentFailure):
        backends.EmailBackend("email").send(row(channel=Channel.EMAIL, address=address))
    assert mail.outbox == []


def test_file_backend_appends_one_json_line_per_message(settings):
    first, second = row(), row()
    backends.FileBackend("sms").send(first)
    backends.FileBackend("sms").send(second)
    lines = (settings.NOTIFICATION_FILE_DIR / "sms.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(first.pk), str(second.pk)]


def test_file_channel_logs_no_address(settings, tmp_path, caplog):
    settings.NOTIFICATION_FILE_DIR = tmp_path
    r = row()
    with caplog.at_level("DEBUG", logger="kupang_portal.notifications.backends"):
        backends.FileBackend("sms").send(r)
    assert str(r.pk) in caplog.text
    assert PHONE not in caplog.text and PHONE[3:] not in caplog.text
    assert json.loads((tmp_path / "sms.jsonl").read_text())["to"] == PHONE  # the development outbox itself keeps it
