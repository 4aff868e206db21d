"""The ``chainrule`` command: worked solutions of problem files, and chain-rule explanations of formulas.

    chainrule solve [PROBLEM]          the whole worked solution (default: the built-in seed002)
    chainrule explain FORMULA NAME=VALUE ...
    chainrule problems                 list the built-in problems; `chainrule problems NAME` prints one
    chainrule doctor                   check what chainrule needs: Python, graphviz, fonts, TeX, ...
    chainrule --version                the version

Run ``chainrule COMMAND --help`` for the options. ``python -m homework`` is the same command. Each
subcommand lives in homework/commands/.

`main` is the one place where errors meet the user: a mistake in the input, a missing tool or an
unwritable path is one line on standard error naming what and how to fix it (exit status 2); an
error chainrule did not expect is a bug, reported as one (status 3, the traceback with ``--debug``
or ``CHAINRULE_DEBUG=1``); Ctrl-C stops quietly (status 130). The result goes to standard output,
everything else ("wrote …", notes) to standard error. Where standard output cannot encode the
symbols (a terminal that is not UTF-8), they are written in ASCII (W^1_21, d/dx) after a notice.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
import traceback
import unicodedata

from autograd.errors import ChainruleError
from autograd.expression import ExpressionError
from autograd import __version__
from homework.commands import check, doctor, explain, problems, sheet, solve
from homework.commands.options import UsageError
from homework.errors import ProblemError
from homework.output import OutputError, describe_os_error

COMMANDS = {"solve": solve, "explain": explain, "problems": problems, "doctor": doctor, "check": check, "sheet": sheet}

OK, WRONG_ANSWERS, BAD_INPUT, INTERNAL_ERROR, INTERRUPTED = 0, 1, 2, 3, 130
DEBUG_VARIABLE = "CHAINRULE_DEBUG"
EXIT_STATUS_HELP = f"""exit status:
  0    success
  1    answers found wrong (reserved for the answer checker)
  2    bad input or usage: a problem file, formula, option or path is wrong, or a
       needed program (dot, pdflatex) is missing; the message says what to fix
  3    internal error: a bug in chainrule; please report it with the output of --debug
  130  interrupted (Ctrl-C)

--debug (or {DEBUG_VARIABLE}=1) shows the traceback of an internal error."""

# What the user can fix: one line, exit status 2. Anything else is chainrule's own bug.
USER_ERRORS = (UsageError, ProblemError, ExpressionError, ChainruleError, OutputError)


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``chainrule`` and all its subcommands."""
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help=f"show the traceback of an internal error (or set {DEBUG_VARIABLE}=1)")
    p = argparse.ArgumentParser(
        prog="chainrule", description="Backpropagation worked out step by step, in your sheet's notation.",
        epilog=EXIT_STATUS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[debug])
    p.add_argument("--version", action="version", version=f"chainrule {__version__}")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only results and errors: no progress or informational lines on stderr")
    commands = p.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for module in COMMANDS.values():
        module.add_to(commands)
    for sub in commands.choices.values():  # `chainrule solve -q` as well as `chainrule -q solve`
        sub.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.epilog, sub.formatter_class = EXIT_STATUS_HELP, argparse.RawDescriptionHelpFormatter
    return p


# -- output encoding ---------------------------------------------------------------------------------

_ASCII = {"ℓ": "l", "∂": "d", "∇": "grad ", "·": "*", "−": "-", "×": "x", "÷": "/", "≈": "~", "≤": "<=", "≥": ">=",
          "≠": "!=", "←": "<-", "→": "->", "⊙": "(.)", "∈": " in ", "∑": "sum", "Σ": "sum", "√": "sqrt", "′": "'",
          "½": "1/2", "…": "...", "—": "--", "–": "-", "✓": "ok", "✗": "WRONG", "─": "-", "│": "|", "ᵀ": "^T",
          "“": '"', "”": '"', "‘": "'", "’": "'", "⁽": "^(", "⁾": ")", "₍": "_(", "₎": ")"}


