"""Refuses to build networks on an ``autograd`` that is not chainrule's engine.

HIPS autograd uses the same import name. Installed after chainrule, its ``autograd/__init__.py``
replaces chainrule's and ``import autograd`` succeeds without complaint, loading the other project;
`require_chainrule_engine` notices (chainrule's engine marks itself with ``__distribution__``) and
raises the clear error of `autograd.distribution` instead of a puzzling one later. That module is
loaded from its file beside this package when ``autograd`` resolves to another directory entirely.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def require_chainrule_engine() -> None:
    """Import ``autograd`` and raise `autograd.distribution.ImportNameClash` if it is not chainrule's.

    Raises:
        ImportError: (an `ImportNameClash`) naming the distributions that share the name, and the fix.
    """
    import autograd

    if getattr(autograd, "__distribution__", None) == "chainrule":
        return
    distribution = _distribution_module()
    distribution.refuse(distribution.foreign_engine_error(autograd))


def _distribution_module() -> ModuleType:
    try:  # chainrule's file, still beside another project's __init__.py in the same directory
        from autograd import distribution
        return distribution
    except ImportError:  # `autograd` is another directory, found first on sys.path
        path = Path(__file__).resolve().parent.parent / "autograd" / "distribution.py"
        spec = importlib.util.spec_from_file_location("chainrule_distribution", path)
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
