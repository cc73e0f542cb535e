"""Deficiency after a repossession or foreclosure sale, and who bears it under recourse and non-recourse.

The sale proceeds are applied in the order UCC §9-615(a) prescribes for goods
(and that foreclosure statutes follow in substance for land): first to the
reasonable costs of retaking, holding, preparing and selling (including
attorney's fees where the agreement provides for them), then to the secured
obligation. Every input is already in cents, so no rounding happens anywhere::

    total_claim      = debt + accrued_interest + fees + costs
    deficiency       = max(0, total_claim - sale_price)          # UCC §9-615(d)(2)
    surplus          = max(0, sale_price - total_claim)          # UCC §9-615(d)(1)

    credit           = max(sale_price, fair_market_value)        if fair_value_limit
                     = sale_price                                otherwise
    recoverable_deficiency = max(0, total_claim - credit)

    borrower_exposure = recoverable_deficiency                   recourse "full"
                      = 0                                        "none", carve-out "none"
                      = min(carve_out_loss, recoverable_deficiency)  "none", carve-out "loss"
                      = recoverable_deficiency                   "none", carve-out "springing"
    lender_loss       = deficiency - borrower_exposure

Edge branches and choices:

* Surplus and deficiency are never both positive; a surplus is computed from
  the cash price, never from a fair market value.
* The fair-value limit is the rule of the states whose statutes credit the
  amount owed with the greater of the sale price and the court-found fair value
  (which states, and after which sales, is in :mod:`calculators.states`).
  Needing it without a fair market value is an input error on
  ``fair_market_value``. A fair market value entered while the limit is off is
  ignored (the UCC measures a goods deficiency by the actual proceeds, subject
  to §9-615(f) and §9-626, which are not modelled).
* **A state's rule.** With ``state`` chosen, the state-law engine
  (:mod:`calculators.states.engine`) works out every case the state's rules allow on the
  reader's answers: barred, allowed, allowed with a fair-value credit, allowed only on a
  confirmed sale, or capped. A fact left "not sure", or a rule below statute or case level,
  is a case of its own, never an assumption. ``recoverable_deficiency`` and
  ``borrower_exposure`` are the **highest** amount any case allows (the reader's
  ``fair_value_limit`` setting is not used with a state), and ``conditions`` lists every case
  that would lower it, with its citation and source level, and each lender's deadline that
  would end it. Contractual non-recourse still applies on top: state law can only add
  protection.
* Loss recourse is capped at the recoverable deficiency. A loss-recourse
  carve-out makes the borrower (or its carve-out guarantor) answer for the
  lender's loss caused by the bad act, but that loss is a loss on this loan:
  the lender cannot collect more personally than the debt still unpaid after
  the sale and any fair-value credit, or it would recover more than it is
  owed. Free-standing indemnities (environmental, for instance) can reach
  beyond the debt; they are not modelled.
* Springing recourse turns the whole loan into a recourse loan, so exposure is
  the full recoverable deficiency.
* With full recourse the carve-out setting has no effect.
* ``borrower_exposure`` is what the lender may pursue personally, not what it
  will collect; ``lender_loss`` is the shortfall left after that, before any
  value the lender gets from reselling property it bought at its own sale.

Not modelled: subordinate liens (§9-615(a)(3)), consumer statutory damages
(§9-625(c)(2)), the rebuttable-presumption rule (§9-626), and the effect of a
missed deadline or a one-action rule (``state_rule`` names the deadline where
the dataset holds a verified one).

>>> r = deficiency(Decimal("18000"), Decimal("0"), Decimal("0"), Decimal("1000"), Decimal("9500"))
>>> r.total_claim, r.deficiency, r.surplus, r.borrower_exposure
(Decimal('19000.00'), Decimal('9500.00'), Decimal('0.00'), Decimal('9500.00'))

Sources: UCC §9-615 (Uniform text and state enactments); each state's rule
cites its own statute in :mod:`calculators.states`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calckit.fields import InputError, Output, OutputKind, choice, money, yes_no
from calckit.money import ZERO, cents, dollars
from calckit.registry import Calculator

from .domain import Recourse, Step
from .state_law import FACT_FIELDS, Decision, decide, facts_from, reveal_facts
from .states import NAMES, jurisdiction
from .states.engine import Case, sale_cases

__all__ = ["CALCULATOR", "CarveOut", "Deficiency", "Recourse", "Step", "deficiency"]


class CarveOut(enum.Enum):
    """The non-recourse carve-out that was triggered, if any."""

    NONE = "none"
    LOSS = "loss"  # liable for the lender's loss caused by the bad act
    SPRINGING = "springing"  # the whole loan becomes full recourse


@dataclass(frozen=True)
class Deficiency:
    total_claim: Decimal
    deficiency: Decimal
    surplus: Decimal
    recoverable_deficiency: Decimal
    borrower_exposure: Decimal
    lender_loss: Decimal
    steps: tuple[Step, ...]


def _exposure(
    recoverable: Decimal, recourse: Recourse, carve_out: CarveOut, carve_out_loss: Decimal
) -> Decimal:
    """What the lender may pursue personally; see the module docstring for each branch."""
    if recourse is Recourse.FULL or carve_out is CarveOut.SPRINGING:
        return recoverable
    if carve_out is CarveOut.LOSS:
        return min(carve_out_loss, recoverable)  # capped: no recovery beyond the unpaid debt
    return ZERO


def deficiency(
    debt: Decimal,
    accrued_interest: Decimal,
    fees: Decimal,
    costs: Decimal,
    sale_price: Decimal,
    *,
    fair_market_value: Decimal | None = None,
    recourse: Recourse = Recourse.FULL,
    fair_value_limit: bool = False,
    carve_out: CarveOut = CarveOut.NONE,
    carve_out_loss: Decimal = ZERO,
    barred_by: str = "",
    capped_at: Decimal | None = None,
    capped_by: str = "",
) -> Deficiency:
    """Apply the sale proceeds, then limit the shortfall by fair value, recourse and carve-outs.

    Raises :class:`InputError` on ``fair_market_value`` if the fair-value
    limit is chosen without one. A non-empty ``barred_by`` (a step label naming
    the statute) means the law bars any deficiency: it is applied after the
    fair-value credit and leaves nothing recoverable.

    A non-recourse loan with no carve-out leaves the whole shortfall with the lender:

    >>> r = deficiency(Decimal("300000"), Decimal("12000"), Decimal("3000"), Decimal("15000"),
    ...                Decimal("250000"), fair_market_value=Decimal("270000"), recourse=Recourse.NONE,
    ...                fair_value_limit=True)
    >>> r.deficiency, r.recoverable_deficiency, r.borrower_exposure, r.lender_loss
    (Decimal('80000.00'), Decimal('60000.00'), Decimal('0.00'), Decimal('80000.00'))

    A loss-recourse carve-out exposes the borrower up to the lender's loss from the bad act:

    >>> deficiency(Decimal("300000"), Decimal("0"), Decimal("0"), Decimal("0"), Decimal("250000"),
    ...            recourse=Recourse.NONE, carve_out=CarveOut.LOSS,
    ...            carve_out_loss=Decimal("20000")).borrower_exposure
    Decimal('20000.00')
    """
    secured = debt + accrued_interest + fees
    total_claim = secured + costs
    # UCC §9-615(a)(1): expenses of retaking, holding, preparing and selling come first ...
    to_costs = min(sale_price, costs)
    # ... then §9-615(a)(2): the secured obligation (principal, interest and charges).
    to_secured = min(sale_price - to_costs, secured)
    gross = total_claim - to_costs - to_secured
    surplus = sale_price - to_costs - to_secured  # §9-615(d)(1): owed to the debtor
    steps = [
        Step("Unpaid principal at default", debt),
        Step("Accrued interest", accrued_interest),
        Step("Late and default fees", fees),
        Step("Costs of repossession or foreclosure, holding and sale", costs),
        Step("Sale proceeds applied to those costs first (UCC §9-615(a)(1))", -to_costs),
        Step("Sale proceeds applied to the debt, interest and fees (UCC §9-615(a)(2))", -to_secured),
    ]
    recoverable = gross
    if fair_value_limit:
        if fair_market_value is None:
            raise InputError(
                "fair_market_value",
                "Fair market value is required when the fair-value limit is Yes: enter a number of at least 0, "
                "or set the fair-value limit to No.",
            )
        # The fair-value statutes credit the greater of the fair value and the sale price.
        credit = max(sale_price, fair_market_value)
        recoverable = max(ZERO, total_claim - credit)
        steps.append(Step("Fair-value credit above the sale price", recoverable - gross))
    if capped_at is not None and recoverable > capped_at:
        steps.append(Step(capped_by or "Capped by the state's law", capped_at - recoverable))
        recoverable = capped_at
    if barred_by:
        steps.append(Step(barred_by, -recoverable))
        recoverable = ZERO
    exposure = _exposure(recoverable, recourse, carve_out, carve_out_loss)
    if recourse is Recourse.NONE:
        steps.append(Step("Not recoverable from the borrower: non-recourse loan", exposure - recoverable))
    # Inputs are whole cents, so cents() only fixes every result to two places; nothing is rounded.
    return Deficiency(
        total_claim=cents(total_claim),
        deficiency=cents(gross),
        surplus=cents(surplus),
        recoverable_deficiency=cents(recoverable),
        borrower_exposure=cents(exposure),
        lender_loss=cents(gross - exposure),
        steps=tuple(steps),
    )


_CARVE_OUT_LABELS = {
    CarveOut.NONE: "no carve-out triggered",
    CarveOut.LOSS: "loss-recourse carve-out",
    CarveOut.SPRINGING: "springing full recourse",
}


def _headline(r: Deficiency, lower: bool) -> str:
    tail = "; it could be less: see what could lower it" if lower and r.borrower_exposure > 0 else ""
    if r.surplus > 0:
        return f"The sale leaves a surplus of {dollars(r.surplus)}, which is yours"
    if r.borrower_exposure > 0:
        return f"You could still owe {dollars(r.borrower_exposure)}{tail}"
    if r.deficiency > 0:
        return f"You owe nothing more: the lender absorbs the {dollars(r.deficiency)} shortfall"
    return "The sale covers the debt exactly: nothing more is owed"


_GENERAL_RULE = (
    "No state rule applied: choose a state to apply its law. The results use the general rule "
    "(UCC §9-615(d)) with your own recourse and fair-value settings."
)

#: The fact questions this calculator asks (state_law.FACT_FIELDS), in the order a form asks them.
FACTS = (
    "property_type",
    "owner_occupied",
    "purchase_money",
    "dwelling_units",
    "acres",
    "loan_purpose",
    "loan_date",
    "lender_waived_deficiency",
    "lender_bought",
    "appraised",
    "sale_confirmed",
    "home_equity_loan",
    "sold_by",
    "original_principal",
    "goods",
    "original_amount",
    "amount_financed",
)


def _case_terms(case: Case) -> tuple[bool, str, Decimal | None, str]:
    """How a case's outcome is applied: (fair-value credit, barred-by step, cap, cap step)."""
    rule, kind = case.rule, case.outcome.kind
    cite = rule.source.citation if rule else ""
    if kind == "barred":
        label = (
            f"Barred by {cite}: no deficiency without a confirmed sale"
            if rule and rule.outcome.kind == "confirmation"
            else f"Barred by {cite}: no deficiency"
        )
        return False, label, None, ""
    if kind == "cap":
        return False, "", case.outcome.amount, f"Capped by {cite}"
    return kind == "fair_value", "", None, ""


