"""Formulas typed as text, such as ``relu(z) + sin(z)`` or ``q = x + y; f = q * z``, turned into Value
computations — parsed with a whitelist, never evaluated by Python.

Allowed: numbers, variable names, ``+ - * / **``, unary ``-``, parentheses, the functions in
`FUNCTIONS`, the constants ``pi`` and ``e``, and assignments ``name = formula`` separated by ``;`` or
new lines (each assignment names a node, so printouts show it). The last statement is the result.

Formulas are read and computed without recursion, so a sum of two thousand terms or a thousand nested
minus signs works; a formula longer than `MAX_LENGTH` characters, or nested deeper than `MAX_DEPTH`
operations inside one another (an activation: `MAX_ACTIVATION_DEPTH`), is refused with an
`ExpressionError` that says so. The limits are chainrule's own, so a formula is accepted or refused
the same way on every Python version (Python's own parser gives up at different depths: 3.11 near
3,000 terms of one sum, 3.10 and 3.13 far later).

>>> f = parse("q = x + y; f = q * z")
>>> from autograd import Value
>>> out = f.evaluate(x=Value(-2.0, "x"), y=Value(5.0, "y"), z=Value(-4.0, "z"))
>>> out.data, out.label
(-12.0, 'f')
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Callable, Mapping

from autograd.coerce import as_float
from autograd.nary import maximum, minimum
from autograd.value import Value

FUNCTIONS: dict[str, Callable[..., Value]] = {
    "relu": Value.relu, "sigmoid": Value.sigmoid, "tanh": Value.tanh, "exp": Value.exp, "log": Value.log,
    "sin": Value.sin, "cos": Value.cos, "sqrt": Value.sqrt, "abs": Value.abs, "softplus": Value.softplus,
    "max": maximum, "min": minimum,
}
# Functions of two or more arguments; max(a, b, c) is max(max(a, b), c). The rest take one.
SEVERAL_ARGUMENTS = frozenset({"max", "min"})
CONSTANTS = {"pi": math.pi, "e": math.e}
MAX_LENGTH = 100_000  # characters
MAX_DEPTH = 2_000  # operations inside one another; a sum of n terms is n - 1 deep
# An activation is differentiated symbolically and typeset, which walks its tree recursively.
MAX_ACTIVATION_DEPTH = 100
_TOO_DEEP = ("the formula is nested too deeply to read ({depth}; at most {limit:,} operations inside one "
             "another: parentheses, signs, calls, or the terms of one long sum); name parts of it with "
             "NAME = ... steps")

_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}


class ExpressionError(ValueError):
    """A formula could not be read; the message points at the offending part and says what is allowed."""


def _fail(source: str, node: ast.AST | None, message: str) -> ExpressionError:
    if node is None or not hasattr(node, "col_offset"):
        return ExpressionError(f"{message}\n  in: {source}")
    lines = source.splitlines() or [""]
    line, column = lines[node.lineno - 1], node.col_offset
    if len(line) > 100:  # show the part around the mark
        start = max(0, column - 40)
        line, column = ("…" if start else "") + line[start:start + 80] + "…", column - start + (1 if start else 0)
    caret = " " * column + "^"
    return ExpressionError(f"{message}\n  {line}\n  {caret}")


@dataclass(frozen=True)
class Expression:
    """A parsed, checked formula. ``variables`` are its free names, in order of first use."""

    source: str
    statements: tuple
    variables: tuple[str, ...]

    def evaluate(self, values: Mapping[str, object] | None = None, **named: object) -> Value:
        """Compute the formula on Values (or numbers) given for its variables.

        Raises:
            ExpressionError: a variable has no value, or a name is given that the formula does not use.
        """
        env: dict[str, object] = dict(values or {}, **named)
        missing = [v for v in self.variables if v not in env]
        if missing:
            raise ExpressionError(
                f"no value for {', '.join(missing)} in {self.source!r}; give each as NAME=NUMBER")
        unknown = [k for k in env if k not in self.variables]
        if unknown:
            raise ExpressionError(
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not used in {self.source!r} "
                f"(its variables: {', '.join(self.variables) or 'none'})")
        result: object = None
        for target, tree in self.statements:
            result = _evaluate(tree, env)
            if target is not None:
                if not isinstance(result, Value):
                    result = Value(result)  # a named constant is a leaf
                result = result.named(target) if not result.label or result.label == target else _alias(result, target)
                env[target] = result
        if not isinstance(result, Value):
            result = Value(as_float(result))
        return result

    def __call__(self, *args: object) -> Value:
        """Call with positional values in the order of ``variables``: ``parse("relu(z)")(z)``."""
        if len(args) != len(self.variables):
            raise ExpressionError(
                f"{self.source!r} takes {len(self.variables)} value(s) ({', '.join(self.variables)}), got {len(args)}")
        return self.evaluate(dict(zip(self.variables, args)))


def _alias(node: Value, name: str) -> Value:
    # `b = a` must not rename a: the new name gets its own node (a + 0 keeps value and gradient)
    return (node + 0.0).named(name)


def _children(tree: ast.AST) -> list:
    if isinstance(tree, ast.BinOp):
        return [tree.left, tree.right]
    if isinstance(tree, ast.UnaryOp):
        return [tree.operand]
    if isinstance(tree, ast.Call):
        return list(tree.args)
    return []


def _evaluate(tree: ast.AST, env: Mapping[str, object]):
    # Post-order with an explicit stack: a formula of any depth, at the default recursion limit.
    results: list = []
    stack = [(tree, False)]
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, ast.Constant):
            results.append(float(node.value))
        elif isinstance(node, ast.Name):
            results.append(env[node.id] if node.id in env else CONSTANTS[node.id])
        elif not children_done:
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(_children(node)))
        elif isinstance(node, ast.BinOp):
            right, left = results.pop(), results.pop()
            if not isinstance(left, Value) and not isinstance(right, Value):
                results.append(float(_BINARY[type(node.op)](Value(left), right).data))  # constant folding, same checks
            else:
                results.append(_BINARY[type(node.op)](left, right))
        elif isinstance(node, ast.UnaryOp):
            results.append(_UNARY[type(node.op)](results.pop()))
        else:  # a whitelisted function call, checked by parse()
            n = len(node.args)
            args = results[-n:]
            del results[-n:]
            results.append(_call(node.func.id, args))
    return results[0]


def _call(name: str, args: list):
    if name in SEVERAL_ARGUMENTS:
        result = FUNCTIONS[name](*args)
        return result if isinstance(result, Value) else float(result)
    arg, = args
    return FUNCTIONS[name](arg if isinstance(arg, Value) else Value(arg))


def parse(source: str, *, max_depth: int = MAX_DEPTH) -> Expression:
    """Parse and check a formula; see the module docstring for what is allowed.

    `max_depth` bounds how many operations may sit inside one another (see `MAX_DEPTH`).

    Raises:
        ExpressionError: the text is not a formula of that kind; the message marks where and why.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError(f"a formula must be non-empty text such as 'relu(z) + sin(z)', got {source!r}")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the formula is too large: {len(source):,} characters, at most {MAX_LENGTH:,}; "
                              f"name parts of it with NAME = ... steps, or make it smaller")
    try:
        module = ast.parse(source.strip(), mode="exec")
    except SyntaxError as e:
        shown = source if len(source) <= 80 else source[:60] + "…"
        raise ExpressionError(f"cannot read the formula {shown!r}: {e.msg} at column {e.offset}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(_TOO_DEEP.format(depth="deeper than Python's parser reads", limit=max_depth)) \
            from None
    text = source.strip()
    statements = []
    variables: list[str] = []
    assigned: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                raise _fail(text, stmt, "an assignment names one node: NAME = formula")
            target = stmt.targets[0].id
            _check(text, stmt.value, variables, assigned, max_depth)
            if target in FUNCTIONS or target in CONSTANTS:
                raise _fail(text, stmt.targets[0], f"{target!r} is a built-in name; choose another name")
            statements.append((target, stmt.value))
            assigned.add(target)
        elif isinstance(stmt, ast.Expr):
            _check(text, stmt.value, variables, assigned, max_depth)
            statements.append((None, stmt.value))
        else:
            raise _fail(text, stmt, "only formulas and assignments NAME = formula are allowed")
    if not statements:
        raise ExpressionError(f"the formula {source!r} is empty")
    return Expression(text, tuple(statements), tuple(variables))


def _check(source: str, tree: ast.AST, variables: list[str], assigned: set[str], max_depth: int) -> None:
    # Pre-order with an explicit stack (left before right), so variables are listed in order of first use.
    allowed = ", ".join(sorted(FUNCTIONS))
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise ExpressionError(_TOO_DEEP.format(depth=f"{_depth(tree):,} deep", limit=max_depth))
        _check_node(source, node, variables, assigned, allowed)
        stack.extend((child, depth + 1) for child in reversed(_children(node)))


def _depth(tree: ast.AST) -> int:
    """How many operations sit inside one another at the deepest point of `tree` (a leaf is 0)."""
    deepest, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in _children(node))
    return deepest


