"""Installing another distribution that provides ``autograd`` next to chainrule gives a clear error,
not silent breakage — tested for real, with pip, in a throwaway virtual environment.

The other distribution is a look-alike built here (a wheel with ``autograd/__init__.py`` and
``autograd/core.py`` and no top_level.txt, as HIPS autograd's wheel has), so the test needs no
network. chainrule's wheel is the one .ci/run built (CHAINRULE_WHEEL) or, without it, one built from
this tree. numpy and graphviz are linked into the environment from this one rather than installed.
The sequence is what a user would live through: install chainrule; install the other on top (its
``__init__.py`` replaces chainrule's); reinstall chainrule (the other's files stay); uninstall the
other (that deletes the shared ``__init__.py``); reinstall chainrule as the error says.
"""

import base64
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograd import __version__

ROOT = Path(__file__).resolve().parent.parent
OTHER = "look-alike-autograd"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform.startswith("win"), reason="links packages into the environment")]


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def _look_alike_wheel(folder: Path) -> Path:
    files = {
        "autograd/__init__.py": b'"""Another project\'s autograd."""\nLOOK_ALIKE = True\n',
        "autograd/core.py": b"def grad(f):\n    return f\n",
        "look_alike_autograd-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {OTHER}\nVersion: 1.0\n\n".encode(),
        "look_alike_autograd-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\n"
                                                   b"Tag: py3-none-any\n",
    }
    record = "look_alike_autograd-1.0.dist-info/RECORD"
    path = folder / "look_alike_autograd-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        lines = ""
        for name, data in files.items():
            wheel.writestr(name, data)
            lines += _record_line(name, data)
        wheel.writestr(record, lines + f"{record},,\n")
    return path


def _chainrule_wheel(folder: Path) -> Path:
    given = os.environ.get("CHAINRULE_WHEEL")
    if given:
        assert Path(given).is_file(), f"CHAINRULE_WHEEL={given} does not exist"
        return Path(given)
    source = _mkdir(folder / "source")
    for name in ("setup.cfg", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "docs", source / "docs")
    for package in ("autograd", "nn", "homework"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    # with setuptools at hand, build with it (fast, offline); else pip fetches it for an isolated build
    isolation = ["--no-build-isolation"] if _can_build_wheels_here() else []
    _pip("wheel", "-q", "--no-deps", *isolation, "-w", str(folder), str(source))
    wheel, = folder.glob("chainrule-*.whl")
    return wheel


def _can_build_wheels_here() -> bool:
    """Whether this environment's setuptools (61 or newer) can make a wheel: from 70.1 on by itself,
    before with the wheel package."""
    try:
        version = tuple(int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return version >= (70, 1) or (version >= (61, 0) and importlib.util.find_spec("wheel") is not None)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _pip(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


class Environment:
    """A throwaway virtual environment without pip, which this environment's pip installs into."""

    def __init__(self, folder: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
        self.python = folder / "bin" / "python"
        self.bin = folder / "bin"
        site = subprocess.run([str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        self.site = Path(site)
        for name in ("numpy", "numpy.libs", "graphviz", "tomli"):  # chainrule's dependencies, linked in
            spec = importlib.util.find_spec(name.split(".")[0])
            if spec and spec.origin:
                found = Path(spec.origin).parent.parent / name
                if found.exists() and not (self.site / name).exists():
                    (self.site / name).symlink_to(found)

    def pip(self, *args: str) -> None:
        _pip("--python", str(self.python), *args)

    def run(self, *command: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["PATH"] = str(self.bin) + os.pathsep + env.get("PATH", "")
        return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=self.site.parent)

    def python_says(self, code: str) -> subprocess.CompletedProcess:
        return self.run(str(self.python), "-c", code)


def _names_both_and_the_fix(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0, result.stdout
    error = result.stderr.strip().splitlines()[-1]
    if result.args[0] == "chainrule":  # the command: one line, status 2, as for any other thing to fix
        assert result.returncode == 2 and result.stderr.startswith("chainrule: error: ") \
            and "Traceback" not in result.stderr, result.stderr
    else:  # Python: the exception, which a program can catch
        assert error.startswith("autograd.distribution.ImportNameClash:"), result.stderr
    for needed in (f"chainrule {__version__}", OTHER, "`autograd`", "virtual environment", "--force-reinstall"):
        assert needed in error, (needed, error)


def test_a_second_autograd_next_to_chainrule_is_a_clear_error(tmp_path):
    chainrule_wheel = _chainrule_wheel(_mkdir(tmp_path / "wheels"))
    other_wheel = _look_alike_wheel(tmp_path / "wheels")
    env = Environment(tmp_path / "venv")

    env.pip("install", "-q", "--no-deps", "--no-index", str(chainrule_wheel))
    fine = env.python_says("import autograd, nn, homework; print(autograd.__version__, nn.__version__)")
    assert fine.returncode == 0 and fine.stdout.split() == [__version__, __version__], fine.stderr
    doctor = env.run("chainrule", "doctor")
    assert "✓ import names" in doctor.stdout, doctor.stdout + doctor.stderr

    # The other one installed last: its __init__.py replaces chainrule's, and `import autograd` is theirs.
    env.pip("install", "-q", "--no-deps", "--no-index", str(other_wheel))
    theirs = env.python_says("import autograd; print(autograd.LOOK_ALIKE)")
    assert theirs.stdout.strip() == "True", theirs.stderr
    _names_both_and_the_fix(env.python_says("import nn"))
    _names_both_and_the_fix(env.run("chainrule", "solve"))
    _names_both_and_the_fix(env.python_says("import homework"))

    # chainrule installed last: its own __init__.py notices the other distribution.
    env.pip("install", "-q", "--no-deps", "--no-index", "--force-reinstall", str(chainrule_wheel))
    _names_both_and_the_fix(env.python_says("import autograd"))
    _names_both_and_the_fix(env.run("chainrule", "--version"))

    # Uninstalling the other deletes the autograd/__init__.py the two share.
    env.pip("uninstall", "-q", "-y", OTHER)
    missing = env.python_says("import nn")
    assert missing.returncode != 0 and "autograd/__init__.py is missing" in missing.stderr, missing.stderr
    assert "pip install --force-reinstall --no-deps chainrule" in missing.stderr

    # The fix the message gives works.
    env.pip("install", "-q", "--no-deps", "--no-index", "--force-reinstall", str(chainrule_wheel))
    solved = env.run("chainrule", "solve")
    assert solved.returncode == 0 and "dℓ/dW¹₂₁" in solved.stdout, solved.stderr
