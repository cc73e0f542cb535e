"""Domain types shared by several calculators: said once here, imported where needed.

``Step`` belongs to the declaration API (:mod:`calckit.steps`) and is re-exported here.
"""

from __future__ import annotations

import enum

from calckit.steps import Step

__all__ = ["Recourse", "Step"]


class Recourse(enum.Enum):
    """Whether the borrower is personally liable for the debt."""

    FULL = "full"
    NONE = "none"
