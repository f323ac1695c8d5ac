"""`manage.py import_staff`: read the HR system's CSV export of organisational units and staff.

    python manage.py import_staff --units units.csv --staff staff.csv [--dry-run] [--deactivate-missing]

Either file may be given alone. Both files are checked line by line before anything is written; when
any line is bad the command lists every problem with its file and line number, changes nothing and
exits with a non-zero status. Otherwise it prints how many units and people were created, updated or
left unchanged. The CSV format is described in the help text below and in `portal.importing`, which
holds the logic (its responsibility column is granted through services.delegation.hr_import);
`portal/fixtures/import_example/` has a sample pair of files.
"""

import argparse
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.models import User
from services.delegation.hr_import import staff_import


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of the format description in the help text."""


class Command(BaseCommand):
    help = gettext_lazy(
        "Import organisational units and staff from the CSV export of the HR system.\n"
        "\n"
        "Files: UTF-8 (a byte order mark is fine), delimiter ';' or ',' (detected from the header line),\n"
        "first line = column names in any order, further columns are ignored. Line numbers in messages\n"
        "count the header as line 1. Nothing is written when any line is bad.\n"
        "\n"
        "--units columns: code, name, level (dezernat, amt, abteilung, sachgebiet), parent_code (empty for\n"
        "  a top-level unit; may refer to a unit further down the file or in the database), short_name\n"
        "  (optional column). Units are matched by code; a changed parent moves the unit in the tree.\n"
        "\n"
        "--staff columns: personnel_number, email, first_name, last_name, unit_code, working_weekdays\n"
        "  ('1,2,3,4,5', '1-5', 'Mo-Fr' or 'Mo,Di,Mi,Do'), weekly_hours ('39,0' or '39.0'), federal_state\n"
        "  (two letters, e.g. NW), leave_entitlement_days, active (optional column: 1/0, ja/nein).\n"
        "  People are matched by personnel number, or by email when the account has none yet.\n"
        "\n"
        "Re-importing the same files changes nothing. Nobody is deleted; new accounts get no usable\n"
        "password (people log in after a password reset or through single sign-on) and existing\n"
        "passwords are never changed."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> argparse.ArgumentParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--units", type=Path, metavar="FILE", help=gettext_lazy("CSV file of organisational units."))
        parser.add_argument("--staff", type=Path, metavar="FILE", help=gettext_lazy("CSV file of staff."))
        parser.add_argument(
            "--dry-run", action="store_true",
            help=gettext_lazy("Check the files and report what would change, without saving anything."),
        )
        parser.add_argument(
            "--deactivate-missing", action="store_true",
            help=gettext_lazy("Deactivate accounts that have a personnel number but are missing from the staff file."),
        )
        parser.add_argument(
            "--operator", metavar="EMAIL",
            help=gettext_lazy("Administrator under whose name granted responsibilities are recorded (default: the first one)."),
        )

    def handle(self, *args, units: Path | None, staff: Path | None, dry_run: bool, deactivate_missing: bool,
               operator: str | None = None, **options) -> None:
        if units is None and staff is None:
            raise CommandError(_("Name at least one file: --units FILE, --staff FILE or both."))
        if deactivate_missing and staff is None:
            raise CommandError(_("--deactivate-missing needs a staff file (--staff FILE)."))
        operator_user = None
        if operator:
            operator_user = User.objects.filter(email__iexact=operator, is_superuser=True, is_active=True).first()
            if operator_user is None:
                raise CommandError(_("%(email)s is not an active administrator.") % {"email": operator})
        report = staff_import(units_file=units, staff_file=staff, dry_run=dry_run, deactivate_missing=deactivate_missing,
                              operator=operator_user)
        if report.errors:
            for problem in report.errors:
                self.stderr.write(str(problem))
            count = len(report.errors)
            raise CommandError(
                ngettext("%(count)d problem found; nothing was imported.", "%(count)d problems found; nothing was imported.", count)
                % {"count": count}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved. The import would change this:"))
        if units is not None:
            self.stdout.write(_("Units: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % asdict(report.units))
        if staff is not None:
            self.stdout.write(_("Staff: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % asdict(report.staff))
        if report.responsibilities_granted:
            self.stdout.write(_("Responsibilities granted: %(count)d") % {"count": report.responsibilities_granted})
        if deactivate_missing:
            self.stdout.write(
                _("Staff deactivated because they are missing from the file: %(count)d") % {"count": report.deactivated_staff}
            )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(_("Import finished.")))
