"""One line of a calculation: the ``steps`` output kind's element."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Step"]


@dataclass(frozen=True)
class Step:
    """One line of a calculation, in the order the rule applies it.

    ``amount`` is in dollars; amounts that reduce the running total are negative. The
    ``steps`` output kind (:class:`calckit.fields.OutputKind`) turns a sequence of steps
    into ``[{"label": ..., "amount": "1234.50"}, ...]``.
    """

    label: str
    amount: Decimal
