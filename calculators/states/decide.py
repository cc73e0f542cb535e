"""What a state's deficiency rule decides for one sale, in a form the deficiency calculator applies.

:func:`deficiency_rule` reads the jurisdiction's cells and returns a :class:`Decision`:

* whether a deficiency is **barred** (an anti-deficiency statute, a purchase-money or
  owner-occupied bar, a small-balance bar after repossession);
* whether **fair value** limits it (the amount owed is credited with the greater of the fair
  market value and the sale price);
* the plain sentence that states the rule with its citation and checked date.

Only **verified** cells decide anything. Where the cell the sale depends on is unverified
(or a bar that might apply is unverified), the decision is ``applied=False``: the calculator
then uses the general rule with the reader's own recourse and fair-value settings, and the
sentence says that the state's rule is not verified.

Real property (``non_judicial`` and ``judicial`` sales), in order:

1. A verified bar whose sale types include this sale and whose conditions the reader's
   answers meet (``purchase_money``, ``owner_occupied``) bars the deficiency. The bar's
   further limits (acres, units, dates) cannot be checked here; the sentence names them.
2. Otherwise an unverified bar that could apply makes the state's answer unknown.
3. Otherwise the general cell for the sale type decides: ``barred`` bars it, ``allowed``
   allows it, and ``not_used`` (the state has no such sale for ordinary home loans) is an
   input error on ``sale_type``.
4. Where allowed, a verified fair-value cell for this sale type turns the fair-value credit
   on (an unverified one makes the state's answer unknown); with none, the sale price is used.

Repossession of goods: a verified small-balance bar bars the deficiency when its measure is
within the threshold (``original_amount`` for a cash-price or amount-financed measure, the
unpaid debt for an unpaid-balance measure). Otherwise the UCC rule applies (UCC §9-615(d)):
the state dataset does not decide fair value for goods, so the reader's setting stays.

>>> d = deficiency_rule("TX", SaleType.NON_JUDICIAL, purchase_money=False, owner_occupied=False,
...                     original_amount=None, unpaid=Decimal("1"))
>>> d.applied, d.barred, d.fair_value
(True, False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..fields import InputError
from ..money import dollars
from . import Bar, Cell, FairValue, Jurisdiction, SaleType, jurisdiction

__all__ = ["Decision", "deficiency_rule"]

_SALE = {
    SaleType.NON_JUDICIAL: "a trustee's (non-judicial) sale",
    SaleType.JUDICIAL: "a court-ordered (judicial) sale",
    SaleType.REPOSSESSION: "a repossession sale",
}


@dataclass(frozen=True)
class Decision:
    applied: bool  # False: unverified or unknown here; the general rule applies
    barred: bool
    fair_value: bool
    sentence: str  # the rule in one plain sentence, with its citation and checked date
    step_label: str  # for the steps list when the rule bars the deficiency
    citation: str


def _cited(cell: Cell[object]) -> str:
    checked = f"checked {cell.checked}" + ("" if cell.verified else ", not verified")
    return f"({cell.cite}; {checked})"


def _unknown(j: Jurisdiction, sale: SaleType, cell: Cell[object], what: str) -> Decision:
    return Decision(
        applied=False,
        barred=False,
        fair_value=False,
        sentence=(
            f"{j.name}: {what} after {_SALE[sale]} is not verified in this site's dataset {_cited(cell)}. "
            "The results use the general rule with your own recourse and fair-value settings."
        ),
        step_label="",
        citation=cell.cite,
    )


def _bar_applies(bar: Bar, sale: SaleType, purchase_money: bool, owner_occupied: bool) -> bool:
    return (
        sale in bar.sale_types
        and (purchase_money or not bar.purchase_money)
        and (owner_occupied or not bar.owner_occupied)
    )


def _who(bar: Bar) -> str:
    if bar.purchase_money and bar.owner_occupied:
        return "a purchase-money loan on the borrower's own home"
    if bar.purchase_money:
        return "a purchase-money loan"
    if bar.owner_occupied:
        return "the borrower's own home"
    return "this kind of loan"


def _real_property(  # noqa: PLR0911 - one return per outcome, in the order the docstring gives
    j: Jurisdiction, sale: SaleType, purchase_money: bool, owner_occupied: bool
) -> Decision:
    for cell in j.bars:
        bar = cell.value
        if cell.verified and _bar_applies(bar, sale, purchase_money, owner_occupied):
            limits = (
                f" The bar has further conditions this calculator assumes you meet: {bar.limits}"
                if bar.limits
                else ""
            )
            return Decision(
                applied=True,
                barred=True,
                fair_value=False,
                sentence=f"{j.name}: no deficiency after {_SALE[sale]} on {_who(bar)} {_cited(cell)}.{limits}",
                step_label=f"Barred by {cell.citation}: no deficiency on {_who(bar)}",
                citation=cell.cite,
            )
    for cell in j.bars:
        if not cell.verified and _bar_applies(cell.value, sale, purchase_money, owner_occupied):
            return _unknown(j, sale, cell, f"a possible bar on deficiencies for {_who(cell.value)}")
    base = j.non_judicial if sale is SaleType.NON_JUDICIAL else j.judicial
    if not base.verified or base.value not in ("allowed", "barred", "not_used"):
        return _unknown(j, sale, base, "whether a deficiency is allowed")
    if base.value == "not_used":
        raise InputError(
            "sale_type",
            f"Sale type must be judicial or repossession for {j.name}: it has no trustee's (non-judicial) "
            f"sale for ordinary home loans ({base.cite}).",
        )
    if base.value == "barred":
        return Decision(
            applied=True,
            barred=True,
            fair_value=False,
            sentence=f"{j.name}: no deficiency after {_SALE[sale]} {_cited(base)}.",
            step_label=f"Barred by {base.citation}: no deficiency after {_SALE[sale]}",
            citation=base.cite,
        )
    fair: Cell[FairValue] | None = next((c for c in j.fair_value if sale in c.value.sale_types), None)
    if fair is not None and not fair.verified:
        return _unknown(j, sale, fair, "whether fair value limits the deficiency")
    deadline = next((c for c in j.deadlines if c.verified and sale in c.value.sale_types), None)
    tail = ""
    if deadline is not None and deadline.value.starts:
        starts = f" after {deadline.value.starts}" if deadline.value.starts else ""
        tail = f" The lender must seek it within {deadline.value.period}{starts} {_cited(deadline)}."
    if fair is None:
        return Decision(
            applied=True,
            barred=False,
            fair_value=False,
            sentence=(
                f"{j.name}: a deficiency is allowed after {_SALE[sale]}, measured against the sale price "
                f"{_cited(base)}.{tail}"
            ),
            step_label="",
            citation=base.cite,
        )
    request = " The borrower must ask the court for it." if fair.value.on_request else ""
    return Decision(
        applied=True,
        barred=False,
        fair_value=True,
        sentence=(
            f"{j.name}: a deficiency is allowed after {_SALE[sale]}, but limited by fair value: "
            f"{fair.value.measure.rstrip('.')} {_cited(fair)}.{request}{tail}"
        ),
        step_label="",
        citation=fair.cite,
    )


def _repossession(j: Jurisdiction, original_amount: Decimal | None, unpaid: Decimal) -> Decision:
    cell = j.small_balance_bar
    ucc = "otherwise the general rule of UCC §9-615(d) applies: the debt and costs less the sale proceeds"
    if not cell.verified:
        return _unknown(j, SaleType.REPOSSESSION, cell, "whether a small-balance bar applies")
    bar = cell.value
    if bar is None:
        return Decision(
            applied=True,
            barred=False,
            fair_value=False,
            sentence=f"{j.name}: no small-balance bar on deficiencies after repossession {_cited(cell)}; {ucc}.",
            step_label="",
            citation=cell.cite,
        )
    if bar.measure == "other":
        return _unknown(j, SaleType.REPOSSESSION, cell, "how the small-balance bar is measured")
    if bar.measure == "unpaid_balance":
        amount, what = unpaid, "the unpaid balance"
    else:
        what = "the cash price" if bar.measure == "cash_price" else "the amount financed"
        if original_amount is None:
            raise InputError(
                "original_amount",
                f"Original cash price or amount financed is required for {j.name}: its small-balance bar "
                f"depends on {what} ({cell.citation}). Enter a number of at least 0, or clear the state.",
            )
        amount = original_amount
    within = amount <= bar.threshold if bar.at_or_below else amount < bar.threshold
    limit = dollars(bar.threshold)
    if within:
        return Decision(
            applied=True,
            barred=True,
            fair_value=False,
            sentence=(
                f"{j.name}: no deficiency after repossession when {what} is "
                f"{'at most' if bar.at_or_below else 'under'} {limit} ({bar.applies_to.rstrip('.')}) {_cited(cell)}."
            ),
            step_label=f"Barred by {cell.citation}: {what} is {'at most' if bar.at_or_below else 'under'} {limit}",
            citation=cell.cite,
        )
    return Decision(
        applied=True,
        barred=False,
        fair_value=False,
        sentence=(
            f"{j.name}: its small-balance bar ({what} {'at most' if bar.at_or_below else 'under'} {limit}) "
            f"does not apply here {_cited(cell)}; {ucc}."
        ),
        step_label="",
        citation=cell.cite,
    )


def deficiency_rule(
    code: str,
    sale: SaleType,
    *,
    purchase_money: bool,
    owner_occupied: bool,
    original_amount: Decimal | None,
    unpaid: Decimal,
) -> Decision:
    """The state's decision for this sale; raises :class:`InputError` for an impossible sale type."""
    j = jurisdiction(code)
    if sale is SaleType.REPOSSESSION:
        return _repossession(j, original_amount, unpaid)
    return _real_property(j, sale, purchase_money, owner_occupied)
