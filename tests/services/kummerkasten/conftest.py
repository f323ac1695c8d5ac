import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from services.kummerkasten.models import KummerkastenTopic
from tests.factories import make_holder

CODE_PATTERN = re.compile(r"[2-9A-Z]{4}(?:-[2-9A-Z]{4}){4}")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topic(unit):
    """A topic answered by the handlers of the Ordnungsamt."""
    return KummerkastenTopic.objects.create(name="Arbeitsplatz", name_english="Workplace", unit=unit)


@pytest.fixture
def city_topic(unit):
    """A topic without a unit: the handlers of the city's root unit answer it."""
    return KummerkastenTopic.objects.create(name="Sonstiges")


@pytest.fixture
def handler(unit):
    return make_holder(unit, "handle_kummerkasten", email="kummer.team@musterstadt.example")


def receipt_code(response) -> str:
    return CODE_PATTERN.search(response.content.decode()).group(0)


def write(client, topic, text="Die Heizung im Raum 3.12 ist seit Wochen kaputt.", **extra):
    page = client.get("/kummerkasten/")
    once = re.search(r'name="once" value="([^"]+)"', page.content.decode()).group(1)
    return client.post("/kummerkasten/", {"action": "write", "once": once, "topic": topic.pk, "text": text, **extra})


@pytest.fixture
def next_day():
    """The day after: the daily batch has released what was written today."""
    def travel():
        return time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=True)
    return travel
