"""Shared test set-up.

Markers for tests that need a program or package outside Python's standard set-up: ``needs_dot``
(graphviz's ``dot``), ``needs_tex`` (``pdflatex``), ``needs_browser`` (a Chromium browser) and
``needs_kernel`` (a Jupyter kernel with nbclient). Each such test is skipped when its tool is missing,
except under CI=true, where a missing tool is a failure: .ci/run installs them all, so they must be
there. What counts as found is what ``chainrule doctor`` finds (homework/commands/doctor.py).

With CHAINRULE_TEST_INSTALLED=1 (set by .ci/run when it runs the tests of the unpacked sdist against
the installed wheel) the session stops at once if chainrule would be imported from the source tree.
"""

import functools
import os
import sys
from pathlib import Path

import pytest

import autograd
from homework.commands import doctor

ROOT = Path(__file__).resolve().parent.parent

NEEDS = {
    "needs_dot": (doctor.find_dot, "graphviz `dot`", "apt-get install graphviz fonts-dejavu-core"),
    "needs_tex": (doctor.find_tex, "TeX (pdflatex)", "apt-get install --no-install-recommends texlive-latex-base "
                  "texlive-latex-recommended texlive-fonts-recommended"),
    "needs_browser": (doctor.find_browser, "a Chromium browser", "apt-get install chromium"),
    "needs_kernel": (doctor.find_kernel, "a Jupyter kernel (ipykernel, jupyter_client, nbclient)",
                     "pip install -e '.[dev]'"),
}


@functools.lru_cache(maxsize=None)
def _found(marker: str) -> bool:
    return NEEDS[marker][0]() is not None


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_report_header(config):
    where = Path(autograd.__file__).resolve().parent.parent
    return f"chainrule {autograd.__version__} from {where} (Python {sys.version.split()[0]})"


def pytest_sessionstart(session):
    if os.environ.get("CHAINRULE_TEST_INSTALLED") == "1" and Path(autograd.__file__).resolve().is_relative_to(ROOT):
        pytest.exit(f"CHAINRULE_TEST_INSTALLED=1 but chainrule is imported from the source tree "
                    f"({autograd.__file__}); run pytest from outside it so the installed package is tested", 3)


def pytest_runtest_setup(item):
    for marker, (_, what, install) in NEEDS.items():
        if marker not in item.keywords or _found(marker):
            continue
        if under_ci():
            pytest.fail(f"{what} is required under CI=true: {install}")
        pytest.skip(f"{what} is not installed ({install})")
