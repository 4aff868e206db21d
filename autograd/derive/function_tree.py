"""Functions of one variable as trees, and their derivatives by the chain rule, for
`autograd.symbolic`: a tree is read from a formula (`from_expression`) or a recorded graph
(`from_graph`); `differentiate` gives the derivative's tree, whose factors are the rule table's
partials; `value`/`d_value` evaluate with the rule table's functions and `formula`/`d_formula` write
them with its templates (autograd/ops.py), so nothing here knows a derivative by heart.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from autograd import ops
from autograd.derive.formula import ADD, ATOM, MINUS, MUL, Formula, fill, from_text, number, product
from autograd.expression import CONSTANTS, Expression
from autograd.notation import format_number, to_latex, to_text
from autograd.value import Value

_M = ops.SCALAR
_BINARY_RULES = {ast.Add: ops.ADD, ast.Sub: ops.SUB, ast.Mult: ops.MUL, ast.Div: ops.DIV, ast.Pow: ops.POW}
# ---------------------------------------------------------------------------------------------
# The function as a tree: the variable, constants, and rule applications.

class Node:
    __slots__ = ()


@dataclass(frozen=True, eq=False)
class Var(Node):
    pass


@dataclass(frozen=True, eq=False)
class Const(Node):
    value: float
    label: str = ""  # a named leaf of a recorded graph (a parameter inside the function)


@dataclass(frozen=True, eq=False)
class Apply(Node):
    rule: ops.Rule
    args: tuple  # of Node


def value(node: Node, z: float, memo: dict) -> float:
    key = id(node)
    if key in memo:
        return memo[key]
    if isinstance(node, Var):
        out = z
    elif isinstance(node, Const):
        out = node.value
    else:
        out = node.rule.forward(_M, *[value(a, z, memo) for a in node.args])
    memo[key] = out
    return out


def _arguments(node: Apply, var: Formula, memo: dict) -> list:
    """The operands as the rule's templates take them: formulas, or plain text for literal arguments."""
    args = []
    for j, a in enumerate(node.args):
        if isinstance(a, Const) and not a.label and j in node.rule.literal_args:
            args.append(format_number(a.value, 12))  # read as a number by the template: z², 3·z²
        else:
            args.append(formula(a, var, memo))
    return args


def formula(node: Node, var: Formula, memo: dict) -> Formula:
    key = id(node)
    if key in memo:
        return memo[key]
    if isinstance(node, Var):
        out = var
    elif isinstance(node, Const):
        out = Formula(to_text(node.label), to_latex(node.label), ATOM) if node.label else number(node.value, 6)
    else:
        rule, args = node.rule, _arguments(node, var, memo)
        out = from_text(fill(lambda n, o: rule.expression(n), args, None, False),
                        fill(lambda n, o: rule.expression(n, latex=True), args, None, True))
    memo[key] = out
    return out


# ---------------------------------------------------------------------------------------------
# The derivative as a tree: sums of products of the rule table's partials.

@dataclass(frozen=True, eq=False)
class _Partial:
    """∂node/∂(argument i), from the rule table."""

    node: Apply
    i: int


@dataclass(frozen=True, eq=False)
class _Number:
    value: float


@dataclass(frozen=True, eq=False)
class _Product:
    factors: tuple


@dataclass(frozen=True, eq=False)
class _Sum:
    terms: tuple


_ZERO, _ONE = _Number(0.0), _Number(1.0)


def _times(a, b):
    if a is _ZERO or b is _ZERO:
        return _ZERO
    if a is _ONE:
        return b
    if b is _ONE:
        return a
    fa = a.factors if isinstance(a, _Product) else (a,)
    fb = b.factors if isinstance(b, _Product) else (b,)
    return _Product(fa + fb)


def differentiate(node: Node):
    """d node / d variable by the chain rule: Σᵢ ∂node/∂argᵢ · d argᵢ."""
    if isinstance(node, Var):
        return _ONE
    if isinstance(node, Const):
        return _ZERO
    terms = []
    for i, a in enumerate(node.args):
        inner = differentiate(a)
        if inner is _ZERO:
            continue
        if node.rule.constant_partials is not None:
            local = _Number(node.rule.constant_partials[i])
            local = _ONE if local.value == 1.0 else (_ZERO if local.value == 0.0 else local)
        else:
            local = _Partial(node, i)
        term = _times(local, inner)
        if term is not _ZERO:
            terms.append(term)
    if not terms:
        return _ZERO
    return terms[0] if len(terms) == 1 else _Sum(tuple(terms))


