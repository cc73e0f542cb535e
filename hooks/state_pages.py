"""This site's own MkDocs hook: one page per jurisdiction, at ``states/<name>/``, generated from the
state-law dataset (``calculators.states``), never typed by hand.

Each page is a few lines of Markdown made here: its title and description, the ``/// state`` block
(what the state's law does to a reader, the deadlines, the next steps and where to get help:
:mod:`calculators.states.guide`, rendered by the generator's reference blocks) and the three
calculators preset to the state. The pages are not in the site's navigation (51 entries would bury
it): ``states/index.md`` and the state-law page link to each, with a picker and maps, and
``mkdocs.yml`` lists them under ``not_in_nav``.
"""

from __future__ import annotations

import json
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from calculators.states import CODES
from calculators.states.guide import state_page

FOLDER = "states"


def markdown(code: str) -> str:
    page = state_page(code)
    sale = page.usual_sale
    # The page's text names the state only where the engine wrote it (the site tests check that no
    # sentence here states a rule): the browser's title says what the page is about.
    return f"""---
title: "{page.name}: after a foreclosure or a repossession"
description: "{page.description}"
---

# {page.name}

/// state | {page.code}
///

## Work out your own numbers {{#calculators}}

### What you could still owe {{#deficiency}}

/// calculator | deficiency
title: What you could still owe
state: "{page.code}"
sale_type: "{sale}"
debt: "250,000"
sale_price: "200,000"
///

### Check the lender's letter {{#letter-check}}

/// calculator | deficiency-check
title: Check the lender's letter
state: "{page.code}"
///

### How much of your pay can be taken {{#garnishment}}

/// calculator | garnishment
title: How much of your pay can be taken
state: "{page.code}"
///
"""


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    """Add the 51 generated pages (they exist only in the build, like Material's own), and the
    names and page paths ``javascripts/your-state.js`` reads to name the navigation's entry."""
    index = {}
    for code in CODES:
        page = state_page(code)
        files.append(File.generated(config, f"{FOLDER}/{page.slug}.md", content=markdown(code)))
        index[code] = {"name": page.name, "path": f"{FOLDER}/{page.slug}/"}
    files.append(
        File.generated(config, "javascripts/states.json", content=json.dumps(index, separators=(",", ":")))
    )
    return files
