"""The registry of request kinds.

Each kind module defines its typed detail model, its form and a `RequestKind` entry and registers it
here. Everything else (service pages, workflow, views) looks kinds up by their slug.
"""

from services.kinds.base import RequestKind, registry

__all__ = ["RequestKind", "registry"]
