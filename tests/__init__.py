"""The test suite (README, Development).

Imported before tests/conftest.py, so this runs before the project is: with
PYTHONDONTWRITEBYTECODE=1 (set on the team machine, as in the Docker image) every pytest
worker and every `python -m bot` subprocess compiled the project and the tests from source
again, a third of the suite's CPU. The suite keeps bytecode in __pycache__ (git-ignored)
and lets the processes it starts read and write it too.
"""

import os
import sys

sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
