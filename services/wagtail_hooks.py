"""The Wagtail admin menus of the request domain; Wagtail imports this module of every app."""

from services.delegation import admin as delegation_admin  # noqa: F401  (the "Organisation" menu)
from services.documents import admin as document_admin  # noqa: F401  (failed renderings, superusers only)
from services.kummerkasten import admin as kummerkasten_admin  # noqa: F401, E402  (the topics editors keep)
from services.leave import admin as leave_admin  # noqa: F401  (the "Leave" menu)
from services.outbox import admin as outbox_admin  # noqa: F401  (the "Outbox" menu, superusers only)
from services.surveys import admin as survey_admin  # noqa: F401  (pulse surveys, snippets)
