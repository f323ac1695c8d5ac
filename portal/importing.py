"""Import organisational units and staff from the CSV export of the HR system.

`staff_import` reads up to two files, validates every line of both before it writes anything, and
then creates or updates `OrgUnit` and `User` rows in one transaction. When any line is bad it
writes nothing and returns every problem with its file name and line number (the header is line 1).

File format (both files):

- UTF-8, with or without a byte order mark; the delimiter is ";" or "," and is detected from the
  header line. A value that contains the delimiter must be quoted ("39,0" in a ","-file).
- The first line names the columns, in any order; case, surrounding spaces and "-"/" " instead of
  "_" do not matter. Columns that are not listed below are ignored; empty lines are skipped.

Units file, one line per unit, matched to existing units by `code`:

- `code` (the unit's key in the HR system), `name`, `level` (dezernat, amt, abteilung or
  sachgebiet), `parent_code` (empty for a top-level unit; the parent may come later in the file or
  already exist in the database), and optionally `short_name`. When the `short_name` column is
  missing, existing short names are kept.

Staff file, one line per person, matched to existing users by `personnel_number`, or by `email`
when the existing account has no personnel number yet:

- `personnel_number`, `email`, `first_name` (may be empty), `last_name`, `unit_code` (a unit of the
  units file or the database), `working_weekdays` (ISO numbers "1,2,3,4,5" or "1-5", or day names
  "Mo-Fr", "Mo,Di,Mi,Do", "Mon-Fri"), `weekly_hours` ("39,0" or "39.0"), `federal_state` (two
  letters such as NW), `leave_entitlement_days` ("30" or "28,5"), and optionally `active` (1/0,
  ja/nein, yes/no, true/false; when the column or the value is missing, new people are active and
  existing accounts keep their state), and optionally `responsibilities`: what the person decides, as
  "permission,permission@unit | permission@unit" (e.g. "decide_leave,decide_vpn_access@32 |
  review_it_security@STADT"; the permissions are those of portal.responsibilities). Listed
  responsibilities are granted if missing, through the `grant` function the caller hands in (the
  delegation service, which applies every rule of granting and records it in the audit trail under
  the operator's name); none is ever withdrawn by the import (that happens in the admin).

Re-importing the same files changes nothing. Units and people that are missing from the files are
kept; with `deactivate_missing`, accounts that have a personnel number but are missing from the
staff file are deactivated. New accounts get an unusable password (people log in after a password
reset or through single sign-on); existing passwords, staff and superuser flags are never touched.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import FederalState, OrgUnit, OrgUnitUserPermission, UnitLevel, User
from portal.responsibilities import RESPONSIBILITY_CODENAMES

UNIT_REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
UNIT_OPTIONAL_COLUMNS = ("short_name",)
STAFF_REQUIRED_COLUMNS = (
    "personnel_number", "email", "first_name", "last_name", "unit_code", "working_weekdays", "weekly_hours",
    "federal_state", "leave_entitlement_days",
)
STAFF_OPTIONAL_COLUMNS = ("active", "responsibilities")

WEEKDAY_NAMES = {
    1: ("1", "mo", "mon", "montag", "monday"),
    2: ("2", "di", "tu", "tue", "dienstag", "tuesday"),
    3: ("3", "mi", "we", "wed", "mittwoch", "wednesday"),
    4: ("4", "do", "th", "thu", "donnerstag", "thursday"),
    5: ("5", "fr", "fri", "freitag", "friday"),
    6: ("6", "sa", "sat", "samstag", "sonnabend", "saturday"),
    7: ("7", "so", "su", "sun", "sonntag", "sunday"),
}
_WEEKDAY_BY_NAME = {name: number for number, names in WEEKDAY_NAMES.items() for name in names}
_TRUE_VALUES = {"1", "ja", "j", "yes", "y", "true", "wahr"}
_FALSE_VALUES = {"0", "nein", "n", "no", "false", "falsch"}
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class ImportProblem:
    """One reason why the import was refused, tied to a file and, where there is one, a line."""

    file_name: str
    line_number: int | None
    message: str

    def __str__(self) -> str:
        if self.line_number is None:
            return _("%(file)s: %(message)s") % {"file": self.file_name, "message": self.message}
        return _("%(file)s line %(line)d: %(message)s") % {"file": self.file_name, "line": self.line_number, "message": self.message}


@dataclass
class ImportCounts:
    """How many rows of one kind the import created, updated or left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do); when `errors` is not empty it did nothing."""

    dry_run: bool
    units: ImportCounts = field(default_factory=ImportCounts)
    staff: ImportCounts = field(default_factory=ImportCounts)
    deactivated_staff: int = 0
    responsibilities_granted: int = 0
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return not self.errors


def parse_working_weekdays(value: str) -> list[int]:
    """Turn "1,2,3,4,5", "1-5", "Mo-Fr", "Mo, Di, Mi, Do" or "Mon-Fri" into sorted ISO weekday numbers.

    Raises ValueError when a part is not a weekday, a range runs backwards, or nothing is left.
    """
    text = re.sub(r"\s*(?:-|–|\bbis\b)\s*", "-", value.strip().lower())
    days: set[int] = set()
    for part in re.split(r"[,;/\s]+", text):
        if not part:
            continue
        ends = [_WEEKDAY_BY_NAME.get(end.rstrip(".")) for end in part.split("-")]
        if any(end is None for end in ends) or len(ends) > 2:
            raise ValueError(value)
        first, last = ends[0], ends[-1]
        if first > last:
            raise ValueError(value)
        days.update(range(first, last + 1))
    if not days:
        raise ValueError(value)
    return sorted(days)


class GrantResponsibility(Protocol):
    """How the import hands a responsibility on: `grant(actor=…, holder=…, unit=…, codenames=[…], source=…)`."""

    def __call__(self, *, actor: User, holder: User, unit: OrgUnit, codenames: list[str], source: str) -> object: ...


def staff_import(*, units_file: Path | None = None, staff_file: Path | None = None, dry_run: bool = False,
                 deactivate_missing: bool = False, operator: User | None = None,
                 grant: GrantResponsibility | None = None) -> ImportReport:
    """Validate both files completely, then create and update units and staff in one transaction.

    Returns a report with the counts; when it lists errors, nothing was written. A dry run validates
    and counts in the same way and writes nothing. Responsibilities the staff file lists are granted
    through `grant`, inside the same transaction; a file that lists any needs one.
    """
    if units_file is None and staff_file is None:
        raise ValueError("staff_import needs units_file, staff_file or both.")
    if deactivate_missing and staff_file is None:
        raise ValueError("deactivate_missing needs a staff_file.")
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        existing_units = list(OrgUnit.objects.order_by("path"))
        units_plan = _UnitsPlan(existing_units)
        known_unit_codes: set[str] | None = set(units_plan.existing_parent_codes)
        if units_file is not None:
            table = _read_table(units_file, UNIT_REQUIRED_COLUMNS, UNIT_OPTIONAL_COLUMNS, report.errors)
            if table is None:
                known_unit_codes = None
            else:
                units_plan.add(table, report.errors)
                known_unit_codes |= units_plan.mentioned_codes
        staff_plan = None
        if staff_file is not None:
            table = _read_table(staff_file, STAFF_REQUIRED_COLUMNS, STAFF_OPTIONAL_COLUMNS, report.errors)
            if table is not None:
                staff_plan = _StaffPlan(units_plan.code_by_id, deactivate_missing=deactivate_missing)
                staff_plan.add(table, known_unit_codes, report.errors)
        if staff_plan is not None and staff_plan.missing_grants() and grant is None:
            raise ValueError("The staff file grants responsibilities: pass grant= (services.delegation's responsibility_grant).")
        if staff_plan is not None and staff_plan.missing_grants() and operator is None:
            operator = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if operator is None:
                report.errors.append(ImportProblem(staff_file.name, None, _(
                    "the file grants responsibilities, which are recorded in the audit trail under the operator's name: "
                    "name an active administrator with --operator")))
        if report.errors:
            return report
        report.units = units_plan.counts()
        if staff_plan is not None:
            report.staff = staff_plan.counts()
            report.deactivated_staff = len(staff_plan.users_to_deactivate)
            report.responsibilities_granted = len(staff_plan.missing_grants())
        if not dry_run:
            units_plan.apply()
            if staff_plan is not None:
                staff_plan.apply()
                staff_plan.apply_grants(operator=operator, grant=grant)
    return report


# Reading CSV


@dataclass
class _Row:
    line_number: int
    values: dict[str, str]
    well_formed: bool


@dataclass
class _Table:
    file_name: str
    columns: set[str]
    rows: list[_Row]

    def problem(self, row: _Row, message: str) -> ImportProblem:
        return ImportProblem(self.file_name, row.line_number, message)


def _normalise_column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _read_table(path: Path, required: Iterable[str], optional: Iterable[str], problems: list[ImportProblem]) -> _Table | None:
    """Read one CSV file into rows keyed by column name; None (with problems added) when the file is unusable."""
    file_name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        problems.append(ImportProblem(file_name, None, _("cannot read the file: %(reason)s") % {"reason": error.strerror or error}))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_number = raw[: error.start].count(b"\n") + 1
        problems.append(ImportProblem(file_name, line_number, _("the file is not UTF-8 encoded; export it as “CSV UTF-8”")))
        return None
    header_line = io.StringIO(text, newline="").readline()
    delimiter = "," if header_line.count(",") > header_line.count(";") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            problems.append(ImportProblem(file_name, 1, _("the first line must name the columns: %(columns)s")
                                          % {"columns": ", ".join(required)}))
            return None
        columns = [_normalise_column(cell) for cell in header]
        while columns and not columns[-1]:
            columns.pop()
        header_ok = True
        for column in sorted({column for column in columns if column and columns.count(column) > 1}):
            problems.append(ImportProblem(file_name, 1, _("column '%(column)s' appears more than once") % {"column": column}))
            header_ok = False
        for column in required:
            if column not in columns:
                problems.append(ImportProblem(file_name, 1, _("missing column '%(column)s'") % {"column": column}))
                header_ok = False
        if not header_ok:
            return None
        table = _Table(file_name, {column for column in columns if column in (*required, *optional)}, [])
        previous_line = reader.line_num
        for cells in reader:
            line_number, previous_line = previous_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            cells = [cell.strip() for cell in cells]
            while len(cells) > len(columns) and not cells[-1]:
                cells.pop()  # trailing delimiters, as spreadsheet programs write them
            well_formed = len(cells) == len(columns)
            if not well_formed:
                message = _("found %(found)d values but the header has %(expected)d columns") % {
                    "found": len(cells), "expected": len(columns),
                }
                if len(cells) > len(columns):
                    message += " " + _("(quote values that contain the delimiter “%(delimiter)s”)") % {"delimiter": delimiter}
                problems.append(ImportProblem(file_name, line_number, message))
            values = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
            table.rows.append(_Row(line_number, values, well_formed))
    except csv.Error as error:
        problems.append(ImportProblem(file_name, reader.line_num, _("the line cannot be read as CSV: %(reason)s") % {"reason": error}))
        return None
    return table


# Checking single values; each returns the clean value or None after adding a problem.


# Control characters (line breaks, tabs, NUL) and invisible formatting ones (right-to-left overrides,
# zero-width spaces) never belong in a name, a code or a personnel number.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf"})
_MARKUP = re.compile(r"[<>]")


class _RowChecker:
    """Checks the values of one line and collects a problem for each bad one."""

    def __init__(self, table: _Table, row: _Row, problems: list[ImportProblem]) -> None:
        self.table = table
        self.row = row
        self.problems = problems
        self.failed = False

    def fail(self, message: str) -> None:
        self.problems.append(self.table.problem(self.row, message))
        self.failed = True

    def text(self, column: str, *, model: type[models.Model], required: bool = True) -> str | None:
        value = self.row.values.get(column, "")
        if not value:
            if required:
                self.fail(_("missing value for '%(column)s'") % {"column": column})
                return None
            return ""
        unsafe = next((character for character in value if unicodedata.category(character) in _UNSAFE_CATEGORIES), None)
        if unsafe is not None:
            # A line break in a name breaks every e-mail header naming the person; a right-to-left override
            # shows a reversed name in the queue.
            self.fail(_("the value for '%(column)s' contains a control or invisible formatting character (U+%(code)04X);"
                        " remove it") % {"column": column, "code": ord(unsafe)})
            return None
        if _MARKUP.search(value):
            self.fail(_("the value for '%(column)s' contains the markup characters < or >; remove them") % {"column": column})
            return None
        limit = model._meta.get_field(column).max_length
        if limit and len(value) > limit:
            self.fail(_("the value for '%(column)s' is longer than %(limit)d characters") % {"column": column, "limit": limit})
            return None
        return value

    def decimal(self, column: str, *, minimum: Decimal, maximum: Decimal, places: int) -> Decimal | None:
        value = self.row.values.get(column, "")
        if not value:
            self.fail(_("missing value for '%(column)s'") % {"column": column})
            return None
        if not _NUMBER.fullmatch(value):
            self.fail(_("'%(value)s' is not a number (column '%(column)s')") % {"value": value, "column": column})
            return None
        number = Decimal(value.replace(",", "."))
        if not minimum <= number <= maximum:
            self.fail(_("'%(column)s' must be between %(minimum)s and %(maximum)s, not %(value)s")
                      % {"column": column, "minimum": minimum, "maximum": maximum, "value": value})
            return None
        rounded = number.quantize(Decimal(1).scaleb(-places))
        if rounded != number:
            self.fail(ngettext("'%(column)s' allows at most %(places)d decimal place, not %(value)s",
                               "'%(column)s' allows at most %(places)d decimal places, not %(value)s", places)
                      % {"column": column, "places": places, "value": value})
            return None
        return rounded


# Units


@dataclass
class _UnitRecord:
    line_number: int
    code: str
    name: str
    short_name: str | None
    level: str
    parent_code: str | None


class _UnitsPlan:
    """The units of the file compared with the database: which to create, change or move, parents first."""

    def __init__(self, existing_units: list[OrgUnit]) -> None:
        code_by_path = {unit.path: unit.code for unit in existing_units}
        self.code_by_id = {unit.pk: unit.code for unit in existing_units}
        self.existing = {unit.code: unit for unit in existing_units}
        self.existing_parent_codes = {unit.code: code_by_path.get(unit.path[: -OrgUnit.steplen]) for unit in existing_units}
        self.records: list[_UnitRecord] = []
        self.mentioned_codes: set[str] = set()

    def add(self, table: _Table, problems: list[ImportProblem]) -> None:
        self.mentioned_codes = {row.values.get("code", "") for row in table.rows} - {""}
        known_codes = self.mentioned_codes | set(self.existing)
        first_line: dict[str, int] = {}
        lines_by_code: dict[str, _Row] = {}
        for row in table.rows:
            if not row.well_formed:
                continue
            check = _RowChecker(table, row, problems)
            code = check.text("code", model=OrgUnit)
            name = check.text("name", model=OrgUnit)
            short_name = check.text("short_name", model=OrgUnit, required=False) if "short_name" in table.columns else None
            level = self._level(check, row.values.get("level", ""))
            parent_code = row.values.get("parent_code", "") or None
            if code is not None:
                if code in first_line:
                    check.fail(_("duplicate unit code '%(code)s' (already on line %(line)d)") % {"code": code, "line": first_line[code]})
                else:
                    first_line[code] = row.line_number
                    lines_by_code[code] = row
            if parent_code is not None and parent_code not in known_codes:
                check.fail(_("parent unit '%(code)s' does not exist in the file or the database") % {"code": parent_code})
            if not check.failed:
                self.records.append(_UnitRecord(row.line_number, code, name, short_name, level, parent_code))
        self._check_cycles(table, lines_by_code, problems)

    @staticmethod
    def _level(check: _RowChecker, value: str) -> str | None:
        if not value:
            check.fail(_("missing value for '%(column)s'") % {"column": "level"})
            return None
        for level in UnitLevel:
            if value.lower() in (level.value, level.name.lower()):
                return level.value
        check.fail(_("unknown level '%(value)s' (expected one of: %(choices)s)") % {"value": value, "choices": ", ".join(UnitLevel.values)})
        return None

    def final_parent_codes(self) -> dict[str, str | None]:
        parents = dict(self.existing_parent_codes)
        parents.update({record.code: record.parent_code for record in self.records})
        return parents

    def _check_cycles(self, table: _Table, lines_by_code: dict[str, _Row], problems: list[ImportProblem]) -> None:
        parents = self.final_parent_codes()
        finished: set[str] = set()
        in_cycle: set[str] = set()
        for record in list(self.records):
            chain: list[str] = []
            code: str | None = record.code
            while code is not None and code not in finished and code not in chain:
                chain.append(code)
                code = parents.get(code)
            if code is not None and code in chain:
                cycle = chain[chain.index(code):]
                description = " → ".join([*cycle, code])
                for member in cycle:
                    if member in lines_by_code and member not in in_cycle:
                        in_cycle.add(member)
                        problems.append(table.problem(lines_by_code[member], _("unit '%(code)s' is its own ancestor: %(cycle)s")
                                                      % {"code": member, "cycle": description}))
            finished.update(chain)
        self.records = [record for record in self.records if record.code not in in_cycle]

    def _ordered_records(self) -> list[_UnitRecord]:
        """The file's units with every unit after its parent, so that parents exist before their children arrive."""
        parents = self.final_parent_codes()

        def depth(code: str | None) -> int:
            steps = 0
            while (code := parents.get(code)) is not None:
                steps += 1
            return steps

        return sorted(self.records, key=lambda record: depth(record.code))

    def _changes(self, record: _UnitRecord) -> dict[str, str]:
        unit = self.existing[record.code]
        wanted = {"name": record.name, "level": record.level}
        if record.short_name is not None:
            wanted["short_name"] = record.short_name
        return {name: value for name, value in wanted.items() if getattr(unit, name) != value}

    def _moves(self, record: _UnitRecord) -> bool:
        return self.existing_parent_codes[record.code] != record.parent_code

    def counts(self) -> ImportCounts:
        counts = ImportCounts()
        for record in self.records:
            if record.code not in self.existing:
                counts.created += 1
            elif self._changes(record) or self._moves(record):
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def apply(self) -> None:
        # Tree operations rewrite the paths of other rows, so every node is fetched fresh right before it is used.
        for record in self._ordered_records():
            if record.code not in self.existing:
                values = {"code": record.code, "name": record.name, "short_name": record.short_name or "", "level": record.level}
                if record.parent_code is None:
                    OrgUnit.add_root(**values)
                else:
                    OrgUnit.objects.get(code=record.parent_code).add_child(**values)
                continue
            changes = self._changes(record)
            if changes:
                unit = OrgUnit.objects.get(code=record.code)
                for name, value in changes.items():
                    setattr(unit, name, value)
                unit.save(update_fields=list(changes))
            if self._moves(record):
                unit = OrgUnit.objects.get(code=record.code)
                if record.parent_code is None:
                    unit.move(OrgUnit.get_first_root_node(), "sorted-sibling")
                else:
                    unit.move(OrgUnit.objects.get(code=record.parent_code), "sorted-child")


