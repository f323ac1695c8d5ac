"""The HR import's responsibility column: `services.delegation.hr_import.staff_import` grants what the staff file lists."""

from portal.models import OrgUnit, User
from services.delegation.hr_import import staff_import
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal import test_import_staff
from tests.portal.test_import_staff import messages, snapshot, staff_line

# The fixtures of the import's other tests in tests/portal/test_import_staff.py, shared rather than copied.
english = test_import_staff.english
write = test_import_staff.write

STAFF_HEADER_WITH_RESPONSIBILITIES = (
    "personnel_number;email;first_name;last_name;unit_code;working_weekdays;weekly_hours;federal_state;"
    "leave_entitlement_days;active;responsibilities"
)


def test_responsibilities_column_grants_them_once_and_records_the_operator(db, write):
    from services.models import AuditAction, AuditEvent
    from services.permissions import held_grants

    root = OrgUnitFactory(code="STADT", name="Stadt")
    OrgUnitFactory(parent=root, code="32", name="Ordnungsamt")
    operator = UserFactory(is_superuser=True, unit=root)
    staff = write("staff.csv", STAFF_HEADER_WITH_RESPONSIBILITIES,
                  staff_line() + ";decide_leave,decide_vpn_access@32 | review_it_security@STADT")

    first = staff_import(staff_file=staff, operator=operator)
    again = staff_import(staff_file=staff, operator=operator)

    max_ = User.objects.get(email="max.mustermann@musterstadt.example")
    assert {(grant.permission, grant.unit_path) for grant in held_grants(max_)} == {
        ("decide_leave", OrgUnit.objects.get(code="32").path), ("decide_vpn_access", OrgUnit.objects.get(code="32").path),
        ("review_it_security", root.path)}
    assert (first.responsibilities_granted, again.responsibilities_granted) == (3, 0)
    assert AuditEvent.objects.filter(action=AuditAction.GRANTED, actor=operator).count() == 3


def test_unknown_responsibility_or_unit_refuses_the_whole_file(db, write):
    root = OrgUnitFactory(code="STADT", name="Stadt")
    OrgUnitFactory(parent=root, code="32", name="Ordnungsamt")
    UserFactory(is_superuser=True, unit=root)
    staff = write("staff.csv", STAFF_HEADER_WITH_RESPONSIBILITIES,
                  staff_line() + ";approve_everything@32",
                  staff_line(personnel_number="200002", email="erika@musterstadt.example") + ";decide_leave@99")
    before = snapshot()

    report = staff_import(staff_file=staff)

    assert snapshot() == before
    assert any("line 2: unknown responsibility 'approve_everything'" in text for text in messages(report))
    assert any("line 3: unknown unit '99' in responsibilities" in text for text in messages(report))
