"""A calculator package of another site, declared with the generator's API alone (:mod:`calckit`).

>>> run("split", {"bill": "100", "tip_percent": "20", "people": "3"})["each"]
'40.00'
"""

from __future__ import annotations

from decimal import ROUND_UP, Decimal

from calckit import Registry
from calckit.fields import Output, OutputKind, integer, money, percent
from calckit.money import CENT, cents
from calckit.registry import Calculator


def _split(*, bill: Decimal, tip_percent: Decimal, people: int) -> dict[str, Decimal]:
    tip = cents(bill * tip_percent / 100)
    # Each pays the same, rounded up to the cent, so the bill is always covered.
    each = ((bill + tip) / people).quantize(CENT, rounding=ROUND_UP)
    return {"tip": tip, "each": each}


REGISTRY = Registry(
    [
        Calculator(
            name="split",
            title="Split the bill",
            summary="What each person pays, tip included.",
            fields=(
                money("bill", "Bill", default="90", minimum="0.01", help="Before the tip."),
                percent("tip_percent", "Tip", default="20", help="Percent of the bill."),
                integer("people", "People", default="4", minimum=1, maximum=100, help="Who shares it."),
            ),
            outputs=(
                Output("tip", "Tip", OutputKind.MONEY),
                Output("each", "Each person pays", OutputKind.MONEY),
            ),
            compute=_split,
        )
    ]
)
CALCULATORS = REGISTRY.calculators
run = REGISTRY.run
export_csv = REGISTRY.export_csv
describe = REGISTRY.describe
