"""Names in course notation: typed spellings to Unicode and LaTeX, derivatives, number formatting."""

import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import notation
from autograd.derive.formula import as_number
from autograd.notation import derivative, format_derivative, format_number, round_number, to_latex, to_text


@pytest.mark.parametrize("typed, text, latex", [
    ("W^1_{21}", "W¹₂₁", "W^{1}_{21}"),
    ("W1_21", "W¹₂₁", "W^{1}_{21}"),
    ("W¹₂₁", "W¹₂₁", "W^{1}_{21}"),
    ("\\hat{y}", "ŷ", "\\hat{y}"),
    ("y_hat", "ŷ", "\\hat{y}"),
    ("\\ell", "ℓ", "\\ell"),
    ("alpha^2", "α²", "\\alpha^{2}"),
    ("beta^1_1", "β¹₁", "\\beta^{1}_{1}"),
    ("x1", "x₁", "x_{1}"),
])
def test_names_in_every_spelling(typed, text, latex):
    assert to_text(typed) == text
    assert to_latex(typed) == latex
    assert to_text(to_latex(typed)) == text  # and back


@pytest.mark.parametrize("of, wrt, partial, text, latex", [
    ("\\ell", "W^1_{21}", False, "dℓ/dW¹₂₁", "\\frac{d\\ell}{dW^{1}_{21}}"),
    ("\\ell", "W^1_{21}", True, "∂ℓ/∂W¹₂₁", "\\frac{\\partial \\ell}{\\partial W^{1}_{21}}"),
    ("y_hat", "alpha^2", True, "∂ŷ/∂α²", "\\frac{\\partial \\hat{y}}{\\partial \\alpha^{2}}"),
    ("β¹₁", "α¹₁", True, "∂β¹₁/∂α¹₁", "\\frac{\\partial \\beta^{1}_{1}}{\\partial \\alpha^{1}_{1}}"),
])
def test_derivative(of, wrt, partial, text, latex):
    assert derivative(of, wrt, partial=partial) == text
    assert derivative(of, wrt, partial=partial, latex=True) == latex


def test_format_derivative_keeps_display_forms_as_given():
    assert format_derivative("(1 − ŷ)", "ŷ") == "∂(1 − ŷ)/∂ŷ"
    assert format_derivative("x^2", "x", partial=False) == "dx^2/dx"  # not turned into x²


def test_derivative_rejects_non_names():
    with pytest.raises(TypeError, match="wrt="):
        derivative("\\ell", 3)


def test_numbers():
    assert format_number(-0.8807970779620278) == "-0.8808"
    assert format_number(0.10499358541558129) == "0.1050"  # rounded: the zero says so
    assert format_number(0.25) == "0.25"                    # exact: no padding
    assert format_number(1 - 3.8e-11) == "1.000"            # σ(24) is not 1
    assert format_number(0.99996) == "1.000"
    assert format_number(-0.0) == "0"
    assert format_number(2.0) == "2"
    assert format_number(1 / 3, 2, "dec") == "0.33"
    assert round_number(-0.092478, 3) == -0.0925
    with pytest.raises(ValueError, match="mode"):
        format_number(1.0, 3, "x")


# Names made of the pieces every spelling uses: ASCII and Greek letters, digits (one of them not
# ASCII), sub- and superscripts, commas, script marks, braces, backslashes, an accent, spaces.
NAME_PIECES = list("Wxyzabα") + ["W", "h", "hat", "alpha", "mu"] + list("0123٣") + list("¹²⁽⁾ᵀ₁₂₃ₐₕ") + \
    [",", "^", "_", "{", "}", "\\", "\u0302", " ", "ŷ", "−"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=8).map("".join))
def test_the_short_ways_to_a_names_forms_agree_with_the_long_ones(name):
    # to_text skips its rewrites for a name already in Unicode form, and to_latex writes the common
    # shape (a letter, superscripts, subscripts) directly: both must give what every rewrite gives
    text = notation._text(name)
    assert to_text.__wrapped__(name) == text
    assert to_latex.__wrapped__(name) == notation._latex(unicodedata.normalize("NFD", text))


@pytest.mark.parametrize("name", ["W¹₁,₁", "W²₁₂,₃", "z⁽¹⁾₁", "x₁", "b⁴₁", "W", "Wᵀ", "aⁿ₁,₂,₃"])
def test_names_of_the_common_shape_take_the_short_way_to_the_same_forms(name):
    assert notation._PLAIN_NAME.fullmatch(name)
    assert to_latex(name) == notation._latex(name) and to_text(name) == notation._text(name)


def _near_power_of_ten(k, steps, negative):
    x = 10.0 ** k
    for _ in range(abs(steps)):
        x = math.nextafter(x, 0.0 if steps < 0 else math.inf)
    return -x if negative else x


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.floats(min_value=-1e16, max_value=1e16, allow_nan=False),
                 st.builds(_near_power_of_ten, st.integers(-5, 15), st.integers(-40, 40), st.booleans()),
                 st.builds(lambda m, k: (m + 0.5) * 10.0 ** k, st.integers(1, 10**6), st.integers(-10, 8))),
       st.integers(1, 16))
def test_significant_digits_in_one_format_call_agree_with_the_steps(x, digits):
    # format_number writes most numbers with Python's "#g" format; the step-by-step rounding it
    # replaced (kept for the other cases) must give the same text
    if x != 0 and not float(x).is_integer():
        assert format_number(x, digits) == notation._format_by_steps(x, digits, "sig")


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=list("0123456789٣.+-−eEinfatyINFAxW¹₁() _,"), max_size=8))
def test_a_formula_is_a_number_exactly_when_float_reads_it(text):
    # as_number turns a name away before calling float(); it must agree with float() on everything
    inner = text.strip()
    inner = inner[1:-1] if inner.startswith("(") and inner.endswith(")") else inner
    try:
        expected = float(inner.replace("−", "-"))
    except ValueError:
        expected = None
    got = as_number(text)
    assert got == expected or (got != got and expected != expected)  # nan reads as nan
