"""Command-line conventions: ``--version``, ``-q/--quiet``, ``chainrule doctor``, and a progress line
on long loops that shows only on a terminal."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import __version__
from homework.cli import main, parser
from homework.commands import doctor

ROOT = Path(__file__).resolve().parent.parent


def chainrule(*args, **kw):
    return subprocess.run([sys.executable, "-m", "homework", *args], capture_output=True, text=True, timeout=120, **kw)


def test_version():
    result = chainrule("--version")
    assert result.returncode == 0 and result.stdout == f"chainrule {__version__}\n"


def test_quiet_is_accepted_before_or_after_the_command():
    assert parser().parse_args(["-q", "solve"]).quiet
    assert parser().parse_args(["solve", "--quiet"]).quiet
    assert not parser().parse_args(["solve"]).quiet


# chainrule doctor ------------------------------------------------------------------------------------

def test_doctor_reports_every_check_and_passes_here():
    result = chainrule("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for name in ("Python", "chainrule", "Python packages", "import names", "graphviz dot", "DejaVu fonts", "TeX",
                 "browser", "Jupyter kernel"):
        assert any(line[2:].startswith(name) for line in lines), name
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in lines[0]
    assert "autograd, nn, homework: provided by chainrule only" in result.stdout
    assert lines[-1].startswith("everything chainrule needs is there")


def test_doctor_finds_what_the_machine_has():
    import shutil

    assert (doctor.find_dot() is not None) == (shutil.which("dot") is not None)
    if shutil.which("dot"):
        assert "graphviz version" in doctor.find_dot()
    assert (doctor.find_tex() is not None) == (shutil.which("pdflatex") is not None)


@pytest.fixture
def nothing_optional(monkeypatch):
    for name in ("find_dot", "find_dejavu", "find_tex", "find_browser", "find_kernel"):
        monkeypatch.setattr(doctor, name, lambda: None)


def test_missing_optional_tools_are_reported_with_how_to_install_but_do_not_fail(nothing_optional, capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "✗ graphviz dot" in out and "to install:" in out
    install = {"linux": "sudo apt-get install graphviz", "darwin": "brew install graphviz"}.get(sys.platform)
    if install:
        assert install in out
    assert "optional, not found: graphviz dot, DejaVu fonts, TeX, browser, Jupyter kernel" in out


def test_a_missing_essential_fails_and_quiet_prints_only_problems(nothing_optional, monkeypatch, capsys):
    monkeypatch.setattr(doctor.distribution, "others", lambda name: ["look-alike"] if name == "nn" else [])
    assert main(["-q", "doctor"]) == 1
    out = capsys.readouterr().out
    assert "✓" not in out and "✗ import names" in out and "nn also by look-alike" in out
    assert out.splitlines()[-1].startswith("chainrule cannot work here: import names")


def test_quiet_doctor_prints_nothing_when_all_is_well(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "checks", lambda: [doctor.Check("Python", True, "3.x", essential=True)])
    assert main(["doctor", "-q"]) == 0
    assert capsys.readouterr().out == ""


# Progress on long loops: examples/moons.py ---------------------------------------------------------

MOONS = ROOT / "examples" / "moons.py"
SMALL = ["--engine", "scalar", "--steps", "6", "--points", "20", "--no-plot"]


def _read_all(fd: int) -> str:
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    return out.decode("utf-8")


@pytest.mark.skipif(sys.platform.startswith("win"), reason="needs a pseudo-terminal")
def test_training_shows_progress_on_a_terminal_only():
    import pty

    master, slave = pty.openpty()
    try:
        on_terminal = subprocess.run([sys.executable, str(MOONS), *SMALL], stdout=subprocess.PIPE, stderr=slave,
                                     timeout=120)
    finally:
        os.close(slave)
    shown = _read_all(master)
    os.close(master)
    assert on_terminal.returncode == 0
    assert "\r6/6 " in shown and "loss" in shown and shown.endswith("\r\x1b[K")
    assert "\r" not in on_terminal.stdout.decode()  # the log lines themselves stay plain

    piped = subprocess.run([sys.executable, str(MOONS), *SMALL], capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""
    assert "step    6" in piped.stdout


def test_quiet_training_prints_only_the_result():
    result = subprocess.run([sys.executable, str(MOONS), *SMALL, "-q"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("training accuracy ") and len(result.stdout.splitlines()) == 1


def test_progress_line_redraws_at_most_ten_times_a_second():
    spec = importlib.util.spec_from_file_location("example_moons", MOONS)
    moons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(moons)

    class Terminal:
        def __init__(self):
            self.text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

        def isatty(self):
            return True

    terminal = Terminal()
    progress = moons.Progress(1000, stream=terminal)
    for step in range(1, 1001):
        progress.update(step, "x")
    assert 1 <= terminal.text.count("\r") < 50  # a fast loop: the first step, a few more, and the last
    assert "1000/1000 " + "█" * moons.Progress.WIDTH in terminal.text
    silent = Terminal()
    silent.isatty = lambda: False
    moons.Progress(10, stream=silent).update(10)
    assert silent.text == ""


@pytest.mark.needs_dot
@pytest.mark.parametrize("argv", [
    ["solve", "seed000", "--draw", "{tmp}/g.svg", "--steps", "{tmp}/s.html"],
    ["explain", "max(x, y) * z", "x=1", "y=1", "z=2", "--draw", "{tmp}/e.svg", "--steps", "{tmp}/e.html"],
    ["sheet", "seed002", "--out", "{tmp}/sheet"],
])
def test_quiet_leaves_stderr_empty_and_stdout_unchanged(argv, tmp_path, capsys):
    loud = [a.replace("{tmp}", str(tmp_path / "loud")) for a in argv]
    quiet = [a.replace("{tmp}", str(tmp_path / "quiet")) for a in argv]
    (tmp_path / "loud").mkdir()
    (tmp_path / "quiet").mkdir()
    assert main(loud) == 0
    said = capsys.readouterr()
    assert said.err.strip(), "without -q the files written are named on stderr"
    assert main(["-q", *quiet]) == 0
    hushed = capsys.readouterr()
    assert hushed.err == ""
    assert hushed.out == said.out.replace(str(tmp_path / "loud"), str(tmp_path / "quiet"))
