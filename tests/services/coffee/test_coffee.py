"""The coffee kitchen: opt-in presence for 10–30 minutes that ends by itself and leaves nothing behind."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from services.coffee import selectors
from services.coffee.models import CoffeeKitchenSettings, CoffeePresence
from services.coffee.services import coffee_presence_end, coffee_presence_purge_expired, coffee_presence_start


def test_presence_ends_by_itself_and_is_then_deleted(applicant, colleague):
    coffee_presence_start(user=applicant, minutes=10)
    coffee_presence_start(user=colleague, minutes=30)
    assert selectors.present().count() == 2

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=False):
        assert [presence.user for presence in selectors.people_in_kitchen()] == [colleague]
        assert coffee_presence_purge_expired() == 1
    assert not CoffeePresence.objects.filter(user=applicant).exists()  # no trace of Anna's coffee

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31), tick=False):
        assert selectors.present().count() == 0


def test_presence_keeps_no_history(applicant):
    coffee_presence_start(user=applicant, minutes=10)
    coffee_presence_start(user=applicant, minutes=20)
    assert CoffeePresence.objects.count() == 1
    assert {field.name for field in CoffeePresence._meta.get_fields()} == {"id", "user", "until"}
    assert coffee_presence_end(user=applicant)
    assert not CoffeePresence.objects.exists()


@pytest.mark.parametrize("minutes", [0, 9, 31, 600])
def test_only_ten_to_thirty_minutes(applicant, minutes):
    with pytest.raises(ValidationError):
        coffee_presence_start(user=applicant, minutes=minutes)
    assert not CoffeePresence.objects.exists()


def test_the_video_room_must_be_https(db):
    with pytest.raises(ValidationError):
        CoffeeKitchenSettings(video_room_url="http://jitsi.musterstadt.example/kaffee").full_clean()
    CoffeeKitchenSettings(video_room_url="https://jitsi.musterstadt.example/kaffee").full_clean()


def test_the_kitchen_page_and_the_dashboard(applicant, colleague, client_for, site):
    CoffeeKitchenSettings.objects.create(video_room_url="https://jitsi.musterstadt.example/kaffee")
    anna = client_for(applicant, mfa=False)
    assert "Anna" not in anna.get("/coffee/").content.decode()  # nobody appears without saying so

    assert anna.post("/coffee/join/", {"minutes": "15"}).status_code == 302
    page = client_for(colleague, mfa=False).get("/coffee/").content.decode()
    assert "Anna Schmidt" in page and 'href="https://jitsi.musterstadt.example/kaffee"' in page
    assert client_for(colleague, mfa=False).get("/").context["coffee_count"] == 1
    assert anna.post("/coffee/join/", {"minutes": "45"}).status_code == 400
