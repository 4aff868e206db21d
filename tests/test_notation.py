"""Names in course notation: typed spellings to Unicode and LaTeX, derivatives, number formatting."""

import pytest

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
