"""The README is true: its Python examples print what it says they print, and its console
examples show what the command prints today. (The set-up commands are exercised by CI itself.)"""

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks():
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]


def python_examples():
    found = blocks()
    return [(code, out) for (lang, code), (next_lang, out) in zip(found, found[1:])
            if lang == "python" and next_lang == "text"]


def console_examples():
    return [body for lang, body in blocks() if lang == "console"]


def test_the_readme_has_examples():
    assert len(python_examples()) >= 3 and len(console_examples()) >= 3


@pytest.mark.parametrize("code, expected", python_examples())
def test_python_example_prints_what_the_readme_says(code, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if "render_to(" in code and not _has_dot():
        code = code.replace('drawing.render_to("seed002.png")', "")  # rendering is tested elsewhere
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    assert buffer.getvalue() == expected


def _has_dot():
    import shutil
    return shutil.which("dot") is not None


def _chunks(expected: str) -> list[str]:
    """The expected output split at '…' lines: each chunk must appear, in order."""
    chunks, current = [], []
    for line in expected.splitlines():
        if line.strip() == "…":
            if current:
                chunks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


@pytest.mark.parametrize("body", console_examples())
def test_console_example_shows_what_the_command_prints(body, tmp_path):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    commands = re.split(r"^\$ ", body, flags=re.M)[1:]
    for part in commands:
        command, _, expected = part.partition("\n")
        result = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=tmp_path, env=env,
                                timeout=120, executable="/bin/bash")
        shown = result.stdout + result.stderr
        position = 0
        for chunk in _chunks(expected.rstrip("\n")):
            found = shown.find(chunk, position)
            assert found >= 0, f"README output of `{command}` is not what it prints:\n{chunk}\n---\n{shown}"
            position = found + len(chunk)


def test_ci_runs_exactly_the_readmes_test_command():
    setup = [body.strip() for lang, body in blocks() if lang == "sh"]
    assert len(setup) == 2, "the set-up is two commands: the main job, and the tests"
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert setup[1] in ci.splitlines()
    assert "chainrule solve" in setup[0]
