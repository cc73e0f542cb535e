"""Wage garnishment: how much of a paycheck a deficiency judgment can take, and for how long.

The federal limit for an ordinary debt (15 U.S.C. §1673(a); DOL Fact Sheet
#30) is, per pay period, the *lesser* of

1. 25 % of disposable earnings, and
2. disposable earnings above a protected floor of ``multiple * $7.25``, the
   federal minimum hourly wage (29 U.S.C. §206(a)(1)(C), in force since
   July 24, 2009), never below zero.

The statute states the floor for a week (30 times the minimum wage);
29 CFR §870.10 carries it to longer pay periods by counting a month as
4 1/3 weeks, which gives these multiples:

============  ========  ==========
pay period    multiple  floor
============  ========  ==========
weekly        30        $217.50
biweekly      60        $435.00
semimonthly   65        $471.25
monthly       130       $942.50
============  ========  ==========

A stricter state cap (``state_limit_percent``, a percent of disposable
earnings) lowers the result further when given; the federal figure stays
the ceiling (15 U.S.C. §1677 lets the stricter law govern). The 25 % and the
state percent are ceilings, so they are rounded *down* to the cent
(``ROUND_FLOOR``): rounding half-up could take half a cent more than the law
allows.

Payoff. Post-judgment interest accrues on the unpaid balance each pay period
at ``annual_interest_rate / periods_per_year`` (52, 26, 24 or 12 periods a
year), rounded half-up to cents per period; then that period's garnishment
is applied, interest first. Each period::

    interest = cents(balance * annual_rate / 100 / periods_per_year)
    paid     = min(max_garnishment, balance + interest)
    balance  = balance + interest - paid

Because the garnishment always covers the interest while the balance falls,
no interest is charged on interest. If a period's interest is at least the
garnishment, the balance can never fall, so the judgment is never paid
(``periods_to_satisfy`` is ``"never"`` and ``note`` says why). The same
answer is given when payoff would take more than 100 years of pay periods.
In both never cases ``total_paid`` is what the garnishment takes over those
100 years.

**A state's rule.** With ``state`` chosen, the state's verified caps from
:mod:`calculators.states` are applied on top of the federal limit, and the
result is the lesser of all of them (15 U.S.C. §1677: the stricter law wins).
Each cap is one of these shapes, per pay period:

* ``percent``: ``percent`` of disposable or of gross earnings;
* ``excess``: ``share`` percent of the earnings above ``weekly_hours`` times a
  minimum wage a week (the federal one; the higher of federal and state; or
  the highest of federal, state and the reader's local rate);
* ``floor``: the same above a fixed dollar amount a week;
* ``tiers``: graduated percents of earnings, with bracket bounds stated a month
  (or a week);
* ``exempt``: nothing (used with a condition, such as head of family).

A cap may apply only to heads of family (or only to others), or only above or
below a weekly gross pay; a per-dependent amount may raise a protected floor.
Weekly figures are carried to other pay periods as 29 CFR §870.10 does (a
month is 4 1/3 weeks: biweekly x2, semimonthly x13/6, monthly x13/3), and
monthly bracket bounds by 12 / periods a year. Protected floors are rounded
*up* to the cent and ceilings *down*, so rounding never takes more than the
law allows. A state that exempts wages from ordinary consumer-debt
garnishment gives 0.00. A cap on gross pay needs ``gross_earnings``; asking
for it is an input error that names the field.

Only verified cells are applied. Where the state's exemption or one of its
caps is unverified, the result uses the federal limit and ``state_rule``
says so. A state minimum wage that is not verified is still used (it is the
best figure known) and ``state_rule`` flags it; ``local_minimum_wage`` lets a
reader enter a higher rate where the state's rule counts local rates.

Not modelled: support orders, bankruptcy and tax levies (other limits, see
§1673(b)), several garnishments at once, changes in pay or in the minimum
wage, hardship claims a court may grant, and court costs added to the
judgment. Parts of a state's rule the shapes cannot express are named in
``state_rule``.

>>> limit = max_garnishment(Decimal("580"), PayPeriod.BIWEEKLY, None)
>>> limit.protected, limit.amount      # 25% of 580 = 145.00 < 580 - 435 = 145.00
(Decimal('435.00'), Decimal('145.00'))
>>> repay(Decimal("300"), Decimal("0"), Decimal("145.00"), PayPeriod.BIWEEKLY).periods
3
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from calckit.fields import Chart, InputError, Output, OutputKind, choice, fact, integer, money, percent
from calckit.money import CENT, WIDE, ZERO, cents, dollars
from calckit.registry import Calculator

from .domain import Step
from .state_law import reveal_facts
from .states import NAMES, Cap, Jurisdiction, jurisdiction, today
from .states.engine import FEDERAL_MINIMUM_WAGE, CapCase, cap_amount, cap_cases, level_words, weakest
from .states.facts import Facts, replace_range

__all__ = [
    "CALCULATOR",
    "FEDERAL_MINIMUM_WAGE",
    "Limit",
    "PayPeriod",
    "Payoff",
    "max_garnishment",
    "repay",
]

#: 15 U.S.C. §1673(a)(1): at most 25 per cent of disposable earnings.
FEDERAL_PERCENT = Decimal(25)
#: Payoff simulations stop after this many years of pay periods.
CAP_YEARS = 100
NEVER = "never"
_HUNDRED = Decimal(100)


class PayPeriod(enum.Enum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"

    @property
    def multiple(self) -> int:
        """Hours of federal minimum wage protected per period (29 CFR §870.10: a month is 4 1/3 weeks)."""
        return {"weekly": 30, "biweekly": 60, "semimonthly": 65, "monthly": 130}[self.value]

    @property
    def per_year(self) -> int:
        return {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}[self.value]

    @property
    def weeks(self) -> Decimal:
        """Weeks in one pay period, as 29 CFR §870.10 counts them (a month is 4 1/3 weeks)."""
        return WIDE.divide(Decimal(self.multiple), Decimal(30))


@dataclass(frozen=True)
class Limit:
    """The most one pay period's garnishment may take, and how it was reached."""

    disposable_earnings: Decimal
    protected: Decimal  # multiple * minimum wage: never garnished
    above_protected: Decimal  # max(0, earnings - protected)
    federal_percent_cap: Decimal  # 25 % of earnings, rounded down
    state_cap: Decimal | None  # state percent of earnings, rounded down
    amount: Decimal  # the lesser of all of the above