# Staff


@dataclass
class _StaffRecord:
    line_number: int
    personnel_number: str
    email: str
    first_name: str
    last_name: str
    unit_code: str
    working_weekdays: list[int]
    weekly_hours: Decimal
    federal_state: str
    leave_entitlement_days: Decimal
    is_active: bool | None
    responsibilities: list[tuple[str, str]] = field(default_factory=list)


_STAFF_FIELDS = (
    "personnel_number", "email", "first_name", "last_name", "working_weekdays", "weekly_hours", "federal_state",
    "leave_entitlement_days",
)


class _StaffPlan:
    """The people of the file matched to existing accounts: which to create, which to change."""

    def __init__(self, unit_code_by_id: dict[int, str], *, deactivate_missing: bool) -> None:
        self.unit_code_by_id = unit_code_by_id
        self.deactivate_missing = deactivate_missing
        self.users = list(User.objects.order_by("pk"))
        self.by_personnel_number = {user.personnel_number: user for user in self.users if user.personnel_number}
        self.by_email = {user.email.lower(): user for user in self.users}
        self.matches: list[tuple[_StaffRecord, User | None]] = []
        self.users_to_deactivate: list[User] = []

    def add(self, table: _Table, known_unit_codes: set[str] | None, problems: list[ImportProblem]) -> None:
        records = self._records(table, known_unit_codes, problems)
        for record in records:
            user = self.by_personnel_number.get(record.personnel_number)
            if user is None:
                candidate = self.by_email.get(record.email)
                if candidate is not None and not candidate.personnel_number:
                    user = candidate
            self.matches.append((record, user))
        matched_ids = {user.pk for _record, user in self.matches if user is not None}
        accepted = []
        for record, user in self.matches:
            holder = self.by_email.get(record.email)
            if holder is not None and holder.pk not in matched_ids:
                problems.append(ImportProblem(
                    table.file_name, record.line_number,
                    _("email address '%(email)s' already belongs to another account that is not in this file") % {"email": record.email},
                ))
                continue
            accepted.append((record, user))
        self.matches = accepted
        if self.deactivate_missing:
            self.users_to_deactivate = [user for user in self.users
                                        if user.personnel_number and user.is_active and user.pk not in matched_ids]

    def _records(self, table: _Table, known_unit_codes: set[str] | None, problems: list[ImportProblem]) -> list[_StaffRecord]:
        records = []
        personnel_number_lines: dict[str, int] = {}
        email_lines: dict[str, int] = {}
        for row in table.rows:
            if not row.well_formed:
                continue
            check = _RowChecker(table, row, problems)
            personnel_number = check.text("personnel_number", model=User)
            email = check.text("email", model=User)
            if email is not None:
                email = email.lower()
                try:
                    validate_email(email)
                except ValidationError:
                    check.fail(_("invalid email address '%(email)s'") % {"email": email})
                    email = None
            first_name = check.text("first_name", model=User, required=False)
            last_name = check.text("last_name", model=User)
            unit_code = row.values.get("unit_code", "")
            if not unit_code:
                check.fail(_("missing value for '%(column)s'") % {"column": "unit_code"})
            elif known_unit_codes is not None and unit_code not in known_unit_codes:
                check.fail(_("unknown unit '%(code)s'") % {"code": unit_code})
            working_weekdays = self._working_weekdays(check, row.values.get("working_weekdays", ""))
            weekly_hours = check.decimal("weekly_hours", minimum=Decimal("0.5"), maximum=Decimal("60"), places=2)
            federal_state = self._federal_state(check, row.values.get("federal_state", ""))
            leave_entitlement_days = check.decimal("leave_entitlement_days", minimum=Decimal("0"), maximum=Decimal("60"), places=1)
            is_active = self._active(check, row.values.get("active", ""))
            responsibilities = self._responsibilities(check, row.values.get("responsibilities", ""), known_unit_codes)
            if personnel_number is not None:
                if personnel_number in personnel_number_lines:
                    check.fail(_("duplicate personnel number '%(value)s' (already on line %(line)d)")
                               % {"value": personnel_number, "line": personnel_number_lines[personnel_number]})
                else:
                    personnel_number_lines[personnel_number] = row.line_number
            if email is not None:
                if email in email_lines:
                    check.fail(_("duplicate email address '%(value)s' (already on line %(line)d)")
                               % {"value": email, "line": email_lines[email]})
                else:
                    email_lines[email] = row.line_number
            if not check.failed:
                records.append(_StaffRecord(
                    row.line_number, personnel_number, email, first_name, last_name, unit_code, working_weekdays, weekly_hours,
                    federal_state, leave_entitlement_days, is_active, responsibilities,
                ))
        return records

    @staticmethod
    def _responsibilities(check: _RowChecker, value: str, known_unit_codes: set[str] | None) -> list[tuple[str, str]]:
        """Parse "decide_leave,decide_vpn_access@32 | review_it_security@STADT" into (codename, unit code) pairs."""
        pairs: list[tuple[str, str]] = []
        for entry in filter(None, (part.strip() for part in value.split("|"))):
            codenames, separator, unit_code = entry.rpartition("@")
            if not separator or not codenames.strip() or not unit_code.strip():
                check.fail(_("responsibility '%(entry)s' is not of the form permission,permission@unit") % {"entry": entry})
                continue
            unit_code = unit_code.strip()
            if known_unit_codes is not None and unit_code not in known_unit_codes:
                check.fail(_("unknown unit '%(code)s' in responsibilities") % {"code": unit_code})
                continue
            for codename in filter(None, (name.strip() for name in codenames.split(","))):
                if codename not in RESPONSIBILITY_CODENAMES:
                    check.fail(_("unknown responsibility '%(name)s' (known: %(known)s)") % {
                        "name": codename, "known": ", ".join(RESPONSIBILITY_CODENAMES)})
                elif (codename, unit_code) not in pairs:
                    pairs.append((codename, unit_code))
        return pairs

    def missing_grants(self) -> list[tuple[_StaffRecord, User | None, str, str]]:
        """Responsibilities listed in the file that the person does not hold yet (none is ever withdrawn here)."""
        held = set(OrgUnitUserPermission.objects.values_list("user_id", "permission__codename", "content_object__code"))
        return [(record, user, codename, unit_code) for record, user in self.matches
                for codename, unit_code in record.responsibilities
                if user is None or (user.pk, codename, unit_code) not in held]

    def apply_grants(self, *, operator: User, grant: GrantResponsibility | None) -> None:
        units = {unit.code: unit for unit in OrgUnit.objects.all()}
        users = {user.email: user for user in User.objects.filter(email__in=[record.email for record, _user in self.matches])}
        for record, _user, codename, unit_code in self.missing_grants():
            grant(actor=operator, holder=users[record.email], unit=units[unit_code], codenames=[codename], source="import_staff")

    @staticmethod
    def _working_weekdays(check: _RowChecker, value: str) -> list[int] | None:
        if not value:
            check.fail(_("missing value for '%(column)s'") % {"column": "working_weekdays"})
            return None
        try:
            return parse_working_weekdays(value)
        except ValueError:
            check.fail(_("invalid working weekdays '%(value)s' (use ISO numbers such as 1,2,3,4,5 or day names such as Mo-Fr)")
                       % {"value": value})
            return None

    @staticmethod
    def _federal_state(check: _RowChecker, value: str) -> str | None:
        if not value:
            check.fail(_("missing value for '%(column)s'") % {"column": "federal_state"})
            return None
        code = value.upper().removeprefix("DE-")
        if code in FederalState.values:
            return code
        for state in FederalState:
            if state.label.casefold() == value.casefold():
                return state.value
        check.fail(_("unknown federal state '%(value)s' (expected a two-letter code such as NW)") % {"value": value})
        return None

    @staticmethod
    def _active(check: _RowChecker, value: str) -> bool | None:
        if not value:
            return None
        if value.lower() in _TRUE_VALUES:
            return True
        if value.lower() in _FALSE_VALUES:
            return False
        check.fail(_("invalid value '%(value)s' for 'active' (use 1 or 0, ja or nein)") % {"value": value})
        return None

    def _changes(self, record: _StaffRecord, user: User) -> dict[str, object]:
        changes: dict[str, object] = {
            name: getattr(record, name) for name in _STAFF_FIELDS if getattr(user, name) != getattr(record, name)
        }
        if self.unit_code_by_id.get(user.unit_id) != record.unit_code:
            changes["unit"] = record.unit_code
        if record.is_active is not None and user.is_active != record.is_active:
            changes["is_active"] = record.is_active
        return changes

    def counts(self) -> ImportCounts:
        counts = ImportCounts()
        for record, user in self.matches:
            if user is None:
                counts.created += 1
            elif self._changes(record, user):
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def apply(self) -> None:
        unit_ids = dict(OrgUnit.objects.values_list("code", "pk"))
        updates = [(record, user, self._changes(record, user)) for record, user in self.matches if user is not None]
        updates = [(record, user, changes) for record, user, changes in updates if changes]
        # An address may move from one person to another in the same file; park the moving ones first so that
        # the unique constraint holds after every single statement.
        wanted_emails = {record.email for record, _user in self.matches}
        for _record, user, changes in updates:
            if "email" in changes and user.email.lower() in wanted_emails:
                User.objects.filter(pk=user.pk).update(email=f"import-{user.pk}@moving.invalid")
        for _record, user, changes in updates:
            for name, value in changes.items():
                if name == "unit":
                    user.unit_id = unit_ids[value]
                else:
                    setattr(user, name, value)
            user.save(update_fields=list(changes))
        for record, user in self.matches:
            if user is None:
                User.objects.create_user(
                    email=record.email, password=None, unit_id=unit_ids[record.unit_code],
                    is_active=True if record.is_active is None else record.is_active,
                    **{name: getattr(record, name) for name in _STAFF_FIELDS if name != "email"},
                )
        if self.users_to_deactivate:
            User.objects.filter(pk__in=[user.pk for user in self.users_to_deactivate]).update(is_active=False)
