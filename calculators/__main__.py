"""Command line: ``python -m calculators list`` and ``python -m calculators run NAME field=value ...``.

Exit status: 0 on success, 2 on invalid input or usage (the JSON is still printed).
"""

from __future__ import annotations

import json
import sys

from . import describe, run

USAGE = """usage:
  python -m calculators list
  python -m calculators run NAME [field=value ...]"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["list"] and len(args) == 1:
        print(json.dumps(describe(), indent=2))
        return 0
    if len(args) >= 2 and args[0] == "run":
        inputs: dict[str, str] = {}
        for pair in args[2:]:
            key, sep, value = pair.partition("=")
            if not sep:
                print(f"error: expected field=value, got {pair!r}\n{USAGE}", file=sys.stderr)
                return 2
            inputs[key] = value
        result = run(args[1], inputs)
        print(json.dumps(result, indent=2))
        return 0 if result["ok"] else 2
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
