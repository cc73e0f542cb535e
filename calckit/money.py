"""Money arithmetic helpers: ``Decimal`` only, rounding named at every call.

Nothing here reads the ambient decimal context for rounding. Intermediate
calculations that need more precision than the default 28 digits use
:data:`WIDE`, a local context passed explicitly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["CENT", "WIDE", "ZERO", "cents", "dollars", "money_str", "percent_str"]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

#: A wide, explicit context for intermediate results such as (1 + r) ** n.
WIDE = Context(prec=50, rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> Decimal:
    """Round to cents, half away from zero (the convention of loan disclosures).

    >>> cents(Decimal("2.345")), cents(Decimal("-2.345"))
    (Decimal('2.35'), Decimal('-2.35'))
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal) -> str:
    """JSON form of a money value: exactly two decimals, no grouping.

    >>> money_str(Decimal("1234.5")), money_str(Decimal("-0.004"))
    ('1234.50', '0.00')
    """
    rounded = cents(value)
    if rounded == 0:  # never "-0.00"
        rounded = ZERO
    return f"{rounded:.2f}"


def percent_str(value: Decimal, places: int = 4) -> str:
    """JSON form of a percent number with a fixed number of places.

    >>> percent_str(Decimal("6.5"))
    '6.5000'
    """
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):.{places}f}"


def dollars(value: Decimal) -> str:
    """A money amount for a sentence or a step label: ``$1,234.50``, ``-$5.00``.

    Rounded half-up to cents like every other money value. (Results on the page are
    formatted by the page; this is only for text the calculators write themselves.)

    >>> dollars(Decimal("20808")), dollars(Decimal("-0.004")), dollars(Decimal("-1234.5"))
    ('$20,808.00', '$0.00', '-$1,234.50')
    """
    text = money_str(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    return f"{sign}${Decimal(digits):,.2f}"
