"""The city of the scale benchmark: 100,000 staff in 2,000 units, their responsibilities, delegations and requests.

Everything is written with PostgreSQL's COPY (psycopg's `cursor.copy`), in the shapes the portal itself writes:
the organisation tree as treebeard's materialised paths (steplen 4), responsibilities as guardian object
permissions on the units, delegations and out-of-office substitutes as services.delegation and the user
profile hold them, and requests of every kind and state with their typed detail rows and their events.
The random generator is seeded, so two runs build the same city.

`build_city()` writes the people once; `add_requests(first_id, count)` appends requests, so the benchmark
builds the small size, copies that database, and grows the original to the large size.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
DECIDE = ("decide_leave", "decide_remote_work", "decide_vpn_access", "decide_equipment_loan")
FIRST_NAMES = ("Anna", "Bernd", "Clara", "Deniz", "Emil", "Fatma", "Gregor", "Hanna", "Ilse", "Jonas", "Katrin", "Lukas",
               "Mia", "Noah", "Olga", "Paul", "Rita", "Sven", "Tanja", "Uwe", "Vera", "Wolf", "Yusuf", "Zoe")
LAST_NAMES = ("Schmidt", "Keller", "Yılmaz", "Becker", "Hoffmann", "Wagner", "Schulz", "Koch", "Richter", "Klein", "Wolf",
              "Neumann", "Schwarz", "Braun", "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner", "Lehmann", "Nowak")

# Kind → its approval steps (the permission of each step), as the kinds register them.
KIND_STEPS = {
    "leave": ("decide_leave",),
    "leave_cancellation": ("decide_leave",),
    "remote_work": ("decide_remote_work", "review_personnel"),
    "vpn_access": ("decide_vpn_access", "review_it_security"),
    "equipment_loan": ("decide_equipment_loan", "review_it_service_desk"),
    "generic": ("decide_equipment_loan",),
}
KIND_WEIGHTS = {"leave": 55, "leave_cancellation": 3, "remote_work": 12, "vpn_access": 12, "equipment_loan": 10, "generic": 8}
# About one request in ten is waiting for a decision: a city that decides within weeks, not days.
STATUS_WEIGHTS = {"approved": 64, "rejected": 5, "withdrawn": 5, "cancelled": 2, "draft": 3, "submitted": 14,
                  "awaiting_substitute": 1, "changes_requested": 2}


def path_step(number: int) -> str:
    """Treebeard's encoding of one step of a materialised path (base 36, four characters)."""
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


@dataclass
class Unit:
    id: int
    path: str
    code: str
    level: str
    parent: Unit | None = None
    head: int = 0
    deputy: int = 0
    members: list[int] = field(default_factory=list)
    numchild: int = 0

    @property
    def depth(self) -> int:
        return len(self.path) // STEPLEN


@dataclass
class City:
    units: list[Unit]
    unit_of: dict[int, Unit]  # person id → unit
    staff: list[int]  # everyone who files requests
    personas: dict[str, int]
    leave_types: dict[str, int]
    occasion_id: int


def _copy(table: str, columns: tuple[str, ...], rows) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _set_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        # The table names are this module's own constants, never input.
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608


def build_units() -> list[Unit]:
    """The city → 10 departments → 10 offices each → 18 or 19 teams each: 2,000 units."""
    units: list[Unit] = []
    root = Unit(1, path_step(1), "STADT", "dezernat")
    units.append(root)
    team_total = 2000 - 1 - 10 - 100
    offices: list[Unit] = []
    for department_number in range(1, 11):
        department = Unit(len(units) + 1, root.path + path_step(department_number), f"D{department_number:02d}", "dezernat", root)
        units.append(department)
        for office_number in range(1, 11):
            office = Unit(len(units) + 1, department.path + path_step(office_number),
                          f"A{department_number:02d}{office_number:02d}", "amt", department)
            units.append(office)
            offices.append(office)
    for index, office in enumerate(offices):
        teams = team_total // len(offices) + (1 if index < team_total % len(offices) else 0)
        for team_number in range(1, teams + 1):
            units.append(Unit(len(units) + 1, office.path + path_step(team_number), f"{office.code}-{team_number:02d}", "abteilung",
                              office))
    for unit in units:
        if unit.parent is not None:
            unit.parent.numchild += 1
    return units


