"""The HR import with its responsibility column: portal.importing reads and applies the files, and every
responsibility it lists is granted through `responsibility_grant`, so the import obeys every rule of
granting and its audit entry is written in the one place that writes them."""

from pathlib import Path

from portal import importing
from portal.models import User
from services.delegation.services import responsibility_grant


def staff_import(*, units_file: Path | None = None, staff_file: Path | None = None, dry_run: bool = False,
                 deactivate_missing: bool = False, operator: User | None = None) -> importing.ImportReport:
    """`portal.importing.staff_import`, granting the listed responsibilities through services.delegation."""
    return importing.staff_import(units_file=units_file, staff_file=staff_file, dry_run=dry_run,
                                  deactivate_missing=deactivate_missing, operator=operator, grant=responsibility_grant)