def ascii_fallback(error: UnicodeEncodeError):
    """A codec error handler writing what a terminal cannot show in ASCII: W¹₂₁ → W^1_21, ℓ → l."""
    out, script = [], ""
    for c in error.object[error.start:error.end]:
        name = unicodedata.name(c, "")
        base = unicodedata.normalize("NFKD", c)
        kind = "^" if name.startswith(("SUPERSCRIPT", "MODIFIER LETTER SMALL")) else (
            "_" if name.startswith(("SUBSCRIPT", "LATIN SUBSCRIPT")) else "")
        if kind:  # a run of sub- or superscripts gets one mark: ₂₁ -> _21
            out.append(base if kind == script else kind + base)
            script = kind
            continue
        script = ""
        if c in _ASCII:
            out.append(_ASCII[c])
        elif name.startswith("GREEK"):
            out.append(name.split()[-1].lower() if "SMALL" in name else name.split()[-1].title())
        else:
            stripped = "".join(ch for ch in base if ch.isascii())
            out.append(stripped + ("_hat" if "\u0302" in base else "") if stripped else "?")
    return "".join(out), error.end


codecs.register_error("chainrule-ascii", ascii_fallback)


def _prepare(stream, is_stdout: bool) -> None:
    """UTF-8 into files and pipes; ASCII stand-ins (after a notice) on a terminal that is not UTF-8."""
    encoding = (getattr(stream, "encoding", None) or "utf-8")
    try:
        if codecs.lookup(encoding).name == "utf-8" or not hasattr(stream, "reconfigure"):
            return
    except LookupError:
        pass
    try:
        if not stream.isatty():
            stream.reconfigure(encoding="utf-8")
            return
        stream.reconfigure(errors="chainrule-ascii")
    except (OSError, ValueError):
        return
    if is_stdout:
        print(f"chainrule: note: this terminal's encoding ({encoding}) cannot show symbols such as ℓ, ∂ and W¹₂₁; "
              f"writing them in ASCII (W^1_21). Use a UTF-8 terminal, or set PYTHONIOENCODING=utf-8, for the "
              f"symbols themselves", file=sys.stderr)


# -- the error boundary ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see `EXIT_STATUS_HELP`)."""
    _prepare(sys.stderr, False)
    _prepare(sys.stdout, True)
    argv = sys.argv[1:] if argv is None else list(argv)
    name = "chainrule"
    debug = os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as e:  # --help, or a usage error argparse has already printed
            return e.code if isinstance(e.code, int) else BAD_INPUT
        name = f"chainrule {args.command}"
        debug = debug or getattr(args, "debug", False)
        status = COMMANDS[args.command].run(args)
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        print(f"\n{name}: interrupted; nothing more was written", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (`chainrule solve | head`): not an error
        _silence_stdout()
        return OK
    except USER_ERRORS as e:
        print(f"{name}: error: {e}", file=sys.stderr)
        return BAD_INPUT
    except OSError as e:  # a user's path: missing, not writable, a full disk
        print(f"{name}: error: {describe_os_error(e, 'writing the output')}", file=sys.stderr)
        return BAD_INPUT
    except RecursionError:
        if debug:
            traceback.print_exc()
        print(f"{name}: error: the input is nested too deeply to work through; make it smaller", file=sys.stderr)
        return BAD_INPUT
    except MemoryError:
        print(f"{name}: error: out of memory; make the input smaller", file=sys.stderr)
        return BAD_INPUT
    except Exception as e:  # noqa: BLE001 — everything else is a bug, and is reported as one
        if debug:
            traceback.print_exc()
        print(f"{name}: internal error: {type(e).__name__}: {e}\n"
              f"This is a bug in chainrule, please report it, with the command you ran and "
              f"{'the traceback above' if debug else 'the traceback that --debug (or ' + DEBUG_VARIABLE + '=1) shows'}.",
              file=sys.stderr)
        return INTERNAL_ERROR


def _silence_stdout() -> None:
    # Python flushes stdout once more at exit; point it at /dev/null so that no second error appears.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
