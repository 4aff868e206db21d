"""Output folders and files that lose nothing: ``chainrule solve --out DIR`` and `homework.output`.

A run writes all its files or none; a file chainrule did not write is never overwritten or deleted;
two runs into one folder never mix; picture names never collide. Rendering is replaced by writing
the DOT text where only the file handling is under test, so these tests need no ``dot``.
"""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from autograd.drawing import dot
from homework import cli, output
from homework.commands.solve import picture_stems
from homework.output import LOCK, MANIFEST, OutputError, OutputFolder, write_file
from nn import naming


@pytest.fixture(autouse=True)
def fast_pictures(monkeypatch):
    """Pictures as DOT text: the file handling is what is tested here, not graphviz."""
    def save(drawing, path, dpi=150, timeout=None):
        return write_file(path, drawing.source.encode("utf-8"))
    monkeypatch.setattr(dot, "save", save)


def solve(capsys, folder, *options):
    code = cli.main(["solve", "--out", str(folder), *options])
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def contents(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


EXPECTED = [MANIFEST, "graph-W121.png", "graph-W121.svg", "graph-W211.png", "graph-W211.svg", "solution.txt"]


def test_a_new_folder_gets_every_file_and_a_manifest_of_them(tmp_path, capsys):
    code, out, err = solve(capsys, tmp_path / "handout")
    assert code == 0 and out == "", err
    assert listing(tmp_path / "handout") == EXPECTED
    manifest = json.loads((tmp_path / "handout" / MANIFEST).read_text())
    assert sorted(manifest["files"]) == EXPECTED[1:]
    assert "wrote solution.txt" in err


def test_a_second_run_replaces_its_own_files(tmp_path, capsys):
    solve(capsys, tmp_path)
    code, _, err = solve(capsys, tmp_path, "--format", "markdown")
    assert code == 0, err
    assert listing(tmp_path) == sorted(EXPECTED[:-1] + ["solution.md"])  # the old solution.txt is gone


def test_a_folder_with_other_files_is_refused_and_left_alone(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = solve(capsys, tmp_path)
    assert code == 2 and "holds files chainrule did not write (notes.txt)" in err and "--force" in err
    assert listing(tmp_path) == ["notes.txt"]


def test_force_writes_beside_other_files_without_touching_them(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = solve(capsys, tmp_path, "--force")
    assert code == 0, err
    assert listing(tmp_path) == sorted(EXPECTED + ["notes.txt"]) and (tmp_path / "notes.txt").read_text() == "mine"


def test_force_never_overwrites_a_file_chainrule_did_not_write(tmp_path, capsys):
    (tmp_path / "solution.txt").write_text("my own solution")
    code, _, err = solve(capsys, tmp_path, "--force")
    assert code == 2 and "solution.txt exists and chainrule did not write it" in err
    assert listing(tmp_path) == ["solution.txt"] and (tmp_path / "solution.txt").read_text() == "my own solution"


def test_a_file_changed_since_chainrule_wrote_it_is_the_users(tmp_path, capsys):
    solve(capsys, tmp_path)
    (tmp_path / "solution.txt").write_text("corrected by hand")
    before = contents(tmp_path)
    code, _, err = solve(capsys, tmp_path)
    assert code == 2 and "solution.txt" in err
    code, _, err = solve(capsys, tmp_path, "--force")
    assert code == 2 and "or it was changed since" in err
    assert contents(tmp_path) == before


def test_a_run_that_fails_halfway_leaves_the_folder_as_it_was(tmp_path, capsys, monkeypatch):
    solve(capsys, tmp_path)
    before = contents(tmp_path)
    calls = []

    def fail_on_the_third(drawing, path, dpi=150, timeout=None):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        return write_file(path, b"new")
    monkeypatch.setattr(dot, "save", fail_on_the_third)
    code, _, err = solve(capsys, tmp_path, "--format", "markdown")
    assert code == 2 and "the disk is full" in err
    assert contents(tmp_path) == before and listing(tmp_path) == EXPECTED  # no temporary folder, no lock


def test_ctrl_c_halfway_leaves_the_folder_as_it_was(tmp_path, capsys, monkeypatch):
    solve(capsys, tmp_path)
    before = contents(tmp_path)

    def interrupted(drawing, path, dpi=150, timeout=None):
        raise KeyboardInterrupt
    monkeypatch.setattr(dot, "save", interrupted)
    code, _, err = solve(capsys, tmp_path)
    assert code == 130 and "Traceback" not in err
    assert contents(tmp_path) == before and listing(tmp_path) == EXPECTED


def test_pictures_of_an_earlier_run_that_this_run_does_not_make_are_removed(tmp_path, capsys):
    (tmp_path / "one").mkdir()
    with OutputFolder(tmp_path / "one") as out:
        out.write("graph-old.svg", b"old picture")
        out.write("solution.txt", b"old")
    code, _, err = solve(capsys, tmp_path / "one")
    assert code == 0, err
    assert listing(tmp_path / "one") == EXPECTED  # no graph-old.svg mixed in


@pytest.mark.parametrize("target", ["a file", "a device", "a folder chainrule cannot create"])
def test_an_out_that_cannot_be_a_folder_is_a_clear_error(target, tmp_path, capsys):
    path = {"a file": tmp_path / "f.txt", "a device": "/dev/null",
            "a folder chainrule cannot create": "/proc/chainrule-out"}[target]
    if target == "a file":
        path.write_text("keep")
    code, _, err = solve(capsys, path)
    assert code == 2 and "Traceback" not in err and str(path) in err
    if target == "a file":
        assert path.read_text() == "keep"


def test_a_second_run_waits_for_the_first_and_they_never_mix(tmp_path):
    order = []

    def run(name, delay):
        with OutputFolder(tmp_path, wait=10) as out:
            order.append(f"{name} in")
            out.write("solution.txt", name.encode())
            time.sleep(delay)
            order.append(f"{name} out")

    first = threading.Thread(target=run, args=("first", 0.3))
    first.start()
    while not (tmp_path / LOCK).exists():
        time.sleep(0.01)
    second = threading.Thread(target=run, args=("second", 0))
    second.start()
    first.join()
    second.join()
    assert order == ["first in", "first out", "second in", "second out"]
    assert (tmp_path / "solution.txt").read_text() == "second" and listing(tmp_path) == [MANIFEST, "solution.txt"]


def test_a_run_that_cannot_get_the_lock_in_time_fails_clearly(tmp_path):
    (tmp_path / LOCK).write_text(str(os.getpid()))  # a live process holds it
    with pytest.raises(OutputError, match=f"another chainrule run \\(process {os.getpid()}\\) is writing"):
        with OutputFolder(tmp_path, wait=0.1):
            pass
    assert listing(tmp_path) == [LOCK]


def test_a_lock_left_by_a_run_that_died_is_taken_over(tmp_path):
    import subprocess
    import sys
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / LOCK).write_text(gone.stdout.strip())
    with OutputFolder(tmp_path, wait=0.1) as out:
        out.write("solution.txt", b"ok")
    assert listing(tmp_path) == [MANIFEST, "solution.txt"]


@pytest.mark.parametrize("name", ["", ".", "..", "../escape.txt", "sub/file.txt", LOCK, MANIFEST,
                                  ".chainrule-tmp-x"])
def test_only_plain_names_of_its_own_can_be_written(name, tmp_path):
    with OutputFolder(tmp_path) as out:
        with pytest.raises(ValueError, match="not a plain file name"):
            out.path(name)


def test_a_name_twice_even_in_another_case_is_refused(tmp_path):
    with OutputFolder(tmp_path) as out:
        out.write("graph-W.svg", b"")
        with pytest.raises(ValueError, match="written twice"):
            out.path("graph-w.svg")


def test_write_file_keeps_the_earlier_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "g.svg"
    target.write_bytes(b"earlier")
    monkeypatch.setattr(output.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(28, "No space")))
    with pytest.raises(OSError):
        write_file(target, b"new")
    assert target.read_bytes() == b"earlier" and listing(tmp_path) == ["g.svg"]


def test_write_file_refuses_a_folder_or_device(tmp_path):
    with pytest.raises(OutputError, match="not a regular file"):
        write_file(tmp_path, b"x")
    with pytest.raises(OutputError, match="not a regular file"):
        write_file("/dev/null", b"x")


# -- picture names ----------------------------------------------------------------------------------------

def _every_weight_name(notation, rows, cols, layers=2):
    big = rows >= 10 or cols >= 10
    return [notation.weight_name(l, i, j, big=big) for l in range(1, layers + 1)
            for i in range(1, rows + 1) for j in range(1, cols + 1)]


@pytest.mark.parametrize("preset", sorted(naming.PRESETS))
@pytest.mark.parametrize("rows, cols", [(3, 2), (11, 11), (12, 3), (2, 13)])
def test_every_pair_of_parameter_names_gets_two_picture_names(preset, rows, cols):
    notation = naming.PRESETS[preset]
    labels = _every_weight_name(notation, rows, cols) + [notation.bias_name(1, u) for u in range(1, rows + 1)]
    stems = picture_stems(labels)
    folded = [s.casefold() for s in stems]
    assert len(set(folded)) == len(labels)  # unique, also on filesystems that ignore case


def test_the_names_that_used_to_collide_do_not():
    stems = picture_stems(["W¹₁₁,₁", "W¹₁,₁₁"])
    assert stems == ["graph-W11,1", "graph-W1,11"] or len(set(stems)) == 2
    assert len(set(picture_stems(["W", "w", "変", "数", "W¹₂₁", "W¹₂₁"]))) == 6


def test_a_problem_explaining_two_names_that_differ_by_a_comma_gets_two_pictures(tmp_path, capsys):
    rows = ", ".join("[" + ", ".join(["0.01"] * 11) + "]" for _ in range(11))
    sheet = tmp_path / "wide.toml"
    sheet.write_text(f'[[layer]]\nweights = [{rows}]\nactivation = "tanh"\n[[layer]]\nweights = [[{", ".join(["0.1"] * 11)}]]\n'
                     f'[data]\nx = [{", ".join(["1"] * 11)}]\ny = [1]\n[loss]\nkind = "squared_error"\n'
                     f'[explain]\nderivatives = ["W¹₁₁,₁", "W¹₁,₁₁"]\n', encoding="utf-8")
    code = cli.main(["solve", str(sheet), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0, err
    pictures = [n for n in listing(tmp_path / "out") if n.endswith(".svg")]
    assert len(pictures) == 2, pictures


def test_a_network_too_large_to_draw_still_gets_its_solution(tmp_path, capsys, monkeypatch):
    from autograd.errors import DrawingTooLargeError
    from homework.solution import Solution

    def too_large(self, highlight=None, **options):
        raise DrawingTooLargeError("the drawing would have 401 boxes, more than max_nodes=400")
    monkeypatch.setattr(Solution, "drawing", too_large)
    code, _, err = solve(capsys, tmp_path)
    assert code == 0, err
    assert listing(tmp_path) == [MANIFEST, "solution.txt"]
    assert "note: no pictures" in err and "401 boxes" in err
