"""chainrule as an installed distribution: its version, and who else provides its import names.

``__version__`` here is the one place the version is written: setup.cfg reads it when the package is
built, and ``autograd``, ``nn`` and ``homework`` all export it.

The engine's import name ``autograd`` is also the import name of HIPS autograd (a dependency of
lifelines and other packages). Two distributions that install ``autograd/`` into one environment
break each other silently: the one installed last overwrites the other's ``autograd/__init__.py``,
and uninstalling either deletes it. `check_import_name` finds another distribution that provides
``autograd`` and raises `ImportNameClash`, which names both and the fix; ``import autograd`` calls it
first thing, and nn calls `foreign_engine_error` when the ``autograd`` it imported is not chainrule's.

This module imports only the standard library and nothing of chainrule, so that nn can load it even
when another project's ``autograd/__init__.py`` has taken the place of chainrule's.

>>> others("autograd")
[]
"""

from __future__ import annotations

import os
import re
import sys

__version__ = "0.2.0"

DISTRIBUTION = "chainrule"
IMPORT_NAMES = ("autograd", "nn", "homework")


class ImportNameClash(ImportError):
    """Another installed distribution provides an import name of chainrule's (``autograd``)."""


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _mentions(dist_info: str, import_name: str) -> bool:
    """Whether a ``*.dist-info``/``*.egg-info`` directory says its distribution installs ``import_name``:
    its top_level.txt lists it or, without one, its file list has a file under it."""
    try:
        with open(os.path.join(dist_info, "top_level.txt"), encoding="utf-8") as f:
            return import_name in f.read().split()
    except OSError:
        pass
    for listing in ("RECORD", "installed-files.txt", "SOURCES.txt"):
        try:
            with open(os.path.join(dist_info, listing), encoding="utf-8") as f:
                text = "\n" + f.read().replace("\\", "/")
        except OSError:
            continue
        return any(f"\n{prefix}{import_name}{end}" in text
                   for prefix in ("", "../") for end in ("/", ".py,", ".py\n"))
    return False


def _name_of(dist_info: str) -> str:
    """The distribution's name from its metadata file (the directory's name is normalised by some tools)."""
    for metadata in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(dist_info, metadata), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("Name:"):
                        return line[5:].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return os.path.basename(dist_info).rsplit(".", 1)[0].split("-")[0]


def providers(import_name: str = "autograd") -> list[str]:
    """The installed distributions that provide ``import_name``, by name, sorted and without repeats.

    The same answer as ``importlib.metadata.packages_distributions()[import_name]`` gives on Python
    3.11 and later (3.10's reads only top_level.txt, which HIPS autograd's wheel does not have), found
    by reading only the metadata directories on ``sys.path`` (top_level.txt, else the file list):
    parsing every distribution's metadata would add a tenth of a second to every ``import autograd``
    in a large environment.
    """
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                path = os.path.join(entry or ".", name)
                if os.path.isdir(path) and _mentions(path, import_name):
                    found.add(_name_of(path))
    return sorted(found, key=_normalized)


def others(import_name: str = "autograd") -> list[str]:
    """The distributions other than chainrule that provide ``import_name``."""
    return [name for name in providers(import_name) if _normalized(name) != DISTRIBUTION]


def _described(name: str) -> str:
    return f"{name} (HIPS autograd)" if _normalized(name) == "autograd" else name


FIX = ("Fix: install chainrule in a virtual environment of its own (python3 -m venv ~/.venvs/chainrule && "
       "~/.venvs/chainrule/bin/pip install chainrule) and keep {others} in another. Uninstalling {others} from "
       "here also deletes the autograd/__init__.py they share: reinstall chainrule after it with "
       "`pip install --force-reinstall --no-deps chainrule`.")


def clash_message(other: list[str]) -> str:
    """What is wrong and how to fix it, when the distributions ``other`` also provide ``autograd``."""
    names = " and ".join(_described(n) for n in other)
    return (f"{DISTRIBUTION} {__version__} and {names} are installed here, and both provide the import name "
            f"`autograd`: the one installed last has overwritten the other's autograd/__init__.py, so they cannot "
            f"work side by side. " + FIX.format(others=" and ".join(other)))


def check_import_name() -> None:
    """Raise `ImportNameClash` if a distribution other than chainrule provides ``autograd``."""
    other = others("autograd")
    if other:
        refuse(ImportNameClash(clash_message(other)))


def refuse(error: ImportNameClash) -> None:
    """Raise ``error``; but in the ``chainrule`` command, whose console script imports the packages
    before any of its own code runs, print it as one line and exit with status 2 instead, as the
    command reports every other thing that must be fixed before it can run (no traceback)."""
    if os.path.basename((getattr(sys, "argv", None) or [""])[0]) == DISTRIBUTION:
        print(f"{DISTRIBUTION}: error: {error}", file=sys.stderr)
        raise SystemExit(2)
    raise error


def foreign_engine_error(module: object) -> ImportNameClash:
    """The error for an ``autograd`` module that is not chainrule's engine (``module`` is that module)."""
    where = getattr(module, "__file__", None)
    other = others("autograd")
    if where is None:  # a namespace package: no autograd/__init__.py is left at all
        return ImportNameClash(
            "chainrule's autograd/__init__.py is missing: uninstalling a distribution that also provides the "
            "import name `autograd` deletes it. Fix: `pip install --force-reinstall --no-deps chainrule`"
            + (f"; and see: {clash_message(other)}" if other else "."))
    if other:
        return ImportNameClash(f"`import autograd` loads {where}, which is not chainrule's engine. "
                               + clash_message(other))
    return ImportNameClash(
        f"`import autograd` loads {where}, which is not chainrule's engine: another package named autograd comes "
        f"first on sys.path. " + FIX.format(others="that package"))
