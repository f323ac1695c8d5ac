"""What the portal holds about one person, as one JSON-ready dict (the right of access, DSGVO Art. 15).

Everything that is about the person: the profile with its HR fields, the requests they filed (details,
answers to extra questions, history, attachments' metadata), notifications, delegations given and received,
responsibilities, substitutes, calendar subscriptions, second factors, sessions and what they did or what
was done on their behalf. Never a secret: no password hash, TOTP secret or recovery code, session key or
calendar token; attachments are listed, not included. Of other people only what the person already sees in
the portal: names of those who decided their requests, of delegates and delegators, of substitutes.

A fixed number of queries, however many requests and events there are.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from portal.models import OrgUnitUserPermission, User
from services.coffee.models import CoffeePresence
from services.delegation.models import Delegation
from services.kinds import registry
from services.leave.models import CalendarFeedToken, LeaveExpiryNotice
from services.models import Attachment, AuditEvent, Notification, RequestEvent, ServiceRequest
from services.phishing.models import PhishingReport
from services.surveys.models import SurveyParticipation

FORMAT_VERSION = 1


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _person(user: User | None) -> dict | None:
    return None if user is None else {"name": user.get_full_name() or user.email, "email": user.email}


def _unit(unit) -> dict | None:
    return None if unit is None else {"code": unit.code, "name": unit.name}


def _detail_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.name != "request"]


def _detail_relations() -> list[str]:
    """Every kind's detail row and what its fields point to (the type of leave, the substitute, …), joined."""
    relations = []
    for kind in registry.all():
        relations.append(kind.relation)
        relations += [f"{kind.relation}__{field.name}" for field in _detail_fields(kind.model) if field.many_to_one]
    return relations


def _details(request: ServiceRequest) -> dict | None:
    kind = request.kind_entry
    detail = kind.details_of(request) if kind is not None else None
    if detail is None:
        return None
    data = {}
    for field in _detail_fields(kind.model):
        if field.many_to_one:
            related = getattr(detail, field.name)
            data[field.name] = _person(related) if isinstance(related, User) else (str(related) if related is not None else None)
        else:
            data[field.name] = _value(field.value_from_object(detail))
    return data


def _event(event: RequestEvent, *, with_request: bool = False) -> dict:
    data = {
        "time": _value(event.created_at), "action": event.action, "by": _person(event.actor),
        "on_behalf_of": _person(event.on_behalf_of), "delegation": event.delegation_id, "authority": event.authority,
        "from_status": event.from_status, "to_status": event.to_status, "step": event.step, "comment": event.comment,
    }
    return {"request": event.request.reference, **data} if with_request else data


def _request(request: ServiceRequest) -> dict:
    return {
        "reference": request.reference, "kind": request.kind, "status": request.status, "unit": _unit(request.unit),
        "created": _value(request.created_at), "submitted": _value(request.submitted_at), "decided": _value(request.decided_at),
        "details": _details(request), "extra_answers": request.extra_answers, "draft": request.draft_data,
        "events": [_event(event) for event in request.events.all()],
        "attachments": [{"name": attachment.original_name, "content_type": attachment.content_type, "size": attachment.size,
                         "uploaded": _value(attachment.created_at), "uploaded_by": _person(attachment.uploaded_by)}
                        for attachment in request.attachments.all()],
    }


def _delegation(delegation: Delegation) -> dict:
    return {
        "number": delegation.pk, "delegator": _person(delegation.delegator), "delegate": _person(delegation.delegate),
        "delegate_group": delegation.delegate_group.name if delegation.delegate_group else None,
        "unit": _unit(delegation.unit), "responsibilities": delegation.permissions, "from": _value(delegation.starts_at),
        "until": _value(delegation.ends_at), "reason": delegation.reason, "may_delegate_further": delegation.allow_redelegation,
        "passed_on_from": delegation.parent_id, "created": _value(delegation.created_at),
        "revoked": _value(delegation.revoked_at),
    }


def _audit_event(event: AuditEvent) -> dict:
    return {"time": _value(event.created_at), "action": event.action, "concerning": event.subject, "by": _person(event.actor),
            "on_behalf_of": _person(event.on_behalf_of), "delegation": event.delegation_id, "detail": event.detail}


def _profile(user: User) -> dict:
    return {
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "personnel_number": user.personnel_number, "unit": _unit(user.unit), "working_weekdays": user.working_weekdays,
        "weekly_hours": _value(user.weekly_hours), "federal_state": user.federal_state,
        "leave_entitlement_days": _value(user.leave_entitlement_days), "extra_leave_days": _value(user.extra_leave_days),
        "employment_start": _value(user.employment_start), "employment_end": _value(user.employment_end),
        "preferred_language": user.preferred_language, "active": user.is_active, "staff": user.is_staff,
        "administrator": user.is_superuser, "joined": _value(user.date_joined), "last_login": _value(user.last_login),
        "groups": sorted(group.name for group in user.groups.all()),
        "email_addresses": [{"email": address.email, "verified": address.verified, "primary": address.primary}
                            for address in EmailAddress.objects.filter(user=user).order_by("pk")],
        "employment_suspensions": [{"from": _value(item.start), "until": _value(item.end), "reason": item.reason}
                                   for item in user.employment_suspensions.all()],
        "carry_over_extended_until_31_may": [{"year": item.year, "reason": item.reason} for item in user.carry_over_extensions.all()],
    }