def d_value(d, z: float, memo: dict) -> float:
    if isinstance(d, _Number):
        return d.value
    if isinstance(d, _Product):
        out = 1.0
        for f in d.factors:
            out *= d_value(f, z, memo)
        return out
    if isinstance(d, _Sum):
        return math.fsum(d_value(t, z, memo) for t in d.terms)
    node, rule = d.node, d.node.rule
    xs = tuple(value(a, z, memo) for a in node.args)
    out = value(node, z, memo)
    if rule.arity is None:
        return rule.nary_partial(_M, d.i, out, xs)
    return rule.partials[d.i](_M, out, *xs)


def d_formula(d, var: Formula, output: Formula | None, top: Node, memo: dict) -> Formula:
    if isinstance(d, _Number):
        return number(d.value, 6)
    if isinstance(d, _Product):
        return product([d_formula(f, var, output, top, memo) for f in d.factors])
    if isinstance(d, _Sum):
        return _sum([d_formula(t, var, output, top, memo) for t in d.terms])
    node, rule = d.node, d.node.rule
    args = _arguments(node, var, memo)
    out = output if (output is not None and node is top) else formula(node, var, memo)
    return from_text(fill(lambda n, o: rule.partial_expression(d.i, n, o), args, out, False),
                     fill(lambda n, o: rule.partial_expression(d.i, n, o, latex=True), args, out, True))


def _sum(terms: list[Formula]) -> Formula:
    """``a + b − c``: a term with a leading minus is subtracted rather than added in parentheses."""
    text, latex = terms[0].text, terms[0].latex
    for t in terms[1:]:
        if t.text.startswith(MINUS) and t.prec >= MUL:
            text, latex = f"{text} − {t.text[1:]}", f"{latex} - {t.latex[1:]}"
        else:
            wrapped = t if t.prec > ADD else Formula(f"({t.text})", f"({t.latex})", ATOM)
            text, latex = f"{text} + {wrapped.text}", f"{latex} + {wrapped.latex}"
    return Formula(text, latex, ADD)


def from_expression(expr: Expression) -> tuple[Node, str]:
    variable = expr.variables[0] if expr.variables else "z"
    env: dict[str, Node] = {variable: Var()}

    def build(tree: ast.AST) -> Node:
        if isinstance(tree, ast.Constant):
            return Const(float(tree.value))
        if isinstance(tree, ast.Name):
            return env[tree.id] if tree.id in env else Const(CONSTANTS[tree.id])
        if isinstance(tree, ast.UnaryOp):
            inner = build(tree.operand)
            if isinstance(tree.op, ast.UAdd):
                return inner
            return _fold(Apply(ops.NEG, (inner,)))
        if isinstance(tree, ast.BinOp):
            return _fold(Apply(_BINARY_RULES[type(tree.op)], (build(tree.left), build(tree.right))))
        rule = ops.RULES[tree.func.id]
        out = build(tree.args[0])
        for arg in tree.args[1:]:  # max(a, b, c) = max(max(a, b), c), as the expression reader builds it
            out = _fold(Apply(rule, (out, build(arg))))
        return out if len(tree.args) > 1 else _fold(Apply(rule, (out,)))

    result: Node = Const(0.0)
    for target, tree in expr.statements:
        result = build(tree)
        if target is not None:
            env[target] = result
    return result, variable


def _fold(node: Apply) -> Node:
    """An operation on constants only is a constant, as the expression reader folds it."""
    if all(isinstance(a, Const) and not a.label for a in node.args):
        return Const(node.rule.forward(_M, *[a.value for a in node.args]))
    return node


def from_graph(output: Value, variable: Value) -> Node:
    built: dict[int, Node] = {}
    # iterative post-order: a deep chain inside an activation must not hit the recursion limit
    stack = [(output, False)]
    while stack:
        v, expanded = stack.pop()
        if id(v) in built:
            continue
        if v is variable:
            built[id(v)] = Var()
        elif not v.parents:
            built[id(v)] = Const(v.data, v.label)
        elif not expanded:
            stack.append((v, True))
            stack.extend((p, False) for p in v.parents if id(p) not in built)
        else:
            rule = ops.RULES.get(v.op)
            if rule is None:
                raise KeyError(f"no rule named {v.op!r} in autograd.ops.RULES; add its rule to ops.py")
            parents = iter(v.parents)
            consts = v.consts if v.consts is not None else (None,) * len(v.parents)
            args = tuple(built[id(next(parents))] if c is None else Const(c) for c in consts)
            built[id(v)] = Apply(rule, args)
    return built[id(output)]
