"""The unread count in every page's navigation is cached per user and never staler than the rows:
a new in-app row (one or several at once), reading them, an admin edit or a deletion shows on
the next page."""

import re

import pytest

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications import services, unread
from kupang_portal.notifications.models import Channel, Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _badge(client, path="/akun/notifikasi/"):
    page = client.get(path).content.decode()
    match = re.search(r'data-testid="unread-count">(\d+)<', page)
    return int(match.group(1)) if match else 0


def test_new_rows_and_reading_them_show_on_the_next_page(client, committed):
    person = factories.resident()
    client.force_login(person)
    assert _badge(client) == 0
    with committed():
        services.notify("complaint_closed", [person], {}, case_number="ADU-2026-000010")
    assert _badge(client) == 1
    with committed():
        client.post("/akun/notifikasi/baca/")
    assert _badge(client) == 0


def test_rows_written_together_for_several_people_count_for_each(client, committed):
    one, two = factories.resident(), factories.resident()
    for person in (one, two):
        client.force_login(person)
        assert _badge(client) == 0
    with committed():
        rows = services.notify("complaint_closed", [one, two], {}, case_number="ADU-2026-000011")
    assert sum(r.channel == Channel.INAPP for r in rows) == 2
    for person in (one, two):
        client.force_login(person)
        assert _badge(client) == 1


def test_an_edit_or_a_deletion_shows_too(client, committed):
    person = factories.resident()
    with committed():
        services.notify("complaint_closed", [person], {}, case_number="ADU-2026-000012")
    client.force_login(person)
    assert _badge(client) == 1
    row = Notification.objects.get(recipient=person, channel=Channel.INAPP)
    with committed():
        row.delete()
    assert _badge(client) == 0


def test_the_count_is_cached_until_a_change_commits(django_assert_num_queries):
    person = factories.resident()
    services.notify("complaint_closed", [person], {}, case_number="ADU-2026-000013")
    assert unread.count(person) == 1
    with django_assert_num_queries(0):
        assert unread.count(person) == 1
    services.mark_read(person)  # this test's transaction never commits: the stamp stays
    assert Notification.objects.unread_count(person) == 0
    assert unread.count(person) == 1  # still the cached count: it is replaced at the commit, not before


def test_the_dashboard_reads_the_count_stamp_with_its_own(client, committed):
    boss = factories.staff(Role.SUPERVISOR)
    client.force_login(boss)
    assert _badge(client, "/dasbor/") == 0
    with committed():
        services.notify("complaint_closed", [boss], {}, case_number="ADU-2026-000014")
    assert _badge(client, "/dasbor/") == 1
