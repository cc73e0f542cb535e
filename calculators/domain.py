"""Domain types shared by several calculators: said once here, imported where needed."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Recourse", "Step"]


class Recourse(enum.Enum):
    """Whether the borrower is personally liable for the debt."""

    FULL = "full"
    NONE = "none"


@dataclass(frozen=True)
class Step:
    """One line of a calculation, in the order the rule applies it.

    ``amount`` is in dollars; amounts that reduce the running total are negative. The
    ``steps`` output kind (:class:`calculators.fields.OutputKind`) turns a sequence of steps
    into ``[{"label": ..., "amount": "1234.50"}, ...]``.
    """

    label: str
    amount: Decimal
