"""Leave: everything about it in one place.

- models.py: types of leave, occasions (TVöD §29), the city's days off, the leave and cancellation
  details, calendar subscriptions (registered with the `services` app).
- rules.py: pure rules (which days count, how much leave a year brings, carry-over); days.py feeds
  them with a person's weekdays, state and the city's days off: the one answer to "is this a working day".
- ledger.py: balances, computed from the requests; checks.py: the checks at submission.
- forms.py, kinds.py: the leave and cancellation forms and kinds; cancellation.py: cancelling and shortening.
- absences.py: team calendar, crowded days; feeds.py: private iCalendar feeds.
- views.py, urls.py: the pages; admin.py: the "Leave" menu of the Wagtail admin.
"""
