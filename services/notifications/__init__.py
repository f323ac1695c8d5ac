"""Notifications: every message by email in the recipient's language and in the portal's unread list.

- tasks.py: the background tasks that tell applicants, approvers and substitutes (django-tasks).
- selectors.py, services.py: reading and marking one's notifications; context_processors.py: the unread count.
- views.py: the /notifications/ pages.
"""
