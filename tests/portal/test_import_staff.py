"""The HR import: `portal.importing.staff_import` and the `import_staff` command around it."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import portal
from portal.importing import ImportReport, parse_working_weekdays, staff_import
from portal.models import OrgUnit, User
from tests.factories import OrgUnitFactory, UserFactory

EXAMPLE = Path(portal.__file__).parent / "fixtures" / "import_example"
UNITS_HEADER = "code;name;short_name;level;parent_code"
STAFF_HEADER = (
    "personnel_number;email;first_name;last_name;unit_code;working_weekdays;weekly_hours;federal_state;leave_entitlement_days;active"
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted by their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture
def write(tmp_path):
    """Writes lines to a CSV file in tmp_path and returns its path."""

    def make(name: str, *lines: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding=encoding)
        return path

    return make


@pytest.fixture
def example_files(tmp_path):
    """Copies of the sample pair, so that a test may edit them."""
    units = tmp_path / "units.csv"
    staff = tmp_path / "staff.csv"
    units.write_text((EXAMPLE / "units.csv").read_text(encoding="utf-8"), encoding="utf-8")
    staff.write_text((EXAMPLE / "staff.csv").read_text(encoding="utf-8"), encoding="utf-8")
    return units, staff


def import_example(**options) -> ImportReport:
    return staff_import(units_file=EXAMPLE / "units.csv", staff_file=EXAMPLE / "staff.csv", **options)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def snapshot() -> dict:
    """Every stored value of every unit and user, to prove that nothing changed."""
    return {
        "units": list(OrgUnit.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
    }


def messages(report: ImportReport) -> list[str]:
    return [str(problem) for problem in report.errors]


def staff_line(personnel_number="200001", email="max.mustermann@musterstadt.example", unit_code="32", working_weekdays="Mo-Fr",
               weekly_hours="39,0", federal_state="NW", leave="30", active="1", first_name="Max", last_name="Mustermann") -> str:
    return ";".join([personnel_number, email, first_name, last_name, unit_code, working_weekdays, weekly_hours, federal_state, leave,
                     active])


# A good import


def test_example_import_builds_the_unit_tree(db):
    report = import_example()

    assert report.succeeded
    assert (report.units.created, report.units.updated, report.units.unchanged) == (8, 0, 0)
    ordnungsamt = OrgUnit.objects.get(code="32")
    assert ordnungsamt.name == "Ordnungsamt"
    assert ordnungsamt.short_name == "OA"
    assert ordnungsamt.level == "amt"
    assert ordnungsamt.get_parent().code == "3"
    assert [unit.code for unit in OrgUnit.objects.get(code="10.3.1").get_ancestors()] == ["1", "10", "10.3"]
    assert sorted(root.code for root in OrgUnit.get_root_nodes()) == ["1", "3"]
    assert OrgUnit.objects.get(code="20").short_name == ""


def test_example_import_creates_staff_with_their_profile_fields(db):
    report = import_example()

    assert (report.staff.created, report.staff.updated, report.staff.unchanged) == (8, 0, 0)
    clara = User.objects.get(personnel_number="100103")
    assert clara.email == "clara.wolf@musterstadt.example"
    assert (clara.first_name, clara.last_name) == ("Clara", "Wolf")
    assert clara.unit.code == "32"
    assert clara.working_weekdays == [1, 2, 3, 4]
    assert clara.weekly_hours == Decimal("31.2")
    assert clara.leave_entitlement_days == Decimal("24")
    assert clara.federal_state == "NW"
    assert clara.is_active
    assert User.objects.get(personnel_number="100107").working_weekdays == [2, 3, 4, 5, 6]
    assert User.objects.get(personnel_number="100104").last_name == "Yılmaz"
    assert not User.objects.get(personnel_number="100108").is_active


def test_new_staff_get_an_unusable_password_and_no_admin_rights(db):
    import_example()

    for user in User.objects.all():
        assert not user.has_usable_password()
        assert not user.is_staff
        assert not user.is_superuser


def test_units_file_alone_imports_units(db):
    report = staff_import(units_file=EXAMPLE / "units.csv")

    assert report.succeeded
    assert OrgUnit.objects.count() == 8
    assert User.objects.count() == 0


def test_staff_file_alone_uses_units_from_the_database(db, write):
    OrgUnitFactory(code="32", name="Ordnungsamt")
    staff = write("staff.csv", STAFF_HEADER, staff_line())

    report = staff_import(staff_file=staff)

    assert report.succeeded
    assert User.objects.get(personnel_number="200001").unit.code == "32"


# Idempotence and updates


def test_reimporting_the_same_files_changes_nothing(db):
    import_example()
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        report = import_example()

    assert (report.units.created, report.units.updated, report.units.unchanged) == (0, 0, 8)
    assert (report.staff.created, report.staff.updated, report.staff.unchanged) == (0, 0, 8)
    assert snapshot() == before
    writes = [query["sql"] for query in queries if query["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_changing_one_field_updates_only_that_row(db, example_files):
    units, staff = example_files
    staff_import(units_file=units, staff_file=staff)
    before = snapshot()
    replace_in(staff, "eva.berg@musterstadt.example;Eva;Berg;10;Mo-Fr;19,5", "eva.berg@musterstadt.example;Eva;Berg;10;Mo-Fr;25,0")

    report = staff_import(units_file=units, staff_file=staff)

    assert (report.staff.created, report.staff.updated, report.staff.unchanged) == (0, 1, 7)
    assert (report.units.created, report.units.updated, report.units.unchanged) == (0, 0, 8)
    after = snapshot()
    assert after["units"] == before["units"]
    changed = [(old, new) for old, new in zip(before["users"], after["users"], strict=True) if old != new]
    assert len(changed) == 1
    old, new = changed[0]
    assert new["personnel_number"] == "100105"
    assert {key for key in old if old[key] != new[key]} == {"weekly_hours"}
    assert new["weekly_hours"] == Decimal("25.00")


def test_changed_parent_moves_the_unit_with_its_subtree(db, example_files):
    units, staff = example_files
    staff_import(units_file=units, staff_file=staff)
    replace_in(units, "10.3;Abteilung Informationstechnik;IT;abteilung;10", "10.3;Abteilung Informationstechnik;IT;abteilung;20")

    report = staff_import(units_file=units)

    assert (report.units.created, report.units.updated, report.units.unchanged) == (0, 1, 7)
    assert OrgUnit.objects.get(code="10.3").get_parent().code == "20"
    assert [unit.code for unit in OrgUnit.objects.get(code="10.3.1").get_ancestors()] == ["1", "20", "10.3"]
    assert User.objects.get(personnel_number="100104").unit.code == "10.3.1"
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    assert staff_import(units_file=units).units.unchanged == 8


def test_unit_with_empty_parent_becomes_a_root_and_renames_are_saved(db, example_files):
    units, _staff = example_files
    staff_import(units_file=units)
    replace_in(units, "32;Ordnungsamt;OA;amt;3", "32;Ordnungs- und Gewerbeamt;OGA;amt;")

    report = staff_import(units_file=units)

    assert report.units.updated == 1
    ordnungsamt = OrgUnit.objects.get(code="32")
    assert ordnungsamt.is_root()
    assert (ordnungsamt.name, ordnungsamt.short_name) == ("Ordnungs- und Gewerbeamt", "OGA")
    assert OrgUnit.objects.get(code="32.2").get_parent().code == "32"
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_parents_listed_after_their_children_are_accepted(db, write):
    units = write(
        "units.csv", UNITS_HEADER,
        "32.2.1;Sachgebiet Ruhender Verkehr;;sachgebiet;32.2",
        "32.2;Abteilung Verkehrsüberwachung;VÜ;abteilung;32",
        "32;Ordnungsamt;OA;amt;3",
        "3;Dezernat III;Dez. III;dezernat;",
    )

    report = staff_import(units_file=units)

    assert report.succeeded
    assert [unit.code for unit in OrgUnit.objects.get(code="32.2.1").get_ancestors()] == ["3", "32", "32.2"]


def test_swapping_parent_and_child_in_the_database_works(db, write):
    first = write("units.csv", UNITS_HEADER, "A;Alpha;;amt;", "B;Beta;;abteilung;A")
    staff_import(units_file=first)
    swapped = write("units.csv", UNITS_HEADER, "A;Alpha;;abteilung;B", "B;Beta;;amt;")

    report = staff_import(units_file=swapped)

    assert report.units.updated == 2
    assert OrgUnit.objects.get(code="B").is_root()
    assert OrgUnit.objects.get(code="A").get_parent().code == "B"


def test_existing_user_without_personnel_number_is_matched_by_email(db, write):
    OrgUnitFactory(code="32")
    existing = UserFactory(email="max.mustermann@musterstadt.example", personnel_number=None, unit=None)
    staff = write("staff.csv", STAFF_HEADER, staff_line(email="Max.Mustermann@Musterstadt.example"))

    report = staff_import(staff_file=staff)

    assert (report.staff.created, report.staff.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.personnel_number == "200001"
    assert existing.unit.code == "32"
    assert User.objects.count() == 1


def test_existing_password_and_admin_flags_are_never_touched(db, write):
    OrgUnitFactory(code="32")
    admin = UserFactory(personnel_number="200001", email="max.mustermann@musterstadt.example", is_staff=True, is_superuser=True)
    password = admin.password
    staff = write("staff.csv", STAFF_HEADER, staff_line(last_name="Mustermann-Neu"))

    staff_import(staff_file=staff)

    admin.refresh_from_db()
    assert admin.last_name == "Mustermann-Neu"
    assert admin.password == password
    assert admin.check_password("musterstadt")
    assert admin.is_staff and admin.is_superuser


def test_email_can_pass_from_one_person_to_another_in_the_same_file(db, write):
    OrgUnitFactory(code="32")
    UserFactory(personnel_number="1", email="a@musterstadt.example")
    UserFactory(personnel_number="2", email="b@musterstadt.example")
    staff = write("staff.csv", STAFF_HEADER, staff_line("1", "b@musterstadt.example"), staff_line("2", "a@musterstadt.example"))

    report = staff_import(staff_file=staff)

    assert report.staff.updated == 2
    assert User.objects.get(personnel_number="1").email == "b@musterstadt.example"
    assert User.objects.get(personnel_number="2").email == "a@musterstadt.example"


def test_staff_missing_from_the_file_are_kept(db, write):
    OrgUnitFactory(code="32")
    kept = UserFactory(personnel_number="999999")
    staff = write("staff.csv", STAFF_HEADER, staff_line())

    report = staff_import(staff_file=staff)

    assert report.deactivated_staff == 0
    kept.refresh_from_db()
    assert kept.is_active


def test_deactivate_missing_deactivates_only_accounts_with_a_personnel_number(db, write):
    OrgUnitFactory(code="32")
    gone = UserFactory(personnel_number="999999")
    service_account = UserFactory(personnel_number=None)
    staff = write("staff.csv", STAFF_HEADER, staff_line())

    report = staff_import(staff_file=staff, deactivate_missing=True)

    assert report.deactivated_staff == 1
    gone.refresh_from_db()
    service_account.refresh_from_db()
    assert not gone.is_active
    assert service_account.is_active
    assert User.objects.get(personnel_number="200001").is_active


def test_missing_active_column_keeps_the_state_of_existing_accounts(db, write):
    OrgUnitFactory(code="32")
    UserFactory(personnel_number="200001", email="max.mustermann@musterstadt.example", is_active=False)
    header = STAFF_HEADER.removesuffix(";active")
    staff = write("staff.csv", header, staff_line().rsplit(";", 1)[0])

    report = staff_import(staff_file=staff)

    assert report.staff.updated == 1
    assert not User.objects.get(personnel_number="200001").is_active


# Dry run


def test_dry_run_reports_counts_and_writes_nothing(db):
    report = import_example(dry_run=True)

    assert report.succeeded
    assert (report.units.created, report.staff.created) == (8, 8)
    assert OrgUnit.objects.count() == 0
    assert User.objects.count() == 0


def test_dry_run_of_an_update_leaves_the_row_as_it_was(db, example_files):
    units, staff = example_files
    staff_import(units_file=units, staff_file=staff)
    before = snapshot()
    replace_in(staff, "Frank;Müller;20", "Frank;Müller;10")

    report = staff_import(units_file=units, staff_file=staff, dry_run=True)

    assert (report.staff.updated, report.staff.unchanged) == (1, 7)
    assert snapshot() == before


# Formats


def test_comma_delimiter_with_quoted_decimal_comma_and_a_byte_order_mark(db, write):
    units = write("units.csv", "code,name,short_name,level,parent_code", "32,Ordnungsamt,OA,amt,", encoding="utf-8-sig")
    staff = write(
        "staff.csv",
        "personnel_number,email,first_name,last_name,unit_code,working_weekdays,weekly_hours,federal_state,leave_entitlement_days",
        '200001,max.mustermann@musterstadt.example,Max,Mustermann,32,"1,2,3",\"19,5\",BY,"17,5"',
        encoding="utf-8-sig",
    )

    report = staff_import(units_file=units, staff_file=staff)

    assert report.succeeded, messages(report)
    user = User.objects.get(personnel_number="200001")
    assert user.working_weekdays == [1, 2, 3]
    assert user.weekly_hours == Decimal("19.5")
    assert user.leave_entitlement_days == Decimal("17.5")
    assert user.federal_state == "BY"


def test_semicolon_delimiter_with_german_decimal_comma(db, write):
    units = write("units.csv", UNITS_HEADER, "32;Ordnungsamt;OA;amt;")
    staff = write("staff.csv", STAFF_HEADER, staff_line(weekly_hours="38,5", leave="28,5", working_weekdays="Mo,Di,Mi,Do"))

    report = staff_import(units_file=units, staff_file=staff)

    assert report.succeeded
    user = User.objects.get(personnel_number="200001")
    assert user.weekly_hours == Decimal("38.5")
    assert user.leave_entitlement_days == Decimal("28.5")
    assert user.working_weekdays == [1, 2, 3, 4]


def test_columns_may_come_in_any_order_and_extra_columns_are_ignored(db, write):
    units = write("units.csv", "Parent Code;Level;Cost centre;Name;Code;", ";amt;4711;Ordnungsamt;32", "", ";amt;;Feuerwehr;37;;")

    report = staff_import(units_file=units)

    assert report.succeeded, messages(report)
    assert OrgUnit.objects.get(code="32").name == "Ordnungsamt"
    assert OrgUnit.objects.get(code="37").name == "Feuerwehr"


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("1,2,3,4,5", [1, 2, 3, 4, 5]),
        ("1-5", [1, 2, 3, 4, 5]),
        ("Mo-Fr", [1, 2, 3, 4, 5]),
        ("Mo – Fr", [1, 2, 3, 4, 5]),
        ("Mo bis Fr", [1, 2, 3, 4, 5]),
        ("Mo,Di,Mi,Do", [1, 2, 3, 4]),
        ("Mo., Mi., Fr.", [1, 3, 5]),
        ("Mon-Thu", [1, 2, 3, 4]),
        ("Di-Sa", [2, 3, 4, 5, 6]),
        ("5,1", [1, 5]),
    ],
)
def test_working_weekdays_accept_iso_numbers_and_day_names(value, days):
    assert parse_working_weekdays(value) == days


@pytest.mark.parametrize("value", ["", "0", "8", "Fr-Mo", "Mo-Di-Mi", "Montags", "1,,x"])
def test_working_weekdays_reject_anything_else(value):
    with pytest.raises(ValueError):
        parse_working_weekdays(value)


# Bad lines


def test_missing_header_column_is_reported_once_on_line_1(db, write):
    header = STAFF_HEADER.replace("email;", "")
    staff = write("staff.csv", header, *[staff_line(personnel_number=str(n)).replace("max.mustermann@musterstadt.example;", "")
                                         for n in range(5)])

    report = staff_import(staff_file=staff)

    assert messages(report) == ["staff.csv line 1: missing column 'email'"]


def test_unknown_unit_is_reported_with_its_line_number(db, write):
    units = write("units.csv", UNITS_HEADER, "32;Ordnungsamt;OA;amt;")
    staff = write("staff.csv", STAFF_HEADER, staff_line(), staff_line("200002", "erika@musterstadt.example", unit_code="99"))

    report = staff_import(units_file=units, staff_file=staff)

    assert messages(report) == ["staff.csv line 3: unknown unit '99'"]
    assert OrgUnit.objects.count() == 0
    assert User.objects.count() == 0


def test_invalid_email_is_reported(db, write):
    OrgUnitFactory(code="32")
    staff = write("staff.csv", STAFF_HEADER, staff_line(email="max.mustermann(at)musterstadt.example"))

    report = staff_import(staff_file=staff)

    assert messages(report) == ["staff.csv line 2: invalid email address 'max.mustermann(at)musterstadt.example'"]


def test_duplicate_personnel_number_and_email_within_the_file_are_reported(db, write):
    OrgUnitFactory(code="32")
    staff = write(
        "staff.csv", STAFF_HEADER,
        staff_line("1", "a@musterstadt.example"),
        staff_line("1", "b@musterstadt.example"),
        staff_line("3", "A@musterstadt.example"),
    )

    report = staff_import(staff_file=staff)

    assert messages(report) == [
        "staff.csv line 3: duplicate personnel number '1' (already on line 2)",
        "staff.csv line 4: duplicate email address 'a@musterstadt.example' (already on line 2)",
    ]


def test_duplicate_unit_code_is_reported(db, write):
    units = write("units.csv", UNITS_HEADER, "32;Ordnungsamt;OA;amt;", "32;Ordnungsamt;OA;amt;")

    report = staff_import(units_file=units)

    assert messages(report) == ["units.csv line 3: duplicate unit code '32' (already on line 2)"]


def test_bad_values_are_each_reported(db, write):
    OrgUnitFactory(code="32")
    staff = write(
        "staff.csv", STAFF_HEADER,
        staff_line("1", "a@musterstadt.example", federal_state="XY"),
        staff_line("2", "b@musterstadt.example", weekly_hours="viel"),
        staff_line("3", "c@musterstadt.example", weekly_hours="70"),
        staff_line("4", "d@musterstadt.example", leave="30,25"),
        staff_line("5", "e@musterstadt.example", working_weekdays="Werktags"),
        staff_line("6", "f@musterstadt.example", active="vielleicht"),
        staff_line("7", "", last_name=""),
    )

    report = staff_import(staff_file=staff)

    assert messages(report) == [
        "staff.csv line 2: unknown federal state 'XY' (expected a two-letter code such as NW)",
        "staff.csv line 3: 'viel' is not a number (column 'weekly_hours')",
        "staff.csv line 4: 'weekly_hours' must be between 0.5 and 60, not 70",
        "staff.csv line 5: 'leave_entitlement_days' allows at most 1 decimal place, not 30,25",
        "staff.csv line 6: invalid working weekdays 'Werktags' (use ISO numbers such as 1,2,3,4,5 or day names such as Mo-Fr)",
        "staff.csv line 7: invalid value 'vielleicht' for 'active' (use 1 or 0, ja or nein)",
        "staff.csv line 8: missing value for 'email'",
        "staff.csv line 8: missing value for 'last_name'",
    ]


def test_unquoted_decimal_comma_in_a_comma_file_is_reported_as_a_wrong_number_of_values(db, write):
    units = write("units.csv", "code,name,short_name,level,parent_code", "32,Ordnungsamt,OA,amt,")
    staff = write(
        "staff.csv",
        "personnel_number,email,first_name,last_name,unit_code,working_weekdays,weekly_hours,federal_state,leave_entitlement_days",
        "1,a@musterstadt.example,Max,Mustermann,32,1-5,39,0,NW,30",
    )

    report = staff_import(units_file=units, staff_file=staff)

    assert messages(report) == [
        "staff.csv line 2: found 10 values but the header has 9 columns (quote values that contain the delimiter “,”)"
    ]


def test_file_that_is_not_utf8_is_refused(db, write):
    units = write("units.csv", UNITS_HEADER, "20;Kämmerei;;amt;", encoding="cp1252")

    report = staff_import(units_file=units)

    assert messages(report) == ["units.csv line 2: the file is not UTF-8 encoded; export it as “CSV UTF-8”"]


def test_unknown_parent_and_unknown_level_are_reported(db, write):
    units = write("units.csv", UNITS_HEADER, "32;Ordnungsamt;OA;amt;3", "33;Feuerwehr;;amtsbereich;")

    report = staff_import(units_file=units)

    assert messages(report) == [
        "units.csv line 2: parent unit '3' does not exist in the file or the database",
        "units.csv line 3: unknown level 'amtsbereich' (expected one of: dezernat, amt, abteilung, sachgebiet)",
    ]


def test_unit_cycle_is_reported_on_every_line_of_the_cycle(db, write):
    units = write("units.csv", UNITS_HEADER, "1;Eins;;amt;", "A;Alpha;;amt;B", "B;Beta;;amt;A", "C;Selbst;;amt;C")

    report = staff_import(units_file=units)

    assert messages(report) == [
        "units.csv line 3: unit 'A' is its own ancestor: A → B → A",
        "units.csv line 4: unit 'B' is its own ancestor: A → B → A",
        "units.csv line 5: unit 'C' is its own ancestor: C → C",
    ]
    assert OrgUnit.objects.count() == 0


def test_cycle_through_the_database_is_reported(db, write):
    alpha = OrgUnitFactory(code="A")
    OrgUnitFactory(code="B", parent=alpha)
    units = write("units.csv", UNITS_HEADER, "A;Alpha;;amt;B")

    report = staff_import(units_file=units)

    assert messages(report) == ["units.csv line 2: unit 'A' is its own ancestor: A → B → A"]


def test_email_of_an_account_outside_the_file_is_refused(db, write):
    OrgUnitFactory(code="32")
    UserFactory(personnel_number="777", email="max.mustermann@musterstadt.example")
    staff = write("staff.csv", STAFF_HEADER, staff_line("200001"))

    report = staff_import(staff_file=staff)

    assert messages(report) == [
        "staff.csv line 2: email address 'max.mustermann@musterstadt.example' already belongs to another account that is not in this file"
    ]


def test_one_bad_line_among_many_changes_nothing_at_all(db, example_files):
    units, staff = example_files
    staff_import(units_file=units, staff_file=staff)
    before = snapshot()
    replace_in(units, "Kämmerei;;amt;1", "Kämmerei und Steuern;KÄ;amt;3")
    replace_in(units, "32.2;Abteilung Verkehrsüberwachung;VÜ;abteilung;32",
               "32.2;Abteilung Verkehrsüberwachung;VÜ;abteilung;32\n32.3;Abteilung Gewerbe;;abteilung;32")
    lines = [staff_line(str(300000 + n), f"person{n}@musterstadt.example") for n in range(40)]
    lines[25] = staff_line("300025", "person25@musterstadt.example", unit_code="99")
    staff.write_text(staff.read_text(encoding="utf-8").replace("Frank;Müller;20", "Frank;Müller;10") + "\n".join(lines) + "\n",
                     encoding="utf-8")

    report = staff_import(units_file=units, staff_file=staff)

    assert messages(report) == ["staff.csv line 35: unknown unit '99'"]
    assert (report.units.total, report.staff.total) == (0, 0)
    assert OrgUnit.objects.count() == 8
    assert User.objects.count() == 8
    assert snapshot() == before


# The command


def test_command_prints_the_counts(db):
    out = io.StringIO()

    call_command("import_staff", "--units", EXAMPLE / "units.csv", "--staff", EXAMPLE / "staff.csv", stdout=out)

    assert "Units: 8 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "Staff: 8 created, 0 updated, 0 unchanged" in out.getvalue()
    assert User.objects.count() == 8


def test_command_dry_run_says_so_and_writes_nothing(db):
    out = io.StringIO()

    call_command("import_staff", "--units", str(EXAMPLE / "units.csv"), "--dry-run", stdout=out)

    assert "Dry run" in out.getvalue()
    assert "Units: 8 created" in out.getvalue()
    assert OrgUnit.objects.count() == 0


def test_command_fails_with_every_bad_line_number_in_its_output(db, write):
    units = write("units.csv", UNITS_HEADER, "32;Ordnungsamt;OA;amt;")
    staff = write(
        "staff.csv", STAFF_HEADER,
        staff_line("1", "a@musterstadt.example"),
        staff_line("2", "b@musterstadt.example", unit_code="99"),
        staff_line("3", "kein-email"),
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problems found; nothing was imported"):
        call_command("import_staff", "--units", str(units), "--staff", str(staff), stderr=err)

    assert "staff.csv line 3: unknown unit '99'" in err.getvalue()
    assert "staff.csv line 4: invalid email address 'kein-email'" in err.getvalue()
    assert OrgUnit.objects.count() == 0
    assert User.objects.count() == 0


def test_command_without_a_file_fails(db):
    with pytest.raises(CommandError, match="at least one file"):
        call_command("import_staff")


def test_command_reports_a_missing_file(db, tmp_path):
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_staff", "--units", str(tmp_path / "nowhere.csv"), stderr=err)

    assert "nowhere.csv: cannot read the file" in err.getvalue()


# Names that would break e-mails or mislead readers

@pytest.mark.parametrize(("first_name", "code"), [
    ('"Max\r\nBcc: everyone@musterstadt.example"', 0x0D),  # a quoted line break: the CSV reader keeps it
    ("Max\u202enamrum", 0x202E),  # right-to-left override: shows a reversed name
    ("Max\u200bine", 0x200B),  # zero-width space
    ("Max\tine", 0x09),
])
def test_control_and_invisible_characters_in_a_name_are_refused_at_the_line(db, write, first_name, code):
    OrgUnitFactory(code="32", name="Ordnungsamt")
    staff = write("staff.csv", STAFF_HEADER, staff_line(first_name=first_name))

    report = staff_import(staff_file=staff)

    assert [f"staff.csv line 2: the value for 'first_name' contains a control or invisible formatting character "
            f"(U+{code:04X}); remove it"] == messages(report)
    assert not User.objects.filter(personnel_number="200001").exists()


@pytest.mark.parametrize("last_name", ["<script>alert(1)</script>", "Muster<b>mann</b>", "Mustermann >"])
def test_markup_in_a_name_is_refused_at_the_line(db, write, last_name):
    OrgUnitFactory(code="32", name="Ordnungsamt")
    staff = write("staff.csv", STAFF_HEADER, staff_line(last_name=last_name))

    report = staff_import(staff_file=staff)

    assert messages(report) == ["staff.csv line 2: the value for 'last_name' contains the markup characters < or >; remove them"]
    assert not User.objects.filter(personnel_number="200001").exists()


def test_a_unit_name_with_a_line_break_is_refused(db, write):
    units = write("units.csv", "code;name;level;parent_code", '32;"Ordnungs\namt";amt;')

    report = staff_import(units_file=units)

    assert messages(report) == ["units.csv line 2: the value for 'name' contains a control or invisible formatting character "
                                "(U+000A); remove it"]
    assert not OrgUnit.objects.filter(code="32").exists()