def _compute(**values: Any) -> dict[str, Any]:
    debt, accrued_interest, fees, costs = (values[k] for k in ("debt", "accrued_interest", "fees", "costs"))
    sale_price, fair_market_value = values["sale_price"], values["fair_market_value"]
    state: str | None = values["state"]
    sale_type: str = values["sale_type"]
    chosen = CarveOut(values["carve_out"])

    def under(terms: Recourse, case: Case | None) -> Deficiency:
        fair, barred_by, cap, capped_by = (
            (values["fair_value_limit"], "", None, "") if case is None else _case_terms(case)
        )
        return deficiency(
            debt,
            accrued_interest,
            fees,
            costs,
            sale_price,
            # A state's fair-value credit with no value entered cannot lower anything (engine.recoverable).
            fair_market_value=fair_market_value,
            recourse=terms,
            fair_value_limit=fair and (case is None or fair_market_value is not None),
            carve_out=chosen,
            carve_out_loss=values["carve_out_loss"],
            barred_by=barred_by,
            capped_at=cap,
            capped_by=capped_by,
        )

    decision: Decision | None = None
    if state is not None:
        j = jurisdiction(state)
        unpaid = debt + accrued_interest + fees
        reader = facts_from(values, owed=unpaid, unpaid=unpaid)
        cases = sale_cases(state, sale_type, reader)
        not_used = [c.rule for c in cases if c.rule and c.rule.not_used and c.rule.source.changes_figures]
        if not_used and len(not_used) == len(cases):
            raise InputError(
                "sale_type",
                f"How it was sold must be a court-ordered sale or a repossession for {j.name}: it has no "
                f"trustee's (non-judicial) sale for ordinary home loans ({not_used[0].source.cite}).",
            )

        def exposure(case: Case) -> Decimal:
            return under(Recourse(values["recourse"]), case).borrower_exposure

        decision = decide(
            state, sale_type, reader, cases, exposure, value_given=fair_market_value is not None
        )
    case = decision.case if decision else None
    r, full, none = (under(t, case) for t in (Recourse(values["recourse"]), Recourse.FULL, Recourse.NONE))
    conditions = decision.conditions if decision else ()
    return {
        "headline": _headline(r, bool(conditions)),
        "total_claim": r.total_claim,
        "deficiency": r.deficiency,
        "surplus": r.surplus,
        "recoverable_deficiency": r.recoverable_deficiency,
        "borrower_exposure": r.borrower_exposure,
        "lender_loss": r.lender_loss,
        "state_rule": decision.sentence if decision else _GENERAL_RULE,
        "conditions": conditions,
        "steps": r.steps,
        "comparison": [
            {
                "scenario": "Full recourse",
                "borrower_exposure": full.borrower_exposure,
                "lender_loss": full.lender_loss,
            },
            {
                "scenario": f"Non-recourse, {_CARVE_OUT_LABELS[chosen]}",
                "borrower_exposure": none.borrower_exposure,
                "lender_loss": none.lender_loss,
            },
        ],
    }