def personal_data_of(user: User) -> dict:
    """Everything the portal holds about `user`, ready for json.dumps (dates as ISO text, decimals as text)."""
    user = (User.objects.select_related("unit", "out_of_office_substitute")
            .prefetch_related("groups", "employment_suspensions", "carry_over_extensions").get(pk=user.pk))
    requests = (ServiceRequest.objects.filter(applicant=user).select_related("unit", *_detail_relations())
                .prefetch_related(Prefetch("events", RequestEvent.objects.select_related("actor", "on_behalf_of")
                                           .order_by("created_at", "pk")),
                                  Prefetch("attachments", Attachment.objects.select_related("uploaded_by").order_by("created_at", "pk")))
                .order_by("created_at", "pk"))
    delegation_relations = ("delegator", "delegate", "delegate_group", "unit")
    my_groups = user.groups.values("pk")
    acted = (RequestEvent.objects.filter(Q(actor=user) | Q(on_behalf_of=user)).exclude(request__applicant=user)
             .select_related("request", "actor", "on_behalf_of").order_by("created_at", "pk"))
    return {
        "format": FORMAT_VERSION,
        "exported": _value(timezone.now()),
        "profile": _profile(user),
        "requests": [_request(request) for request in requests],
        "notifications": [{"time": _value(item.created_at), "message": item.message, "link": item.url, "read": _value(item.read_at)}
                          for item in Notification.objects.filter(recipient=user).order_by("created_at", "pk")],
        "delegations_given": [_delegation(item) for item in Delegation.objects.filter(delegator=user)
                              .select_related(*delegation_relations).order_by("created_at", "pk")],
        "delegations_received": [_delegation(item) for item in Delegation.objects
                                 .filter(Q(delegate=user) | Q(delegate_group__in=my_groups))
                                 .select_related(*delegation_relations).order_by("created_at", "pk")],
        "responsibilities": [{"unit": _unit(item.content_object), "responsibility": item.permission.codename}
                             for item in OrgUnitUserPermission.objects.filter(user=user)
                             .select_related("content_object", "permission").order_by("content_object__path", "permission__codename")],
        "substitute_while_on_leave": _person(user.out_of_office_substitute),
        "substitute_for": [_person(holder) for holder in User.objects.filter(out_of_office_substitute=user).order_by("pk")],
        "calendar_subscriptions": [{"scope": item.scope, "created": _value(item.created_at), "revoked": _value(item.revoked_at)}
                                   for item in CalendarFeedToken.objects.filter(user=user).order_by("created_at", "pk")],
        "second_factors": [{"type": item.type, "created": _value(item.created_at), "last_used": _value(item.last_used_at)}
                           for item in Authenticator.objects.filter(user=user).order_by("created_at", "pk")],
        "sessions": [{"ip": item.ip, "user_agent": item.user_agent, "created": _value(item.created_at),
                      "last_seen": _value(item.last_seen_at)}
                     for item in UserSession.objects.filter(user=user).order_by("created_at", "pk")],
        # Which pulse survey rounds the person answered; what they answered is held apart and belongs to nobody.
        "survey_rounds_answered": [{"survey": item.round.survey.title, "round": item.round.number,
                                    "opens_on": _value(item.round.opens_on), "last_day": _value(item.round.last_day)}
                                   for item in SurveyParticipation.objects.filter(user=user).select_related("round__survey")
                                   .order_by("round__opens_on", "round__survey_id")],
        # Suspicious e-mails and websites the person reported, as stored (the uploaded file itself is never kept).
        "phishing_reports": [{"reported": _value(item.created_at), "what": item.kind, "sender": item.sender,
                              "subject": item.subject, "links": item.links, "headers": item.headers,
                              "file_name": item.file_name, "note": item.note, "case": item.case_id,
                              "outcome": item.case.classification or None}
                             for item in PhishingReport.objects.filter(reporter=user).select_related("case")
                             .order_by("created_at", "pk")],
        "coffee_kitchen_until": _value(CoffeePresence.objects.filter(user=user).values_list("until", flat=True).first()),
        "leave_expiry_notices": [{"year": item.year, "round": item.round, "carried_over_days": _value(item.carried_over_days),
                                  "current_year_days": _value(item.current_year_days),
                                  "carry_over_deadline": _value(item.carry_over_deadline),
                                  "delivered": _value(item.delivered_at), "emailed": _value(item.emailed_at),
                                  "read": _value(item.read_at)}
                                 for item in LeaveExpiryNotice.objects.filter(employee=user).order_by("year", "round")],
        "request_events_by_or_for_me": [_event(event, with_request=True) for event in acted],
        "audit_events_by_or_for_me": [_audit_event(item) for item in AuditEvent.objects.filter(Q(actor=user) | Q(on_behalf_of=user))
                                      .select_related("actor", "on_behalf_of").order_by("created_at", "pk")],
    }
