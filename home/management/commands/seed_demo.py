"""`manage.py seed_demo`: build the demo city Musterstadt (development only, idempotent)."""

import contextlib
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from home.demo import DEMO_PASSWORD, DEMO_RECEIPT_CODE, seed_demo


@contextlib.contextmanager
def _security_log_quiet(quiet: bool):
    """The demo's own decisions and grants would fill the console with security events: shown only with -v 2."""
    logger = logging.getLogger("portal.security")
    was_disabled = logger.disabled
    logger.disabled = quiet or was_disabled
    try:
        yield
    finally:
        logger.disabled = was_disabled


class Command(BaseCommand):
    help = (
        "Create the demo city Musterstadt: org units, about 200 staff, service and guidance pages in German and English,"
        " and requests in every state. Safe to run again. Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--send-emails", action="store_true",
            help="Send the notifications the demo requests trigger (by default they are dropped, not printed to the console).",
        )

    def handle(self, *args, send_emails: bool = False, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a publicly known password and only runs with DEBUG=True,"
                " e.g. DJANGO_SETTINGS_MODULE=portal.settings.dev. Never run it against a production database."
            )
        email_backend = settings.EMAIL_BACKEND if send_emails else "django.core.mail.backends.dummy.EmailBackend"
        # Notifications are sent when the transaction commits, so the override has to enclose it.
        with (override_settings(EMAIL_BACKEND=email_backend), _security_log_quiet(options.get("verbosity", 1) < 2),
              transaction.atomic()):
            summary = seed_demo()

        self.stdout.write(self.style.SUCCESS(
            f"Musterstadt is ready: created {summary.units_created} units, {summary.users_created} staff,"
            f" {summary.pages_created} pages, {summary.requests_created} requests"
            + (" (nothing was missing)." if not any((summary.units_created, summary.users_created,
                                                      summary.pages_created, summary.requests_created)) else ".")
        ))
        email_width = max(len(login.email) for login in summary.logins)
        role_width = max(len(login.role) for login in summary.logins)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(
            f"{'Demo login':<{email_width}}  {'Role':<{role_width}}  {'Password':<{len(DEMO_PASSWORD)}}  TOTP secret"))
        for login in summary.logins:
            secret = summary.totp_secrets.get(login.email, "")
            self.stdout.write(f"{login.email:<{email_width}}  {login.role:<{role_width}}  {DEMO_PASSWORD}  {secret}".rstrip())
        self.stdout.write(f"All other demo staff use the password {DEMO_PASSWORD!r} too.")
        self.stdout.write(
            "Logins with a TOTP secret decide, delegate, edit or administer and are asked for a second factor:"
            " add the secret to any authenticator app (as a 'key', time-based, 6 digits) and type its code.")
        self.stdout.write(
            f"Kummerkasten: Anna reads the answer to her anonymous message with the receipt code {DEMO_RECEIPT_CODE}"
            " at /kummerkasten/ (a real code is random and shown only once); Clara Wolf answers as handler.")