_SALES = ("non_judicial", "judicial", "repossession")

FIELDS = (
    choice(
        "state",
        "State",
        default="",
        required=False,
        remember=True,
        empty_label="No state rule (general rule)",
        choices=NAMES,
        help="Where the property is (for a home) or where you live (for a car). Its law decides what the "
        "lender can still claim.",
    ),
    choice(
        "sale_type",
        "How it was sold",
        default="repossession",
        choices={
            "non_judicial": "Trustee's sale (non-judicial foreclosure)",
            "judicial": "Court-ordered sale (judicial foreclosure)",
            "repossession": "Repossession and sale of goods (a car, equipment)",
        },
        help="The rules differ after a trustee's sale, a court sale and a repossession.",
    ),
    money(
        "debt",
        "Unpaid principal",
        default="18,000",
        minimum="1",
        help="The loan balance at default, before interest, fees and costs.",
    ),
    money(
        "accrued_interest",
        "Accrued interest",
        default="0",
        help="Interest owed but unpaid up to the sale.",
    ),
    money(
        "fees",
        "Late and default fees",
        default="0",
        help="Late charges and default charges the contract allows.",
    ),
    money(
        "costs",
        "Repossession or foreclosure costs",
        default="0",
        help="Reasonable costs of taking, storing, preparing and selling the property, and attorney's fees "
        "where the agreement provides for them.",
    ),
    money(
        "sale_price",
        "Sale price",
        default="9,500",
        help="The cash the sale brought in.",
    ),
    money(
        "fair_market_value",
        "Fair market value",
        default="",
        required=False,
        help="What the property was worth on the sale date, if you know. Some states limit the deficiency by it.",
    ),
    *(FACT_FIELDS[name] for name in FACTS),
    choice(
        "recourse",
        "Recourse",
        default="full",
        choices={"full": "Full recourse: personally liable", "none": "Non-recourse: the property only"},
        help="Whether the borrower is personally liable for what the sale does not cover.",
    ),
    choice(
        "carve_out",
        "Carve-out triggered",
        default="none",
        choices={"none": "None", "loss": "Loss recourse", "springing": "Springing full recourse"},
        help='For a non-recourse loan: which "bad boy" carve-out, if any, the borrower triggered.',
    ),
    money(
        "carve_out_loss",
        "Loss caused by the carve-out event",
        default="0",
        help="For loss recourse: the lender's loss caused by the bad act (for example diverted rents).",
    ),
    yes_no(
        "fair_value_limit",
        "Fair-value limit",
        default="no",
        help="Without a state: Yes where the law credits the greater of the sale price and the fair market "
        "value. With a state chosen, its law decides this instead.",
    ),
)

