"""Pictures from the command line: --view, --max-nodes, --no-values, --grads and their errors, and
the pictures --out writes beside a solution (linked from Markdown, included in LaTeX)."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess

import pytest

from homework.cli import main

pytest.importorskip("graphviz")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv, message", [
    (("solve", "--view", "diagram"), "--view is an option of the picture: add --draw FILE (or --out DIR)"),
    (("explain", "f = x * y", "x=1", "y=2", "--max-nodes", "4"), "--max-nodes is an option of the picture"),
    (("solve", "--no-values", "--draw", "g.gv"), "--no-values belongs to --view diagram"),
    (("solve", "--view", "neurons", "--grads", "--draw", "g.gv"), "--grads belongs to --view diagram"),
    (("explain", "f = x * y", "x=1", "y=2", "--view", "diagram", "--draw", "g.gv"),
     "--view diagram draws the units of a network"),
    (("solve", "--view", "full", "--max-nodes", "10", "--draw", "g.gv"),
     "20 boxes in --view full, more than 10, and a picture that large cannot be read: use --view collapsed "
     "(18 boxes) or --view neurons (6 boxes), or pass --max-nodes 20"),
])
def test_picture_options_that_would_be_ignored_or_cannot_work_are_refused(argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(*argv)
    assert status == 2 and message in err
    assert out == "" and not list(tmp_path.iterdir())  # refused before anything is printed or written


def test_max_nodes_is_checked_like_any_count():
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["solve", "--max-nodes", "0", "--draw", "g.gv"]) == 2  # a usage error
    assert "--max-nodes" in err.getvalue()


@pytest.mark.parametrize("argv, view_marks", [
    ((), "Σwx"),  # seed 002 is small: a box per weight, no note
    (("--view", "neurons"), ">data<"),
    (("--view", "diagram"), "+1"),
    (("--view", "full"), "^"),  # the square of the loss, an unnamed step only the full view shows
])
def test_view_chooses_what_the_picture_shows(argv, view_marks, tmp_path):
    target = tmp_path / "g.gv"
    status, _, err = run("solve", "seed002", *argv, "--draw", str(target))
    assert status == 0 and "one box per unit" not in err
    assert view_marks in target.read_text(encoding="utf-8")


def test_the_default_picture_of_a_larger_net_says_it_draws_one_box_per_unit(tmp_path):
    for argv, says in (([], True), (["--max-nodes", "40"], False), (["--view", "collapsed"], False)):
        target = tmp_path / "g.gv"
        status, _, err = run("solve", "seed001", *argv, "--draw", str(target))
        assert status == 0
        notes = [line for line in err.splitlines() if "one box per unit" in line]
        assert len(notes) == (1 if says else 0), err
        source = target.read_text(encoding="utf-8")
        assert (">data<" in source) == says  # the unit table of the neuron view
    assert notes == [] and "(W₁)₁₁" in source


def test_diagram_without_values_and_with_grads_from_the_command_line(tmp_path):
    target = tmp_path / "q1.gv"
    assert run("solve", "seed002", "--view", "diagram", "--no-values", "--draw", str(target))[0] == 0
    bare = target.read_text(encoding="utf-8")
    assert "W¹₂₁<" in bare and "W¹₂₁ = −2" not in bare
    assert run("solve", "seed002", "--view", "diagram", "--grads", "--draw", str(target))[0] == 0
    assert "grad −0.09248" in target.read_text(encoding="utf-8")


@pytest.mark.needs_dot
def test_out_links_the_pictures_from_markdown(tmp_path):
    out = tmp_path / "md"
    status, stdout, _ = run("solve", "seed002", "--format", "markdown", "--out", str(out))
    assert status == 0
    text = (out / "solution.md").read_text(encoding="utf-8")
    assert "## Pictures" in text
    for stem, name in (("graph-W211", "W²₁₁"), ("graph-W121", "W¹₂₁")):
        assert f"![the paths of {name}]({stem}.png)" in text
        assert (out / f"{stem}.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.needs_dot
def test_out_includes_the_pdf_pictures_in_latex_and_the_document_compiles(tmp_path):
    out = tmp_path / "tex"
    status, _, stderr = run("solve", "seed002", "--format", "latex", "--out", str(out), "--view", "diagram")
    assert status == 0 and "graph-W121.svg/.png/.pdf" in stderr  # what was written is said on stderr
    text = (out / "solution.tex").read_text(encoding="utf-8")
    assert "\\usepackage{graphicx}" in text.split("\\begin{document}")[0]
    for stem, name in (("graph-W211", "W^{2}_{11}"), ("graph-W121", "W^{1}_{21}")):
        assert f"{{{stem}.pdf}}" in text and f"The paths of ${name}$" in text
        assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF-")
    if shutil.which("pdflatex") is None:
        return  # the LaTeX text is checked above; compiling it needs TeX
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "solution.tex"], cwd=out,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:]
    assert (out / "solution.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.needs_dot
def test_text_output_has_no_picture_links(tmp_path):
    out = tmp_path / "txt"
    assert run("solve", "seed002", "--out", str(out))[0] == 0
    assert "Pictures" not in (out / "solution.txt").read_text(encoding="utf-8")