@dataclass(frozen=True)
class Year:
    """One year of garnishment: what was paid, the interest charged and the balance at its end."""

    year: int
    paid: Decimal
    interest: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Payoff:
    """Repayment of a judgment by garnishment; ``periods`` is ``None`` when never paid."""

    periods: int | None
    total_paid: Decimal
    never_reason: str  # "" when paid, else "nothing", "interest" or "cap"
    first_interest: Decimal
    yearly: tuple[Year, ...]


def _floor_cents(value: Decimal) -> Decimal:
    """Round down to the cent: a legal ceiling must not be exceeded by rounding."""
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def max_garnishment(
    disposable_earnings: Decimal, pay_period: PayPeriod, state_limit_percent: Decimal | None
) -> Limit:
    """The per-period limit of 15 U.S.C. §1673(a), optionally capped by a state percent.

    >>> max_garnishment(Decimal("500"), PayPeriod.WEEKLY, None).amount     # 25% (125) < 500 - 217.50
    Decimal('125.00')
    >>> max_garnishment(Decimal("250"), PayPeriod.WEEKLY, None).amount     # 250 - 217.50 < 25% (62.50)
    Decimal('32.50')
    >>> max_garnishment(Decimal("500"), PayPeriod.WEEKLY, Decimal("10")).amount
    Decimal('50.00')
    """
    protected = cents(FEDERAL_MINIMUM_WAGE * pay_period.multiple)  # exact: 217.50, 435.00, 471.25, 942.50
    above = max(ZERO, disposable_earnings - protected)
    federal_cap = _floor_cents(WIDE.divide(WIDE.multiply(disposable_earnings, FEDERAL_PERCENT), _HUNDRED))
    state_cap = (
        None
        if state_limit_percent is None
        else _floor_cents(WIDE.divide(WIDE.multiply(disposable_earnings, state_limit_percent), _HUNDRED))
    )
    amount = min(above, federal_cap, federal_cap if state_cap is None else state_cap)
    return Limit(disposable_earnings, protected, above, federal_cap, state_cap, amount)