_NO_STATE: tuple[dict[str, tuple[str, ...]], ...] = ({"state": ("",)},)
REVEAL: dict[str, tuple[dict[str, tuple[str, ...]], ...]] = {
    **reveal_facts(_SALES, FACTS),
    "fair_market_value": (
        *reveal_facts(_SALES, ("fair_market_value",)).get("fair_market_value", ()),
        {"state": ("",), "fair_value_limit": ("yes",)},
    ),
    "fair_value_limit": _NO_STATE,
    "carve_out": ({"recourse": ("none",)},),
    "carve_out_loss": ({"recourse": ("none",), "carve_out": ("loss",)},),
}

CALCULATOR = Calculator(
    name="deficiency",
    title="Deficiency after repossession or foreclosure",
    summary="How sale proceeds are applied, the shortfall or surplus, and how much of a shortfall the "
    "lender can pursue under your state's law, recourse, non-recourse and carve-outs.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output("total_claim", "Total claim", OutputKind.MONEY),
        Output("deficiency", "Deficiency after the sale", OutputKind.MONEY),
        Output("surplus", "Surplus owed to the borrower", OutputKind.MONEY),
        Output("recoverable_deficiency", "Deficiency the law lets the lender pursue", OutputKind.MONEY),
        Output("borrower_exposure", "Borrower's personal exposure", OutputKind.MONEY),
        Output("lender_loss", "Loss the lender absorbs", OutputKind.MONEY),
        Output("state_rule", "The state's rule", OutputKind.PROSE),
        Output(
            "conditions",
            "What could lower it",
            OutputKind.ROWS,
            columns=(
                ("condition", "If", OutputKind.TEXT),
                ("amount", "You would owe", OutputKind.TEXT),
                ("citation", "Source", OutputKind.TEXT),
                ("level", "How it is known", OutputKind.TEXT),
            ),
            expanded=True,
        ),
        Output("steps", "How the sale proceeds were applied", OutputKind.STEPS),
        Output(
            "comparison",
            "Recourse compared with non-recourse",
            OutputKind.ROWS,
            columns=(
                ("scenario", "Scenario", OutputKind.TEXT),
                ("borrower_exposure", "Borrower's exposure", OutputKind.MONEY),
                ("lender_loss", "Lender's loss", OutputKind.MONEY),
            ),
        ),
    ),
    compute=_compute,
    source="UCC §9-615(a), (d); each state's statute, from the state-rules dataset.",
    reveal=REVEAL,
)