def build_city(*, staff_count: int = 100_000, seed: int = 14) -> City:
    from django.contrib.auth.models import Group, Permission

    from services.leave.models import LeaveOccasion, LeaveType

    rng = random.Random(seed)
    now = timezone.now()
    units = build_units()
    _copy("portal_orgunit", ("id", "path", "depth", "numchild", "code", "name", "short_name", "level"),
          ((u.id, u.path, u.depth, u.numchild, u.code, f"Einheit {u.code}", u.code, u.level) for u in units))
    _set_sequence("portal_orgunit")

    # People: one administrator, a head and a deputy in every unit, the rest spread over the units (most in teams).
    unit_of: dict[int, Unit] = {}
    next_id = 2
    for unit in units:
        unit.head, unit.deputy = next_id, next_id + 1
        unit.members += [next_id, next_id + 1]
        next_id += 2
    teams = [unit for unit in units if unit.level == "abteilung"]
    upper = [unit for unit in units if unit.level != "abteilung"]
    for unit in upper:
        for _ in range(8):
            unit.members.append(next_id)
            next_id += 1
    while next_id <= staff_count:
        rng.choice(teams).members.append(next_id)
        next_id += 1
    for unit in units:
        for person in unit.members:
            unit_of[person] = unit

    def person_row(person: int, unit: Unit | None, substitute: int | None, *, superuser: bool = False):
        first, last = FIRST_NAMES[person % len(FIRST_NAMES)], LAST_NAMES[(person // 7) % len(LAST_NAMES)]
        return ("!unusable", None, superuser, first, last, superuser, True, now, f"person{person}@musterstadt.example",
                f"P{person:07d}", "[1, 2, 3, 4, 5]", "39.00", "NW", "30", "de", unit.id if unit else None, substitute,
                None, None, "0", person)

    def people():
        yield person_row(1, None, None, superuser=True)
        for person in range(2, staff_count + 1):
            unit = unit_of[person]
            substitute = unit.deputy if person == unit.head else (unit.head if person == unit.deputy else None)
            yield person_row(person, unit, substitute)

    _copy("portal_user", ("password", "last_login", "is_superuser", "first_name", "last_name", "is_staff", "is_active",
                          "date_joined", "email", "personnel_number", "working_weekdays", "weekly_hours", "federal_state",
                          "leave_entitlement_days", "preferred_language", "unit_id", "out_of_office_substitute_id",
                          "employment_end", "employment_start", "extra_leave_days", "id"), people())
    _set_sequence("portal_user")

    # Responsibilities: every head decides the four kinds for their unit and below; HR and IT review city-wide as groups.
    permission_ids = dict(Permission.objects.filter(content_type__app_label="portal", content_type__model="orgunit")
                          .values_list("codename", "id"))
    grants = [(unit.id, permission_ids[codename], unit.head) for unit in units for codename in DECIDE]
    _copy("portal_orgunituserpermission", ("content_object_id", "permission_id", "user_id"), grants)
    root = units[0]
    for index, codename in enumerate(("review_personnel", "review_it_security", "review_it_service_desk")):
        group = Group.objects.create(name=f"Prüfung {codename}")
        group.user_set.add(*root.members[2 + index * 2: 4 + index * 2])
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO portal_orgunitgrouppermission (content_object_id, group_id, permission_id) VALUES (%s, %s, %s)",
                           [root.id, group.id, permission_ids[codename]])

    department, office = units[1], units[2]
    team = next(unit for unit in units if unit.parent is office)
    personas = {
        "department head": department.head,
        "office head": office.head,
        "delegate": department.deputy,
        "staff member": team.members[2],
        "administrator": 1,
    }

    # Delegations: the department head's deputy decides for the whole department this month (the delegate persona);
    # a hundred other heads have delegated to their deputies now, others did so in the past or revoked it.
    def delegations():
        yield (department.head, department.deputy, department.id, json.dumps(list(DECIDE)), now - datetime.timedelta(days=3),
               now + datetime.timedelta(days=27), "Vertretung während der Haushaltsberatungen", False, now, None)
        for unit in rng.sample(units[3:], 300):
            kind = rng.random()
            if kind < 0.34:
                starts, ends, revoked = now - datetime.timedelta(days=2), now + datetime.timedelta(days=12), None
            elif kind < 0.8:
                starts, ends, revoked = now - datetime.timedelta(days=90), now - datetime.timedelta(days=60), None
            else:
                starts, ends, revoked = now - datetime.timedelta(days=5), now + datetime.timedelta(days=5), now - datetime.timedelta(days=1)
            yield (unit.head, unit.deputy, unit.id, json.dumps(["decide_leave"]), starts, ends, "Urlaubsvertretung", False, starts,
                   revoked)

    _copy("services_delegation", ("delegator_id", "delegate_id", "unit_id", "permissions", "starts_at", "ends_at", "reason",
                                  "allow_redelegation", "created_at", "revoked_at"), delegations())

    leave_types = dict(LeaveType.objects.values_list("code", "id"))
    occasion = LeaveOccasion.objects.order_by("pk").first()
    staff = [person for person in range(2, staff_count + 1)]
    return City(units, unit_of, staff, personas, leave_types, occasion.pk if occasion else None)


REQUEST_COLUMNS = ("id", "reference", "kind", "status", "current_step", "draft_data", "extra_answers", "created_at", "updated_at",
                   "submitted_at", "decided_at", "applicant_id", "service_page_id", "unit_id", "step_permission", "unassigned",
                   "step_plan")
EVENT_COLUMNS = ("action", "from_status", "to_status", "step", "comment", "created_at", "actor_id", "on_behalf_of_id",
                 "request_id", "delegation_id", "authority")
DETAIL_COLUMNS = {
    "leave": ("services_leaverequest", ("request_id", "start_date", "end_date", "half_day_start", "half_day_end", "note",
                                        "working_days", "substitute_id", "leave_type_id", "occasion_id")),
    "leave_cancellation": ("services_leavecancellation", ("request_id", "from_date", "reason", "original_id")),
    "remote_work": ("services_remoteworkrequest", ("request_id", "variant", "weekdays", "share_percent", "start_date", "end_date",
                                                   "reachable_from", "reachable_until", "confirms_data_protection",
                                                   "confirms_ergonomics", "equipment")),
    "vpn_access": ("services_vpnaccessrequest", ("request_id", "device", "reason", "start_date", "end_date", "systems",
                                                 "confirms_private_device_rules")),
    "equipment_loan": ("services_equipmentloanrequest", ("request_id", "items", "start_date", "end_date", "confirms_address",
                                                         "note")),
    "generic": ("services_genericrequest", ("request_id", "subject")),
}
CHUNK = 50_000
EIGHT, FOUR = datetime.time(8, 0), datetime.time(16, 0)


def _weekdays_between(start: datetime.date, end: datetime.date) -> int:
    return sum(1 for offset in range((end - start).days + 1) if (start + datetime.timedelta(days=offset)).isoweekday() <= 5)


def add_requests(city: City, *, first_id: int, count: int, seed: int, own_requests: int = 0) -> int:
    """Append `count` requests (ids from `first_id`) with their detail rows and events; returns the next free id.

    `own_requests` extra requests are filed by each persona, so their own lists are never empty at the small size.
    """
    rng = random.Random(seed)
    now = timezone.now()
    kinds, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)
    statuses, status_weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    applicants = rng.choices(city.staff, k=count)
    for persona in ("department head", "office head", "delegate", "staff member"):
        applicants[:0] = [city.personas[persona]] * own_requests
    count = len(applicants)
    requests, events = [], []
    details = {kind: [] for kind in DETAIL_COLUMNS}

    def flush() -> None:
        _copy("services_servicerequest", REQUEST_COLUMNS, requests)
        for kind, rows in details.items():
            table, columns = DETAIL_COLUMNS[kind]
            _copy(table, columns, rows)
            rows.clear()
        _copy("services_requestevent", EVENT_COLUMNS, events)
        requests.clear()
        events.clear()

    approved_leave: dict[int, int] = {}  # applicant → an approved leave request, for cancellations
    leave_types = [city.leave_types[code] for code in ("annual", "annual", "annual", "flexitime", "special", "occasion")]
    confirming = {city.leave_types["annual"], city.leave_types["flexitime"]}
    for offset, applicant in enumerate(applicants):
        if len(requests) >= CHUNK:
            flush()
        pk = first_id + offset
        unit = city.unit_of[applicant]
        kind = rng.choices(kinds, kind_weights)[0]
        status = rng.choices(statuses, status_weights)[0]
        if kind == "leave_cancellation" and applicant not in approved_leave:
            kind = "leave"
        if status == "cancelled" and kind != "leave":
            status = "approved"
        steps = KIND_STEPS[kind]
        pending = status in ("submitted", "awaiting_substitute", "changes_requested")
        # What waits was filed in the last two months; what is settled, over the last three years.
        age = datetime.timedelta(minutes=rng.randrange(60, 60 * 24 * (60 if pending else 3 * 365)))
        created = now - age - datetime.timedelta(minutes=rng.randrange(1, 30))
        submitted = None if status == "draft" else now - age
        step = 1
        if status == "submitted" and len(steps) > 1 and rng.random() < 0.3:
            status, step = "in_review", 2
        decided = None
        if status in ("approved", "rejected", "cancelled"):
            decided = submitted + datetime.timedelta(hours=rng.randrange(1, 24 * 10))
        step_permission = steps[step - 1] if status in ("submitted", "in_review") else ""
        current_step = {"draft": 0, "withdrawn": 0}.get(status, step if status in ("submitted", "in_review") else len(steps))
        decider = unit.head if applicant != unit.head else (unit.parent.head if unit.parent else unit.deputy)
        reference = f"KD-{created:%Y}-{pk:06d}"
        requests.append((pk, reference, kind, status, current_step, "{}" if status != "draft" else '{"note": "Entwurf"}', "{}",
                         created, decided or submitted or created, submitted, decided, applicant, None, unit.id, step_permission,
                         False, '["decide_equipment_loan"]' if kind == "generic" else "[]"))
        if status == "draft":
            continue
        start = (submitted + datetime.timedelta(days=rng.randrange(3, 60))).date()
        if kind == "leave":
            length = rng.choice((1, 1, 2, 3, 5, 5, 10, 15))
            end = start + datetime.timedelta(days=length - 1)
            leave_type = rng.choice(leave_types)
            substitute = unit.members[(unit.members.index(applicant) + 1) % len(unit.members)] if rng.random() < 0.4 else None
            if status == "awaiting_substitute":
                leave_type, substitute = city.leave_types["annual"], substitute or unit.deputy
                if substitute == applicant:
                    substitute = unit.head
            elif substitute is not None and leave_type in confirming and status == "submitted":
                pass  # confirmed already: the events below record it
            details["leave"].append((pk, start, end, False, False, "", max(_weekdays_between(start, end), 1), substitute, leave_type,
                                     city.occasion_id if leave_type == city.leave_types["occasion"] else None))
            if status == "approved":
                approved_leave[applicant] = pk
        elif kind == "leave_cancellation":
            details["leave_cancellation"].append((pk, None, "Termin entfallen", approved_leave.pop(applicant)))
        elif kind == "remote_work":
            details["remote_work"].append((pk, "regular", "[2, 4]", None, start, None, EIGHT, FOUR, True, True, '["laptop"]'))
        elif kind == "vpn_access":
            details["vpn_access"].append((pk, "municipal", "Bereitschaftsdienst", start, start + datetime.timedelta(days=180),
                                          '["email", "file_shares"]', False))
        elif kind == "equipment_loan":
            details["equipment_loan"].append((pk, '["monitor", "headset"]', start, start + datetime.timedelta(days=90), True, ""))
        else:
            details["generic"].append((pk, "Parkausweis für das Rathaus"))
        first_status = "awaiting_substitute" if status == "awaiting_substitute" else "submitted"
        events.append(("submitted", "draft", first_status, 0, "", submitted, applicant, None, pk, None, ""))
        if status == "in_review":
            events.append(("step_approved", "submitted", "in_review", 1, "", submitted + datetime.timedelta(hours=2), decider, None, pk,
                           None, "own"))
        elif status in ("approved", "rejected", "cancelled"):
            if len(steps) > 1:
                events.append(("step_approved", "submitted", "in_review", 1, "", submitted + datetime.timedelta(minutes=30), decider,
                               None, pk, None, "own"))
            action = "rejected" if status == "rejected" else "approved"
            events.append((action, "submitted", "rejected" if status == "rejected" else "approved", len(steps), "", decided, decider,
                           None, pk, None, "own"))
            if status == "cancelled":
                events.append(("cancelled", "approved", "cancelled", len(steps), "", decided + datetime.timedelta(days=1), decider,
                               None, pk, None, "own"))
        elif status == "withdrawn":
            events.append(("withdrawn", "submitted", "withdrawn", 0, "", submitted + datetime.timedelta(hours=5), applicant, None, pk,
                           None, ""))
        elif status == "changes_requested":
            events.append(("changes_requested", "submitted", "changes_requested", 1, "Bitte Zeitraum prüfen",
                           submitted + datetime.timedelta(hours=3), decider, None, pk, None, "own"))
    flush()
    _set_sequence("services_servicerequest")
    return first_id + count
