#!/usr/bin/env bash
# Print the path of a Python 3.13 interpreter (the version requirements.txt is locked for).
# Looks on PATH first, then in pyenv's versions folder, which this kind of machine has.
set -euo pipefail
for candidate in python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.13; do
  if path=$(command -v "$candidate" 2>/dev/null) && "$path" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "find_python: no Python 3.13 found (tried PATH and pyenv); install it, e.g. 'pyenv install 3.13'" >&2
exit 1
