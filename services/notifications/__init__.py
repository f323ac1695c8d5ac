"""Notifications: every message by email in the recipient's language and in the portal's unread list.

- messages.py: telling applicants, approvers and substitutes, in the transaction of the change (mail via the outbox).
- selectors.py, services.py: reading and marking one's notifications; context_processors.py: the unread count.
- views.py: the /notifications/ pages.
"""
