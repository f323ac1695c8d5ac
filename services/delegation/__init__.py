"""Responsibility and delegation: who holds what, who passed it to whom, the substitute, and their pages.

- models.py: the Delegation table.
- services.py: every change of who decides (grant, withdraw, delegate, revoke, name a substitute), audited.
- hr_import.py: the HR import with its responsibility column granted through those services.
- forms.py, views.py, urls.py: the /delegations/ pages; admin.py: the "Organisation" menu of the Wagtail admin.
- tasks.py: telling the delegate.
"""
