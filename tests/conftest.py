"""Test-wide settings.

Property tests run the same examples on every run (``derandomize``), so a suite that passed
passes again on a fresh clone. ``HYPOTHESIS_PROFILE=explore make test`` draws new examples
each run, to look for cases the fixed ones miss.
"""

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
