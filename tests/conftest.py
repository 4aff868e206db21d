"""Shared test set-up: the `needs_dot` marker skips rendering tests without graphviz's `dot`,
except under CI=true, where a missing `dot` is a failure (CI installs it, so it must be there)."""

import os
import shutil

import pytest


def pytest_runtest_setup(item):
    if "needs_dot" not in item.keywords or shutil.which("dot"):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("graphviz `dot` is required under CI=true: apt-get install graphviz fonts-dejavu-core")
    pytest.skip("graphviz `dot` is not installed (Debian: apt-get install graphviz fonts-dejavu-core)")
