"""Shared hypothesis strategies: raw text as a person might type it, and valid values."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

#: Valid money amounts in cents, as Decimals.
cents_amounts = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))


def money_text(amount: Decimal) -> st.SearchStrategy[str]:
    """The same amount written the ways a reader might: 25000, 25,000.00, $25,000 with spaces."""
    plain = f"{amount:.2f}"
    grouped = f"{amount:,.2f}"
    return st.sampled_from([plain, grouped, f"${grouped}", f"  {plain} ", f"${plain}"])


#: Hostile raw text, typed into every field by the fuzz test.
NASTY_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "0x10",
    "--5",
    "$",
    "%",
    ",",
    ".",
    "1,2,3",
    "1.2.3",
    "１２３",
    "٣",
    "1_000",
    "9" * 500,
    "-0",
    "+0",
    "$-5",
    "-$5",
    "5%",
    "yes",
    "no",
    "YES",
    "full",
    "none",
    "loss",
    "springing",
    "weekly",
    "monthly",
    "\x00",
    "\n",
    "1\n2",
    "1e3",
    "0.0000001",
    "99999999999999999999",
    "-99999999999",
    "1,000,000,000,000.01",
    "$1,000,000,000,000",
    "0.005",
    "NO",
)

#: Script-injection strings: typed into fields, the URL and the search box by the engines suite,
#: and into every field in Pyodide by the parity test. Each would set ``window.__xss`` if it ran.
HIT = "window.__xss=(window.__xss||0)+1"
INJECTIONS: tuple[str, ...] = (
    f"<script>{HIT}</script>",
    f'"><img src=x onerror="{HIT}">',
    f"'><svg onload={HIT}>",
    f"<img src=x onerror={HIT}>",
    f"javascript:{HIT}",
    f"</textarea></form><script>{HIT}</script>",
    f'{{{{constructor.constructor("{HIT}")()}}}}',
    f"${{{HIT}}}",
    f'<iframe srcdoc="<script>parent.{HIT}</script>"></iframe>',
    f"\u2028\u2029<script>{HIT}</script>",
    f"1<details open ontoggle={HIT}>",
    f'<a href="javascript:{HIT}">1,000</a>',
)
