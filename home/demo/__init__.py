"""Musterstadt, the demo city: org tree, staff, pages in German and English, and requests in every state.

`seed_demo()` is idempotent. It looks every object up by its natural key (unit code, email address,
page slug per locale) and creates only what is missing, so a second run changes nothing. The demo
requests are created only while Anna Schmidt has none, and always through `services.workflow`, so
that each one carries the events a real request would have.

Everything is deterministic: names come from fixed lists drawn with a fixed seed, and dates are
relative to today so that the demo stays current. Development only: every account gets the password
`musterstadt`; the management command refuses to run unless DEBUG is on.

The parts, by topic: `people` (org units, staff, logins), `content` (what the pages say), `pages`
(the page tree, documents and site alert built from it), `requests` (responsibilities, delegations,
the demo requests and leave stories). This module runs them in order.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from home import editorial
from home.demo.kummerkasten import DEMO_RECEIPT_CODE, seed_kummerkasten
from home.demo.pages import SITE_NAME, seed_documents, seed_editorial, seed_pages
from home.demo.people import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    ORG_TREE,
    StaffSpec,
    UnitSpec,
    WorkPattern,
    generated_staff,
    seed_authenticators,
    seed_org_units,
    seed_staff,
)
from home.demo.requests import (
    CANCELLATION_NOTE,
    CONFIRMATION_NOTE,
    TEAM_ABSENCE_NOTE,
    DemoDataError,
    seed_leave_stories,
    seed_municipal_days_off,
    seed_requests,
    seed_responsibilities,
)
from home.demo.surveys import seed_surveys
from home.demo.trust_channels import seed_coffee_kitchen, seed_phishing
from portal.models import User

__all__ = [
    "CANCELLATION_NOTE", "CONFIRMATION_NOTE", "DEMO_RECEIPT_CODE", "DEMO_LOGINS", "DEMO_PASSWORD", "EMAIL_DOMAIN", "ORG_TREE", "SITE_NAME",
    "TEAM_ABSENCE_NOTE", "DemoDataError", "DemoSummary", "StaffSpec", "UnitSpec", "WorkPattern", "generated_staff",
    "seed_authenticators",
    "seed_demo", "seed_documents", "seed_editorial", "seed_leave_stories", "seed_municipal_days_off", "seed_org_units",
    "seed_coffee_kitchen", "seed_pages", "seed_phishing", "seed_requests", "seed_responsibilities", "seed_staff",
    "seed_surveys",
]


@dataclass
class DemoSummary:
    """What one run created; all zero when the demo city was already complete."""

    units_created: int = 0
    users_created: int = 0
    pages_created: int = 0
    requests_created: int = 0
    logins: tuple[StaffSpec, ...] = field(default=DEMO_LOGINS)
    # The base32 secret of each demo login's authenticator app, by email (for a developer's own app).
    totp_secrets: dict[str, str] = field(default_factory=dict)


def seed_demo(*, today: datetime.date | None = None) -> DemoSummary:
    """Build (or complete) Musterstadt. Call it inside a transaction; it is safe to run again."""
    summary = DemoSummary()
    units, summary.units_created = seed_org_units()
    editorial.editor_permissions_grant()  # the groups exist before seed_staff puts people into them
    summary.users_created = seed_staff(units)
    summary.totp_secrets = seed_authenticators()
    service_pages, summary.pages_created = seed_pages()
    seed_editorial()
    seed_responsibilities(units, today=today or timezone.localdate())
    seed_municipal_days_off(today=today or timezone.localdate())
    summary.requests_created = seed_requests(service_pages=service_pages, today=today or timezone.localdate())
    summary.requests_created += seed_leave_stories(service_pages=service_pages, today=today or timezone.localdate())
    seed_surveys(units, today=today or timezone.localdate(), admin=User.objects.get(email=f"admin@{EMAIL_DOMAIN}"))
    seed_phishing()
    seed_coffee_kitchen()
    seed_kummerkasten(units, today=today or timezone.localdate())
    return summary
