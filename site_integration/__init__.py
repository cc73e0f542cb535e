"""Site integration: turns calculators into pages. Imports the core; the core never imports this."""
