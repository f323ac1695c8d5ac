"""The outbox: every e-mail is a row in the database (django-post-office) until the worker has delivered it.

- sending.py: delivering what is due, one mail per transaction with its row locked, retrying with a doubling
  wait and giving up after OUTBOX_MAX_TRIES.
- tasks.py: the background task the worker runs (django-tasks), woken when a transaction that queued mail commits.
- admin.py: the outbox in the Wagtail admin, read-only, for superusers.
"""
