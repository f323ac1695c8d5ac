"""Musterstadt's responsibilities, delegations and demo requests, and the leave stories of "Leave that adds up".

Every demo request goes through `services.workflow`, so that each one carries the events a real
request would have; its form data is checked by the same form that checks what staff enter. Dates are
relative to today so that the demo stays current.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.easter import easter
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Model
from django.utils import timezone

from home import editorial
from home.demo.content import ACCESSIBILITY_FEEDBACK_RESPONSIBILITY, ACCESSIBILITY_FEEDBACK_SLUG, SERVICE_PAGES
from home.demo.people import DEMO_LOGINS, EMAIL_DOMAIN
from home.models import ServicePage
from portal.models import OrgUnit, OrgUnitGroupPermission, User
from services import workflow
from services.delegation import services as delegation_services
from services.kinds import registry
from services.leave import cancellation as leave_cancellation
from services.leave import days as leave_days
from services.leave.models import LeaveOccasion, LeaveRequest, LeaveType, MunicipalDayOff
from services.models import RequestStatus, ServiceRequest
from services.permissions import entitled_users, held_grants
from services.questions import QuestionForm, page_questions


class DemoDataError(Exception):
    """The demo data itself is wrong (e.g. a demo request fails the kind's validation): a bug in this module."""


# --- The city's days off ------------------------------------------------------------------------


def municipal_days_off(year: int) -> list[tuple[datetime.date, str, bool]]:
    """Musterstadt's own days off: Rosenmontag (48 days before Easter Sunday), and 24 and 31 December as half days."""
    return [
        (easter(year) - datetime.timedelta(days=48), "Rosenmontag", False),
        (datetime.date(year, 12, 24), "Heiligabend (ab 12 Uhr dienstfrei)", True),
        (datetime.date(year, 12, 31), "Silvester (ab 12 Uhr dienstfrei)", True),
    ]


def seed_municipal_days_off(*, today: datetime.date) -> int:
    """The city's days off for the current and the next year; existing dates are left as the administrators set them."""
    created = 0
    for year in (today.year, today.year + 1):
        for day, name, half_day in municipal_days_off(year):
            created += MunicipalDayOff.objects.get_or_create(date=day, defaults={"name": name, "half_day": half_day})[1]
    return created


# --- Requests -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What happens to a demo request after it was filed: a decision, a withdrawal or a resubmission."""

    action: str  # "approve", "reject", "request_changes" (by the approver), "withdraw", "resubmit" (by the applicant)
    comment: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoRequest:
    """One demo request: who files it, of which kind, with which form data, and what happens next."""

    applicant: User
    kind: str
    data: dict[str, Any]
    steps: tuple[Step, ...] = ()
    draft: bool = False
    answers: dict[str, Any] = field(default_factory=dict)  # the page's extra questions, by their (German) label
    page: str = ""  # the slug of the service page it is filed on; empty: the first demo page of its kind


def seed_responsibilities(units: dict[str, OrgUnit], *, today: datetime.date) -> None:
    """Who decides what in Musterstadt; skipped when Bernd Keller already holds his responsibilities.

    The Wagtail group "Editors" handles accessibility feedback (barrier reports) for the whole city;
    that grant is checked on its own, so that an earlier demo city gets it too.

    Bernd Keller holds every kind for the Ordnungsamt and delegates leave decisions to Clara Wolf for
    the current month; Deniz Yilmaz reviews VPN access for the whole city as IT security; the first
    people of the Personalamt and the IT service desk hold the second steps of remote work and
    equipment loans for the whole city.
    """
    admin = User.objects.get(email=f"admin@{EMAIL_DOMAIN}")
    city = units["STADT"]
    grant = delegation_services.responsibility_grant
    # Barrier reports (the accessibility statement's feedback form) go to the editors, for the whole city.
    editors = Group.objects.get(name=editorial.EDITORS_GROUP)
    if not OrgUnitGroupPermission.objects.filter(group=editors, content_object=city,
                                                 permission__codename=ACCESSIBILITY_FEEDBACK_RESPONSIBILITY).exists():
        grant(actor=admin, holder=editors, unit=city, codenames=[ACCESSIBILITY_FEEDBACK_RESPONSIBILITY])
    bernd = User.objects.get(email=f"bernd.keller@{EMAIL_DOMAIN}")
    if held_grants(bernd):
        return
    grant(actor=admin, holder=bernd, unit=units["32"],
          codenames=["decide_leave", "decide_remote_work", "decide_vpn_access", "decide_equipment_loan"])
    grant(actor=admin, holder=User.objects.get(email=f"deniz.yilmaz@{EMAIL_DOMAIN}"), unit=city, codenames=["review_it_security"])
    hr = User.objects.filter(unit__code="11").order_by("personnel_number").first()
    service_desk = User.objects.filter(unit__path__startswith=units["12"].path).exclude(
        email=f"deniz.yilmaz@{EMAIL_DOMAIN}").order_by("personnel_number").first()
    grant(actor=admin, holder=hr, unit=city, codenames=["review_personnel"])
    grant(actor=admin, holder=service_desk, unit=city, codenames=["review_it_service_desk"])
    month_start = today.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    delegation_services.delegation_create(
        delegator=bernd, delegate=User.objects.get(email=f"clara.wolf@{EMAIL_DOMAIN}"), unit=units["32"],
        codenames=["decide_leave"], reason="Urlaubsanträge im Ordnungsamt während der Haushaltsberatungen",
        starts_at=datetime.datetime.combine(month_start, datetime.time.min, tzinfo=zone),
        ends_at=datetime.datetime.combine(next_month, datetime.time.min, tzinfo=zone),
    )


def seed_requests(*, service_pages: dict[str, ServicePage], today: datetime.date) -> int:
    """Requests in every state the workflow can reach, unless Anna Schmidt already has requests."""
    anna = User.objects.get(email=f"anna.schmidt@{EMAIL_DOMAIN}")
    if ServiceRequest.objects.filter(applicant=anna).exists():
        return 0
    approver = User.objects.get(email=f"bernd.keller@{EMAIL_DOMAIN}")
    scenarios = demo_requests(today=today)
    first_page_of_kind: dict[str, ServicePage] = {}
    for content in SERVICE_PAGES:
        first_page_of_kind.setdefault(content.kind, service_pages[content.slug])
    for scenario in scenarios:
        service_page = service_pages[scenario.page] if scenario.page else first_page_of_kind[scenario.kind]
        _play(scenario, approver=approver, service_page=service_page)
    return len(scenarios)


def _week(today: datetime.date, weeks_ahead: int, weekday: int = 1) -> datetime.date:
    """The given ISO weekday in the week `weeks_ahead` weeks after the current one."""
    monday = today - datetime.timedelta(days=today.weekday())
    return monday + datetime.timedelta(weeks=weeks_ahead, days=weekday - 1)


def _next_working_day(person: User, day: datetime.date) -> datetime.date:
    """`day`, or the next day on which `person` works (not a weekend, public holiday or municipal day off)."""
    while leave_days.working_days(employee=person, start=day, end=day) < 1:
        day += datetime.timedelta(days=1)
    return day


def _staff_of(unit_code: str, count: int) -> list[User]:
    """The first generated staff of a unit and the units below it (the named logins excluded)."""
    unit = OrgUnit.objects.get(code=unit_code)
    return list(
        User.objects.filter(unit__path__startswith=unit.path)
        .exclude(email__in=[login.email for login in DEMO_LOGINS])
        .order_by("personnel_number")[:count]
    )


def demo_requests(*, today: datetime.date) -> list[DemoRequest]:
    """The demo scenarios; Bernd Keller decides those of the Ordnungsamt, the others wait for a decision."""
    people = {login.email.split("@")[0]: User.objects.get(email=login.email) for login in DEMO_LOGINS}
    anna, bernd, clara, deniz = people["anna.schmidt"], people["bernd.keller"], people["clara.wolf"], people["deniz.yilmaz"]

    def iso(date: datetime.date) -> str:
        return date.isoformat()

    leave_types = {leave_type.code: leave_type.pk for leave_type in LeaveType.objects.all()}
    occasions = {occasion.code: occasion.pk for occasion in LeaveOccasion.objects.all()}

    def leave(leave_type: str, start: datetime.date, end: datetime.date, *, substitute: User | None = None,
              note: str = "", occasion: str = "", person: User | None = None) -> dict[str, Any]:
        """Form data as the leave form sends it (the type's and occasion's ids); a single day moves to the person's next working day."""
        if person is not None and start == end:
            start = end = _next_working_day(person, start)
        return {"leave_type": leave_types[leave_type], "occasion": occasions[occasion] if occasion else "",
                "start_date": iso(start), "end_date": iso(end), "substitute": substitute.email if substitute else "", "note": note}

    def remote_work(*, weekdays: list[int] | None = None, share: int | None = None, months: int = 12,
                    start_week: int = 2) -> dict[str, Any]:
        start = _week(today, start_week)
        return {"variant": "regular" if weekdays else "occasional", "weekdays": weekdays or [],
                "share_percent": share if share is not None else "", "start_date": iso(start),
                "end_date": iso(start + datetime.timedelta(days=30 * months)), "reachable_from": "09:00",
                "reachable_until": "15:00", "equipment": ["headset"], "confirms_data_protection": True,
                "confirms_ergonomics": True}

    def vpn(device: str, systems: list[str], reason: str) -> dict[str, Any]:
        start = _week(today, 1)
        return {"device": device, "reason": reason, "start_date": iso(start),
                "end_date": iso(start + datetime.timedelta(days=364)), "systems": systems,
                "confirms_private_device_rules": device == "private"}

    def equipment(items: list[str], weeks: int, note: str = "") -> dict[str, Any]:
        start = _week(today, 1)
        return {"items": items, "start_date": iso(start), "end_date": iso(start + datetime.timedelta(weeks=weeks)),
                "confirms_address": True, "note": note}

    approve = Step("approve", "Genehmigt.")
    scenarios = [
        # Anna Schmidt: one request in every state, of all four kinds.
        DemoRequest(anna, "leave", leave("annual", _week(today, 10), _week(today, 11, 5), substitute=clara,
                                         note="Noch mit dem Team abzustimmen."), draft=True),
        DemoRequest(anna, "leave", leave("annual", _week(today, 3), _week(today, 3, 5), substitute=clara)),
        DemoRequest(anna, "leave", leave("flexitime", _week(today, 1, 5), _week(today, 1, 5), person=anna),
                    steps=(Step("approve", "Genehmigt, die Vertretung ist geklärt."),)),
        DemoRequest(anna, "leave", leave("occasion", _week(today, 5, 4), _week(today, 5, 4), note="Umzug", occasion="relocation",
                                         person=anna),
                    steps=(Step("withdraw", "Der Umzugstermin hat sich verschoben."),)),
        DemoRequest(anna, "remote_work", remote_work(weekdays=[2, 4]), steps=(
            Step("request_changes", "Dienstags ist Sprechtag im Ordnungsamt. Bitte wählen Sie statt Dienstag den Mittwoch."),
        )),
        DemoRequest(anna, "vpn_access", vpn("private", ["email", "specialist"], "Mobiles Arbeiten an zwei Tagen pro Woche."),
                    steps=(
                        Step("request_changes", "Fachverfahren dürfen nur von Dienstgeräten aus genutzt werden."
                                                " Bitte wählen Sie Ihr Dienstnotebook."),
                        Step("resubmit", "Umgestellt auf das Dienstnotebook.", {"device": "municipal",
                                                                                 "confirms_private_device_rules": False}),
                        Step("approve", "Genehmigt. Der IT-Service richtet den Zugang ein."),
                    )),
        DemoRequest(anna, "equipment_loan", equipment(["monitor", "docking_station"], 26, "Ein Monitor mit 27 Zoll wäre ideal."),
                    steps=(Step("reject", "Zurzeit sind keine Monitore zum Verleih verfügbar. Bitte beantragen Sie ihn"
                                          " im nächsten Quartal erneut."),)),
        # Her colleague and her head of office.
        DemoRequest(clara, "leave", leave("annual", _week(today, 1), _week(today, 1, 3), substitute=anna), steps=(approve,)),
        DemoRequest(clara, "remote_work", remote_work(share=20, months=6)),
        DemoRequest(bernd, "leave", leave("annual", _week(today, 6), _week(today, 7, 5), substitute=anna,
                                          note="Vertretung in der Amtsleitung: Frau Schmidt.")),
    ]
    ordnungsamt_staff = _staff_of("32", 5)
    if len(ordnungsamt_staff) == 5:
        first, second, third, fourth, fifth = ordnungsamt_staff
        scenarios += [
            DemoRequest(first, "leave", leave("annual", _week(today, 4), _week(today, 5, 5))),
            DemoRequest(second, "equipment_loan", equipment(["headset", "webcam"], 52)),
            DemoRequest(third, "vpn_access", vpn("municipal", ["email", "file_shares", "dms"], "Rufbereitschaft am Wochenende.")),
            DemoRequest(fourth, "leave", leave("annual", _week(today, 8), _week(today, 8, 5)), steps=(
                Step("reject", "In dieser Woche ist Stadtfest; der Kommunale Ordnungsdienst braucht alle Kräfte."
                               " Bitte wählen Sie eine andere Woche."),
            )),
            DemoRequest(fifth, "remote_work", remote_work(share=40), steps=(Step("withdraw"),)),
            DemoRequest(second, "leave", leave("special", _week(today, 2, 3), _week(today, 2, 3), note="Hochzeit der Tochter",
                                                         person=second),
                        steps=(approve,)),
        ]
    # Elsewhere in the city: requests that wait for their own office's approvers.
    for unit_code, kind, data in (
        ("33", "leave", leave("annual", _week(today, 2), _week(today, 2, 5))),
        ("37", "remote_work", remote_work(weekdays=[5], months=24)),
        ("12", "equipment_loan", equipment(["laptop"], 8, "Für die Schulung neuer Kolleginnen und Kollegen.")),
    ):
        for applicant in _staff_of(unit_code, 1):
            scenarios.append(DemoRequest(applicant, kind, data))
    scenarios.append(DemoRequest(deniz, "vpn_access", vpn("municipal", ["email", "file_shares", "intranet"],
                                                           "Rufbereitschaft für Sicherheitsvorfälle.")))
    # A service the editors built from extra questions alone ("Dienstfahrrad ausleihen"), waiting for Bernd Keller.
    scenarios.append(DemoRequest(anna, "generic", {"subject": "Pedelec für Kontrollen auf dem Wochenmarkt"},
                                 page="dienstfahrrad-ausleihen", answers={
        "Ab wann brauchen Sie das Rad?": iso(_week(today, 1, 2)), "Bis wann brauchen Sie das Rad?": iso(_week(today, 1, 4)),
        "Welches Rad?": "Pedelec", "Haben Sie eine Einweisung für Pedelecs erhalten?": "yes",
    }))
    # A barrier report from the accessibility statement's form, waiting for the editors (Eva Berg, Frank Otto).
    scenarios.append(DemoRequest(anna, "generic", {"subject": "Datumsfelder ohne Maus nicht bedienbar"},
                                 page=ACCESSIBILITY_FEEDBACK_SLUG, answers={
        "Auf welcher Seite oder bei welchem Dienst?": "Urlaub beantragen",
        "Was ist passiert?": "Im Feld „Erster Urlaubstag“ öffnet sich ein Kalender, den ich mit der Tastatur nicht verlassen kann.",
        "Welche Hilfsmittel nutzen Sie?": "NVDA 2025.1 mit Firefox",
        "Dürfen wir Sie für Rückfragen kontaktieren?": "yes",
    }))
    return scenarios


def _details(kind_slug: str, applicant: User, data: dict[str, Any], instance: Model | None = None) -> Model:
    """The kind's typed details, checked by the same form that checks what staff enter."""
    form = registry.get(kind_slug).form_class(data=data, applicant=applicant, instance=instance)
    if not form.is_valid():
        raise DemoDataError(f"The demo {kind_slug} request of {applicant.email} is invalid: {form.errors.as_json()}")
    return form.save(commit=False)


def _extra_answers(scenario: DemoRequest, service_page: ServicePage) -> dict[str, Any]:
    """The answers to the page's extra questions, checked by the same form staff fill in."""
    asked = page_questions(service_page)
    form = QuestionForm({f"extra-{question.id}": scenario.answers[question.label] for question in asked
                         if question.label in scenario.answers}, questions=asked)
    if not form.is_valid():
        raise DemoDataError(f"The demo answers of {scenario.applicant.email} on {service_page.title} are invalid: {form.errors.as_json()}")
    return form.answers() if asked else {}


def _play(scenario: DemoRequest, *, approver: User, service_page: ServicePage) -> ServiceRequest:
    kind = registry.get(scenario.kind)
    if scenario.draft:
        return workflow.request_save_draft(applicant=scenario.applicant, kind=kind, data=scenario.data,
                                           service_page=service_page)
    request = workflow.request_submit(applicant=scenario.applicant, kind=kind, service_page=service_page,
                                      details=_details(scenario.kind, scenario.applicant, scenario.data),
                                      extra_answers=_extra_answers(scenario, service_page))
    data = scenario.data
    for step in scenario.steps:
        if step.action == "withdraw":
            request = workflow.request_withdraw(request=request, actor=scenario.applicant, comment=step.comment)
        elif step.action == "resubmit":
            data = {**data, **step.changes}
            details = _details(scenario.kind, scenario.applicant, data, instance=request.details)
            request = workflow.request_resubmit(request=request, actor=scenario.applicant, details=details, comment=step.comment)
        else:
            request = _substitute_agrees_first(request)
            request = workflow.request_decide(request=request, actor=_decider(request, preferred=approver),
                                              decision=step.action, comment=step.comment)
    return request


def _decider(request: ServiceRequest, *, preferred: User) -> User:
    """Bernd Keller where he may decide the current step, otherwise the first person who may (HR, IT, …)."""
    people = entitled_users(request)
    return preferred if preferred in people else people[0]


# --- Leave stories of "Leave that adds up": team absences, a cancellation, a substitute's confirmation ---

TEAM_ABSENCE_NOTE = "Familienfeier – Demo: an diesen Tagen fehlt schon ein großer Teil des Ordnungsamts."
CANCELLATION_NOTE = "Sommerurlaub an der Ostsee."
CANCELLATION_REASON = "Die Reise fällt aus; ich bin in der Woche im Dienst."
CONFIRMATION_NOTE = "Brückentage; Frau Wolf vertritt mich in der Sachbearbeitung."


def _substitute_agrees_first(request: ServiceRequest) -> ServiceRequest:
    """A demo request that waits for its named substitute: the substitute confirms, so the approver can decide."""
    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        return request
    return workflow.request_substitute_confirm(request=request, actor=request.details.substitute)


def seed_leave_stories(*, service_pages: dict[str, ServicePage], today: datetime.date) -> int:
    """Anna Schmidt's leave for the demo steps of "Leave that adds up", each created once (found again by its note).

    (a) Pending leave on days when more than TEAM_ABSENCE_WARNING_SHARE of the Ordnungsamt already
    has approved leave, so Clara Wolf (Bernd Keller's delegate for leave) sees the team-absence
    warning; (b) approved leave with a pending request to cancel it; (c) leave waiting for Clara to
    confirm that she covers.
    """
    anna = User.objects.get(email=f"anna.schmidt@{EMAIL_DOMAIN}")
    bernd = User.objects.get(email=f"bernd.keller@{EMAIL_DOMAIN}")
    clara = User.objects.get(email=f"clara.wolf@{EMAIL_DOMAIN}")
    leave_page = next(page for page in service_pages.values() if page.kind == "leave")
    kind = registry.get("leave")
    annual = LeaveType.objects.get(code="annual")
    notes = set(LeaveRequest.objects.filter(request__applicant=anna).values_list("note", flat=True))
    created = 0

    def file(person: User, start: datetime.date, end: datetime.date, note: str = "", substitute: User | None = None) -> ServiceRequest:
        data = {"leave_type": annual.pk, "occasion": "", "start_date": start.isoformat(), "end_date": end.isoformat(),
                "substitute": substitute.email if substitute else "", "note": note}
        return workflow.request_submit(applicant=person, kind=kind, service_page=leave_page, details=_details("leave", person, data))

    if TEAM_ABSENCE_NOTE not in notes:
        start, end = _week(today, 13, 2), _week(today, 13, 4)
        team = User.objects.filter(unit_id=anna.unit_id, is_active=True)
        already_away = int(team.count() * settings.TEAM_ABSENCE_WARNING_SHARE)  # with Anna, more than the share
        colleagues = list(team.exclude(pk__in=[anna.pk, bernd.pk, clara.pk]).exclude(
            service_requests__kind="leave", service_requests__leave__start_date__lte=end,
            service_requests__leave__end_date__gte=start).order_by("personnel_number")[:already_away])
        # Clara approves the first (and every other) one as Bernd's delegate: Bernd finds them on his list of what was decided
        # on his behalf (/queue/decided/).
        for index, colleague in enumerate(colleagues):
            workflow.request_decide(request=file(colleague, start, end), actor=bernd if index % 2 else clara,
                                    decision="approve", comment="Genehmigt.")
        file(anna, start, end, TEAM_ABSENCE_NOTE)
        created += len(colleagues) + 1
    if CANCELLATION_NOTE not in notes:
        leave = file(anna, _week(today, 15), _week(today, 15, 5), CANCELLATION_NOTE)
        leave = workflow.request_decide(request=leave, actor=bernd, decision="approve", comment="Schönen Urlaub!")
        leave_cancellation.request_cancel(request=leave, actor=anna, comment=CANCELLATION_REASON)
        created += 2
    waiting_for_clara = ServiceRequest.objects.filter(applicant=anna, kind="leave", status=RequestStatus.AWAITING_SUBSTITUTE,
                                                      leave__substitute=clara)
    if CONFIRMATION_NOTE not in notes and not waiting_for_clara.exists():
        file(anna, _week(today, 17, 3), _week(today, 17, 5), CONFIRMATION_NOTE, substitute=clara)
        created += 1
    return created
