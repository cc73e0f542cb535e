"""The plugin's options, typed (MkDocs validates them and names a wrong one):

.. code-block:: yaml

    plugins:
      - search
      - calculators:
          package: calculators   # the import package holding the site's Registry (run, CALCULATORS, ...)
          project: .             # the folder holding that package (and its pyproject.toml, if any)
          stall_seconds: 20      # how long a download may stay silent before the page says so
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CalculatorsConfig(base.Config):
    #: Off: the blocks render as a notice and nothing of the runtime is built (a quick preview).
    enabled = c.Type(bool, default=True)
    #: The import package the pages and the browser call (``package.run(name, inputs)``).
    package = c.Type(str, default="calculators")
    #: The folder holding ``package``; by default the folder of mkdocs.yml.
    project = c.Optional(c.Dir(exists=True))
    #: Where the pinned npm packages are (Pyodide, Workbox, uPlot); found from ``project`` upwards.
    node_modules = c.Optional(c.Dir(exists=True))
    #: The runtime's time limits in seconds (CONTRACT.md, "Page config"): a call's deadline, a
    #: stalled download, a silent boot and a snapshot restore. ``CALCULATORS_<NAME>_SECONDS`` in
    #: the environment overrides one (the test suites shorten them).
    call_seconds = c.Type((int, float), default=20)
    stall_seconds = c.Type((int, float), default=20)
    silence_seconds = c.Type((int, float), default=90)
    restore_seconds = c.Type((int, float), default=20)
