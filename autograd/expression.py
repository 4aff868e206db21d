"""Formulas typed as text, such as ``relu(z) + sin(z)`` or ``q = x + y; f = q * z``, turned into Value
computations — parsed with a whitelist, never evaluated by Python.

Allowed: numbers, variable names, ``+ - * / **``, unary ``-``, parentheses, the functions in
`FUNCTIONS`, the constants ``pi`` and ``e``, and assignments ``name = formula`` separated by ``;`` or
new lines (each assignment names a node, so printouts show it). The last statement is the result.

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

from autograd.value import Value, as_float

FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu, "sigmoid": Value.sigmoid, "tanh": Value.tanh, "exp": Value.exp, "log": Value.log,
    "sin": Value.sin, "cos": Value.cos, "sqrt": Value.sqrt, "abs": Value.abs, "softplus": Value.softplus,
}
CONSTANTS = {"pi": math.pi, "e": math.e}

_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}


class ExpressionError(ValueError):
    """A formula could not be read; the message points at the offending part and says what is allowed."""


def _fail(source: str, node: ast.AST | None, message: str) -> ExpressionError:
    if node is None or not hasattr(node, "col_offset"):
        return ExpressionError(f"{message}\n  in: {source}")
    lines = source.splitlines() or [""]
    line = lines[node.lineno - 1]
    caret = " " * node.col_offset + "^"
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


def _evaluate(tree: ast.AST, env: Mapping[str, object]):
    if isinstance(tree, ast.Constant):
        return float(tree.value)
    if isinstance(tree, ast.Name):
        return env[tree.id] if tree.id in env else CONSTANTS[tree.id]
    if isinstance(tree, ast.BinOp):
        left, right = _evaluate(tree.left, env), _evaluate(tree.right, env)
        if not isinstance(left, Value) and not isinstance(right, Value):
            return float(_BINARY[type(tree.op)](Value(left), right).data)  # constant folding, same checks
        return _BINARY[type(tree.op)](left, right)
    if isinstance(tree, ast.UnaryOp):
        return _UNARY[type(tree.op)](_evaluate(tree.operand, env))
    # a whitelisted function call, checked by parse()
    arg = _evaluate(tree.args[0], env)
    return FUNCTIONS[tree.func.id](arg if isinstance(arg, Value) else Value(arg))


def parse(source: str) -> Expression:
    """Parse and check a formula; see the module docstring for what is allowed.

    Raises:
        ExpressionError: the text is not a formula of that kind; the message marks where and why.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError(f"a formula must be non-empty text such as 'relu(z) + sin(z)', got {source!r}")
    try:
        module = ast.parse(source.strip(), mode="exec")
    except SyntaxError as e:
        raise ExpressionError(f"cannot read the formula {source!r}: {e.msg} at column {e.offset}") from None
    text = source.strip()
    statements = []
    variables: list[str] = []
    assigned: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                raise _fail(text, stmt, "an assignment names one node: NAME = formula")
            target = stmt.targets[0].id
            _check(text, stmt.value, variables, assigned)
            if target in FUNCTIONS or target in CONSTANTS:
                raise _fail(text, stmt.targets[0], f"{target!r} is a built-in name; choose another name")
            statements.append((target, stmt.value))
            assigned.add(target)
        elif isinstance(stmt, ast.Expr):
            _check(text, stmt.value, variables, assigned)
            statements.append((None, stmt.value))
        else:
            raise _fail(text, stmt, "only formulas and assignments NAME = formula are allowed")
    if not statements:
        raise ExpressionError(f"the formula {source!r} is empty")
    return Expression(text, tuple(statements), tuple(variables))


def _check(source: str, tree: ast.AST, variables: list[str], assigned: set[str]) -> None:
    allowed = ", ".join(sorted(FUNCTIONS))
    if isinstance(tree, ast.Constant):
        if isinstance(tree.value, bool) or not isinstance(tree.value, (int, float)):
            raise _fail(source, tree, f"{tree.value!r} is not a number")
        if not math.isfinite(tree.value):
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
        _check(source, tree.left, variables, assigned)
        _check(source, tree.right, variables, assigned)
        return
    if isinstance(tree, ast.UnaryOp):
        if type(tree.op) not in _UNARY:
            raise _fail(source, tree, "only a leading - or + is allowed before a term")
        _check(source, tree.operand, variables, assigned)
        return
    if isinstance(tree, ast.Call):
        if not isinstance(tree.func, ast.Name) or tree.func.id not in FUNCTIONS:
            name = tree.func.id if isinstance(tree.func, ast.Name) else ast.unparse(tree.func)
            raise _fail(source, tree, f"unknown function {name!r}; the functions are: {allowed}")
        if len(tree.args) != 1 or tree.keywords:
            raise _fail(source, tree, f"{tree.func.id} takes exactly one argument")
        _check(source, tree.args[0], variables, assigned)
        return
    raise _fail(source, tree, f"{type(tree).__name__} is not allowed here: formulas use numbers, names, "
                              f"+ - * / **, parentheses and the functions {allowed}")


def activation(source: str) -> Expression:
    """Parse a formula of exactly one variable, to use as an activation: ``activation("relu(z) + sin(z)")``.

    Raises:
        ExpressionError: the formula has no variable or more than one.
    """
    expr = parse(source)
    if len(expr.variables) != 1:
        raise ExpressionError(
            f"an activation is a formula of one variable, such as 'relu(z) + sin(z)'; {source!r} has "
            f"{len(expr.variables)}: {', '.join(expr.variables) or 'none'}")
    return expr
