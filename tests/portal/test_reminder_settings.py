"""The reminder and notice settings refuse malformed values, naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import env_days_per_kind, env_month_days


def test_working_days_per_kind_are_read(monkeypatch):
    monkeypatch.setenv("REMINDER_AFTER_WORKING_DAYS", "default=4, leave=2,vpn_access=7")
    assert env_days_per_kind("REMINDER_AFTER_WORKING_DAYS", {"default": 5}) == {"default": 4, "leave": 2, "vpn_access": 7}


@pytest.mark.parametrize("value", ["leave=3", "default=0", "default=five", "default", "=3,default=2"])
def test_malformed_working_days_are_refused(monkeypatch, value):
    monkeypatch.setenv("REMINDER_AFTER_WORKING_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="REMINDER_AFTER_WORKING_DAYS"):
        env_days_per_kind("REMINDER_AFTER_WORKING_DAYS", {"default": 5})


def test_notice_days_are_read_and_sorted(monkeypatch):
    monkeypatch.setenv("LEAVE_EXPIRY_NOTICE_DAYS", "03-02,01-15")
    assert env_month_days("LEAVE_EXPIRY_NOTICE_DAYS", []) == [(1, 15), (3, 2)]


@pytest.mark.parametrize("value", ["13-01", "02-30", "March"])
def test_malformed_notice_days_are_refused(monkeypatch, value):
    monkeypatch.setenv("LEAVE_EXPIRY_NOTICE_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="LEAVE_EXPIRY_NOTICE_DAYS"):
        env_month_days("LEAVE_EXPIRY_NOTICE_DAYS", [])
