"""Reminders: requests that wait too long for a decision, and the statutory clock of barrier reports.

- models.py: ReminderSent, the record of every reminder and escalation sent (registered with the `services` app),
  which also makes a run idempotent: what is recorded is never sent again.
- services.py: `reminders_send`, run by `manage.py send_reminders` and `manage.py run_scheduled_jobs`.
"""