def _check_node(source: str, tree: ast.AST, variables: list[str], assigned: set[str], allowed: str) -> None:
    if isinstance(tree, ast.Constant):
        if isinstance(tree.value, bool) or not isinstance(tree.value, (int, float)):
            raise _fail(source, tree, f"{tree.value!r} is not a number")
        try:
            finite = math.isfinite(float(tree.value))
        except OverflowError:
            raise _fail(source, tree, "the number is too large (more than 1.8e308)") from None
        if not finite:
            raise _fail(source, tree, "numbers must be finite")
        return
    if isinstance(tree, ast.Name):
        if tree.id in FUNCTIONS:
            raise _fail(source, tree, f"{tree.id} is a function: write {tree.id}(...)")
        if tree.id not in CONSTANTS and tree.id not in assigned and tree.id not in variables:
            variables.append(tree.id)
        return
    if isinstance(tree, ast.BinOp):
        if type(tree.op) not in _BINARY:
            raise _fail(source, tree, "only + - * / ** are allowed between terms")
        return
    if isinstance(tree, ast.UnaryOp):
        if type(tree.op) not in _UNARY:
            raise _fail(source, tree, "only a leading - or + is allowed before a term")
        return
    if isinstance(tree, ast.Call):
        if not isinstance(tree.func, ast.Name) or tree.func.id not in FUNCTIONS:
            name = tree.func.id if isinstance(tree.func, ast.Name) else ast.get_source_segment(source, tree.func)
            raise _fail(source, tree, f"unknown function {name!r}; the functions are: {allowed}")
        name, positional = tree.func.id, not tree.keywords and not any(isinstance(a, ast.Starred) for a in tree.args)
        if name in SEVERAL_ARGUMENTS and (not positional or len(tree.args) < 2):
            raise _fail(source, tree, f"{name} takes two or more arguments, by position: {name}(0, z)")
        if name not in SEVERAL_ARGUMENTS and (not positional or len(tree.args) != 1):
            raise _fail(source, tree, f"{name} takes exactly one argument: {name}(z)")
        return
    raise _fail(source, tree, f"{type(tree).__name__} is not allowed here: formulas use numbers, names, "
                              f"+ - * / **, parentheses and the functions {allowed}")


def activation(source: str) -> Expression:
    """Parse a formula of exactly one variable, to use as an activation: ``activation("relu(z) + sin(z)")``.

    Raises:
        ExpressionError: the formula has no variable or more than one.
    """
    expr = parse(source, max_depth=MAX_ACTIVATION_DEPTH)
    if len(expr.variables) != 1:
        raise ExpressionError(
            f"an activation is a formula of one variable, such as 'relu(z) + sin(z)'; {source!r} has "
            f"{len(expr.variables)}: {', '.join(expr.variables) or 'none'}")
    return expr