def repay(
    judgment: Decimal, annual_interest_rate: Decimal, per_period: Decimal, pay_period: PayPeriod
) -> Payoff:
    """Garnish ``per_period`` every period until the judgment and its interest are paid.

    >>> p = repay(Decimal("1000"), Decimal("12"), Decimal("100"), PayPeriod.MONTHLY)
    >>> p.periods, p.total_paid        # interest 10.00 + 9.10 + 8.19 + ... + 0.58 = 58.98
    (11, Decimal('1058.98'))
    >>> repay(Decimal("1000"), Decimal("12"), Decimal("10"), PayPeriod.MONTHLY).never_reason
    'interest'
    """
    cap_periods = CAP_YEARS * pay_period.per_year
    rate = WIDE.divide(annual_interest_rate, _HUNDRED * pay_period.per_year)
    first_interest = cents(WIDE.multiply(judgment, rate))
    if per_period <= 0 or (first_interest >= per_period and judgment + first_interest > per_period):
        # Interest alone eats the whole garnishment, so the balance never falls.
        reason = "nothing" if per_period <= 0 else "interest"
        return Payoff(None, per_period * cap_periods, reason, first_interest, ())
    balance = judgment
    total = ZERO
    yearly: list[Year] = []
    year_paid = year_interest = ZERO
    period = 0
    while balance > 0 and period < cap_periods:
        period += 1
        interest = cents(WIDE.multiply(balance, rate))  # simple interest for one period, rounded per period
        paid = min(per_period, balance + interest)
        balance = balance + interest - paid
        total += paid
        year_paid += paid
        year_interest += interest
        if balance == 0 or period % pay_period.per_year == 0:
            yearly.append(Year((period - 1) // pay_period.per_year + 1, year_paid, year_interest, balance))
            year_paid = year_interest = ZERO
    if balance > 0:
        return Payoff(None, per_period * cap_periods, "cap", first_interest, tuple(yearly))
    return Payoff(period, total, "", first_interest, tuple(yearly))


@dataclass(frozen=True)
class StateLimit:
    """A state's effect on one pay period's garnishment, from the state-law engine."""

    amount: Decimal | None  # the state's own limit, or None where nothing state-specific applies
    steps: tuple[Step, ...]  # each cap that applies, with the amount it allows
    sentence: str
    conditions: tuple[tuple[str, str, str, str], ...]  # (condition, amount, citation, level)


def _cited(cap_source: Any) -> str:
    return f"({cap_source.cite}; {level_words(cap_source.level)}, checked {cap_source.checked_on})"


Applied = list[tuple[Cap, Decimal, str]]  # each cap of a case, what it allows, and in words


def _lower_cases(
    j: Jurisdiction, facts: Facts, cases: list[CapCase], results: list[tuple[Decimal, Applied]], top: Decimal
) -> list[tuple[str, str, str, str]]:
    """One condition per amount below ``top``: the case that assumes least to reach it, with the
    citations and the weakest source level of what it assumes."""
    lowest: dict[Decimal, tuple[CapCase, Applied]] = {}
    for case, (amount, applied) in zip(cases, results, strict=True):
        if amount < top and (
            amount not in lowest or len(case.assumes(facts)) < len(lowest[amount][0].assumes(facts))
        ):
            lowest[amount] = (case, applied)
    rows = []
    for amount, (case, applied) in sorted(lowest.items()):
        lowering = next((cap for cap, a, _ in applied if a == amount), None)
        sources = [] if lowering is None else [lowering.source]
        for law in case.laws():
            sources.append(j.minimum_wage.source if law == "minimum-wage" else j.rule(law).source)
        sources = sources or [j.minimum_wage.source]
        said = "; ".join(a[:1].upper() + a[1:] for a in case.assumes(facts))
        cites = "; ".join(dict.fromkeys(src.cite for src in sources))
        rows.append((said, dollars(amount), cites, weakest(src.level for src in sources)))
    return rows


def _sentence(j: Jurisdiction, applied: Applied, wage_used: tuple[dt.date, Decimal] | None) -> str:
    if not applied:
        base = j.garnishment.text or "no limit of the state's own is known on your answers"
        return (
            f"{j.name}: {base.rstrip('.')} {_cited(j.garnishment.source)}. "
            "The results use the federal limit (15 U.S.C. §1673(a))."
        )
    rules = "; ".join(f"{what} {_cited(cap.source)}" for cap, _, what in applied)
    sentence = f"{j.name}: a garnishment may take no more than the least of: {rules}; and never more than the federal limit."
    if wage_used is not None:
        start, rate = wage_used
        sentence += (
            f" It uses {j.name}'s minimum wage of {dollars(rate)} an hour (from {start.isoformat()}; "
            f"{j.minimum_wage.source.cite}; {level_words(j.minimum_wage.source.level)})."
        )
    notes = [cap.unmodelled for cap, _, _ in applied if cap.unmodelled]
    if notes:
        sentence += f" Not modelled: {' '.join(notes)}"
    return sentence


def state_limit(
    code: str,
    period: PayPeriod,
    disposable: Decimal,
    *,
    gross: Decimal | None,
    reader: Facts,
    dependents: int,
    local_minimum_wage: Decimal | None,
    federal: Decimal,
) -> StateLimit:
    """The state's own limit for one pay period: the highest that any case of its caps allows
    on the reader's answers (:func:`calculators.states.engine.cap_cases`), the caps of that case
    as steps, and every case that would allow less as a condition.

    A cap that needs gross pay when none was entered cannot lower the figure; it becomes a
    condition that asks for it. ``federal`` is the federal limit, the ceiling of every case.
    """
    j = jurisdiction(code)
    wage_rate = j.minimum_wage.on(today())
    needs_gross: dict[str, Cap] = {}

    def hourly(cap: Cap, state_wage: bool) -> Decimal:
        wage = FEDERAL_MINIMUM_WAGE
        if cap.wage in ("state", "local") and state_wage and wage_rate is not None:
            wage = max(wage, wage_rate[1])
        if cap.wage == "local" and local_minimum_wage is not None:
            wage = max(wage, local_minimum_wage)
        return wage

    def evaluate(case: CapCase) -> tuple[Decimal, Applied]:
        applied = []
        for cap in case.caps:
            found = cap_amount(
                cap,
                period=period.value,
                weeks=period.weeks,
                per_year=period.per_year,
                disposable=disposable,
                gross=gross,
                dependents=dependents,
                wage=hourly(cap, case.state_wage),
            )
            if found is None:
                needs_gross[cap.id] = cap
            else:
                applied.append((cap, *found))
        return min([federal, *(amount for _, amount, _ in applied)]), applied

    facts = (
        reader if gross is None else replace_range(reader, "gross_weekly", WIDE.divide(gross, period.weeks))
    )
    cases = cap_cases(code, facts)
    results = [evaluate(case) for case in cases]
    top = max(amount for amount, _ in results)
    # The case that allows the most; of several, the one that assumes least.
    index = min(
        (i for i, (a, _) in enumerate(results) if a == top), key=lambda i: len(cases[i].assumes(facts))
    )
    case, (amount, applied) = cases[index], results[index]
    conditions = _lower_cases(j, facts, cases, results, top)
    for cap in needs_gross.values():
        row = (
            cap.summary.rstrip("."),
            "less: enter your gross pay to see",
            cap.source.cite,
            cap.source.level,
        )
        if row not in conditions:
            conditions.append(row)
    counts_wage = any(cap.kind == "excess" and cap.wage != "federal" for cap, _, _ in applied)
    sentence = _sentence(j, applied, wage_rate if counts_wage and case.state_wage else None)
    assumed = case.assumes(facts)
    if assumed:
        sentence += f" This assumes: {'; '.join(assumed)}."
    if conditions:
        sentence += " It could be lower: see what could lower it."
    steps = tuple(Step(f"{j.name}'s limit, {what} ({cap.source.citation})", a) for cap, a, what in applied)
    return StateLimit(amount if applied else None, steps, sentence, tuple(conditions))


def _steps(
    limit: Limit, pay_period: PayPeriod, state_limit_percent: Decimal | None, state: StateLimit | None
) -> tuple[list[Step], Decimal]:
    """From disposable earnings down to the most one pay period may take; returns the steps and the result."""
    steps = [
        Step("Disposable earnings this pay period", limit.disposable_earnings),
        Step(
            f"Protected: {pay_period.multiple} x ${FEDERAL_MINIMUM_WAGE} federal minimum wage "
            f"(up to {dollars(limit.protected)})",
            -min(limit.disposable_earnings, limit.protected),
        ),
    ]
    running = limit.above_protected
    if limit.federal_percent_cap < running:
        steps.append(Step("Cut to 25% of disposable earnings", limit.federal_percent_cap - running))
        running = limit.federal_percent_cap
    if state is not None:
        for step in state.steps:
            if step.amount < running:
                # The stricter state law governs (15 U.S.C. §1677).
                steps.append(Step(step.label, step.amount - running))
                running = step.amount
    if limit.state_cap is not None and limit.state_cap < running:
        pct = f"{(state_limit_percent or ZERO).normalize():f}"
        steps.append(
            Step(f"Cut to the state limit of {pct}% of disposable earnings", limit.state_cap - running)
        )
        running = limit.state_cap
    return steps, running


def _note(payoff: Payoff, amount: Decimal, pay_period: PayPeriod) -> str:
    period_name = f"{pay_period.value} pay period"
    if payoff.never_reason == "nothing":
        return (
            "Nothing can be garnished: disposable earnings are at or below the protected amount, or the "
            "state's law protects all of them. The judgment is never paid this way."
        )
    if payoff.never_reason == "interest":
        return (
            f"Never paid: the first {period_name}'s interest ({dollars(payoff.first_interest)}) is at least the "
            f"{dollars(amount)} garnished, so the balance never falls. Total paid is what {CAP_YEARS} years "
            "of garnishment would take."
        )
    if payoff.never_reason == "cap":
        return (
            f"Never paid within {CAP_YEARS} years: the garnishment only just outpaces the interest. "
            f"Total paid is what {CAP_YEARS} years of garnishment would take."
        )
    years = Decimal(payoff.periods or 0) / pay_period.per_year
    return f"Paid off after {payoff.periods} {period_name}s (about {years:.1f} years)."


_FEDERAL_RULE = (
    "No state rule applied: the federal limit of 15 U.S.C. §1673(a). Choose a state to apply its own, "
    "often stricter, limit."
)


def _compute(
    *,
    disposable_earnings: Decimal,
    pay_period: str,
    judgment: Decimal,
    annual_interest_rate: Decimal,
    state_limit_percent: Decimal | None,
    state: str | None,
    gross_earnings: Decimal | None,
    head_of_family: str,
    dependents: int,
    local_minimum_wage: Decimal | None,
) -> dict[str, Any]:
    period = PayPeriod(pay_period)
    if gross_earnings is not None and gross_earnings < disposable_earnings:
        raise InputError(
            "gross_earnings",
            f"Gross earnings per pay period must be at least the disposable earnings "
            f"({dollars(disposable_earnings)}): disposable pay is what is left of gross pay.",
        )
    limit = max_garnishment(disposable_earnings, period, state_limit_percent)
    rules = None
    if state is not None:
        rules = state_limit(
            state,
            period,
            disposable_earnings,
            gross=gross_earnings,
            reader=Facts.of(head_of_family=head_of_family),
            dependents=dependents,
            local_minimum_wage=local_minimum_wage,
            federal=min(limit.above_protected, limit.federal_percent_cap),
        )
    steps, amount = _steps(limit, period, state_limit_percent, rules)
    payoff = repay(judgment, annual_interest_rate, amount, period)
    payday = f"{period.value} paycheck".replace("biweekly", "every-two-weeks").replace(
        "semimonthly", "twice-a-month"
    )
    headline = (
        f"Nothing can be taken from your {payday}"
        if amount == 0
        else f"At most {dollars(amount)} of each {payday} can be garnished"
    )
    return {
        "headline": headline,
        "max_garnishment": amount,
        "protected_amount": limit.protected,
        "periods_to_satisfy": NEVER if payoff.periods is None else str(payoff.periods),
        "total_paid": payoff.total_paid,
        "note": _note(payoff, amount, period),
        "state_rule": _FEDERAL_RULE if rules is None else rules.sentence,
        "conditions": [
            {"condition": c, "amount": a, "citation": cite, "level": level}
            for c, a, cite, level in (rules.conditions if rules else ())
        ],
        "steps": steps,
        "timeline": payoff.yearly,
    }


FIELDS = (
    money(
        "disposable_earnings",
        "Disposable earnings per pay period",
        default="1,200",
        help="Pay after the deductions the law requires (taxes, Social Security); voluntary deductions stay in.",
    ),
    choice(
        "pay_period",
        "Pay period",
        default="biweekly",
        choices={
            "weekly": "Weekly",
            "biweekly": "Every two weeks",
            "semimonthly": "Twice a month",
            "monthly": "Monthly",
        },
        help="How often you are paid; the protected amount depends on it.",
    ),
    money(
        "judgment",
        "Deficiency judgment",
        default="12,000",
        minimum="1",
        help="The amount the court awarded the lender.",
    ),
    percent(
        "annual_interest_rate",
        "Post-judgment interest rate",
        default="9",
        help="The yearly rate set by state law or the judgment, as a percent number.",
    ),
    percent(
        "state_limit_percent",
        "State limit (optional)",
        default="",
        maximum="25",
        required=False,
        help="A percent of disposable earnings you know your state allows, where this site's state data "
        "lacks it or you have a court order. Leave empty to use the federal and state rules only.",
    ),
    choice(
        "state",
        "State",
        default="",
        required=False,
        remember=True,
        empty_label="No state rule (federal limit)",
        choices=NAMES,
        help="Where you work. Its law may protect more of your pay than the federal limit.",
    ),
    money(
        "gross_earnings",
        "Gross earnings per pay period",
        default="",
        required=False,
        help="Pay before any deductions. Needed where the state's limit is a share of gross pay.",
    ),
    fact(
        "head_of_family",
        "Head of family",
        choices={"yes": "Yes", "no": "No"},
        help="Yes if you provide more than half the support of a child or other dependent; some states protect more.",
    ),
    integer(
        "dependents",
        "Dependents",
        default="0",
        minimum=0,
        maximum=20,
        help="People you support; a few states protect a fixed amount for each.",
    ),
    money(
        "local_minimum_wage",
        "Local minimum wage (optional)",
        default="",
        required=False,
        maximum="100",
        help="An hourly rate higher than the state's where you work (a city, a county, a New York region), "
        "used where the state's rule counts it.",
    ),
)

CALCULATOR = Calculator(
    name="garnishment",
    title="Wage garnishment for a deficiency judgment",
    summary="The most a creditor can take from each paycheck under federal and state law, and how long the "
    "judgment takes to pay.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output("max_garnishment", "Most that can be garnished per pay period", OutputKind.MONEY),
        Output("protected_amount", "Protected by federal law per pay period", OutputKind.MONEY),
        Output(
            "periods_to_satisfy",
            "Pay periods to pay the judgment",
            OutputKind.TEXT,
            help='A number, or "never".',
        ),
        Output("total_paid", "Total garnished", OutputKind.MONEY),
        Output("note", "What this means", OutputKind.PROSE),
        Output("state_rule", "The state's rule", OutputKind.PROSE),
        Output(
            "conditions",
            "What could lower it",
            OutputKind.ROWS,
            columns=(
                ("condition", "If", OutputKind.TEXT),
                ("amount", "At most, per pay period", OutputKind.TEXT),
                ("citation", "Source", OutputKind.TEXT),
                ("level", "How it is known", OutputKind.TEXT),
            ),
            expanded=True,
        ),
        Output("steps", "The per-period limit, step by step", OutputKind.STEPS),
        Output(
            "timeline",
            "Year by year",
            OutputKind.ROWS,
            columns=(
                ("year", "Year", OutputKind.INTEGER),
                ("paid", "Garnished", OutputKind.MONEY),
                ("interest", "Interest", OutputKind.MONEY),
                ("balance", "Balance at year end", OutputKind.MONEY),
            ),
            chart=Chart(
                title="Paying off the judgment: the balance each year, and what garnishment and interest add up to",
                x="year",
                lines=("balance",),
                bars=("paid", "interest"),
            ),
        ),
    ),
    compute=_compute,
    source="15 U.S.C. §1673(a), §1677; 29 CFR §870.10; U.S. Department of Labor, Fact Sheet #30; each "
    "state's statute, from the state-rules dataset.",
    reveal=reveal_facts(
        ("garnishment",),
        ("gross_earnings", "head_of_family", "dependents", "local_minimum_wage"),
        sale_field=None,
    ),
)
