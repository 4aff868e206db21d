"""The package as it is installed and published: one version everywhere, typed, licensed, with
extras that say which versions they take, a description that reads well on a package index page,
and the import-name check that finds another distribution providing ``autograd``.

The built sdist and wheel themselves are checked by .ci/run, which runs this suite from the unpacked
sdist against the installed wheel on the oldest and the newest Python; tests/test_clash.py installs a
wheel next to a look-alike in a throwaway environment.
"""

import configparser
import contextlib
import importlib.metadata
import io
import re
import sys
from pathlib import Path

import pytest

import autograd
import homework
import nn
from autograd import distribution

ROOT = Path(__file__).resolve().parent.parent
SETUP = configparser.ConfigParser()
SETUP.read(ROOT / "setup.cfg", encoding="utf-8")


def _requirements(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip() and not line.strip().startswith("#")]


def test_one_version_everywhere():
    assert re.fullmatch(r"\d+\.\d+\.\d+", distribution.__version__)
    assert autograd.__version__ == nn.__version__ == homework.__version__ == distribution.__version__
    assert SETUP["metadata"]["version"] == "attr: autograd.distribution.__version__"
    written = [p for p in ROOT.glob("*.*") if p.suffix in (".cfg", ".toml", ".py")
               and re.search(r"^\s*version\s*=\s*['\"]?\d", p.read_text(encoding="utf-8"), re.M)]
    assert not written, f"a second version number in {written}"
    try:
        installed = importlib.metadata.version("chainrule")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("chainrule is not installed, only importable")
    assert installed == distribution.__version__, "reinstall: the installed metadata is of another version"


def test_every_package_is_marked_typed():
    for package in (autograd, nn, homework):
        assert (Path(package.__file__).parent / "py.typed").is_file(), package.__name__
    assert set(SETUP["options.package_data"]) >= {"autograd", "nn", "homework"}
    assert all("py.typed" in SETUP["options.package_data"][p] for p in ("autograd", "nn", "homework"))


def test_mit_license_is_shipped():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY" in text
    assert SETUP["metadata"]["license"] == "MIT" and SETUP["metadata"]["license_files"] == "LICENSE"


def test_supported_pythons_and_tomli_on_310():
    assert SETUP["options"]["python_requires"] == ">=3.10"
    classifiers = SETUP["metadata"]["classifiers"]
    for minor in (10, 11, 12, 13):
        assert f"Python :: 3.{minor}" in classifiers
    requires = _requirements(SETUP["options"]["install_requires"])
    assert any(r.startswith("tomli") and 'python_version < "3.11"' in r for r in requires)
    if sys.version_info < (3, 11):
        from homework import reading
        assert reading.tomllib.__name__ == "tomli"


def test_every_extra_says_which_versions_it_takes():
    extras = SETUP["options.extras_require"]
    assert set(extras) >= {"dev", "bench", "torch"}
    for extra in extras:
        for requirement in _requirements(extras[extra]):
            assert "==" in requirement or ("<" in requirement and ">=" in requirement), (extra, requirement)
    dev = " ".join(_requirements(extras["dev"]))
    for needed in ("pytest", "hypothesis", "build", "playwright", "nbclient", "nbformat", "ipykernel", "ipython"):
        assert re.search(rf"\b{needed}\b", dev), needed
    # PyTorch 2.14 lies on CI's disk only as a CUDA build of several GB; 2.13 as a CPU build
    torch, = _requirements(extras["torch"])
    assert torch == "torch>=2.9,<2.14"


# The page on the package index ------------------------------------------------------------------------

DESCRIPTION = ROOT / SETUP["metadata"]["long_description"].removeprefix("file:").strip()
LINK = re.compile(r"!?\[[^\]]*\]\(([^)]+)\)")


def test_the_long_description_has_no_relative_link_or_image():
    assert SETUP["metadata"]["long_description_content_type"] == "text/markdown"
    text = DESCRIPTION.read_text(encoding="utf-8")
    assert len(text) > 1000 and text.startswith("# chainrule")
    targets = LINK.findall(text) + re.findall(r"<img[^>]*src=\"([^\"]+)\"", text)
    relative = [t for t in targets if not re.match(r"https?://", t)]
    assert not relative, f"these would be broken on the package index page: {relative}"


def test_the_long_description_says_how_to_install_and_the_import_names():
    text = DESCRIPTION.read_text(encoding="utf-8")
    for needed in ("pip install chainrule", "graphviz", "virtual environment", "HIPS autograd", "micrograd",
                   "chainrule doctor", "chainrule solve"):
        assert needed in text, needed


def test_the_long_descriptions_python_examples_print_what_it_says(tmp_path, monkeypatch):
    blocks = re.findall(r"```(\w+)\n(.*?)```", DESCRIPTION.read_text(encoding="utf-8"), re.S)
    pairs = [(code, out) for (lang, code), (next_lang, out) in zip(blocks, blocks[1:])
             if lang == "python" and next_lang == "text"]
    assert pairs
    monkeypatch.chdir(tmp_path)
    for code, expected in pairs:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, str(DESCRIPTION), "exec"), {"__name__": "description"})
        assert buffer.getvalue() == expected


# Who provides the import name autograd ----------------------------------------------------------------

def test_chainrule_provides_its_import_names_and_nothing_else_does():
    for name in distribution.IMPORT_NAMES:
        assert distribution.others(name) == [], name
    autograd_providers = distribution.providers("autograd")
    assert autograd_providers in ([], ["chainrule"])  # [] when run from a source tree that is not installed


def test_providers_agree_with_importlib_metadata():
    expected = importlib.metadata.packages_distributions()
    for name in sorted(expected):
        if name.isidentifier():
            assert set(distribution.providers(name)) >= set(expected[name]), name
            if sys.version_info >= (3, 11):  # 3.10 reads only top_level.txt, which some wheels lack
                assert distribution.providers(name) == sorted(set(expected[name]), key=str.lower), name


def _dist_info(site: Path, name: str, files: list[str], top_level: bool) -> None:
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    for f in files:  # importlib.metadata (3.13) lists only the files that exist
        (site / f).parent.mkdir(parents=True, exist_ok=True)
        (site / f).write_text("", encoding="utf-8")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\n", encoding="utf-8")
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files + [f"{info.name}/RECORD"]), encoding="utf-8")
    if top_level:
        (info / "top_level.txt").write_text("\n".join(sorted({f.split("/")[0] for f in files})) + "\n",
                                            encoding="utf-8")


@pytest.mark.parametrize("top_level", [True, False], ids=["top_level.txt", "RECORD only"])
def test_another_distribution_providing_autograd_is_a_clear_error(tmp_path, monkeypatch, top_level):
    _dist_info(tmp_path, "Look-Alike", ["autograd/__init__.py", "autograd/core.py"], top_level)
    _dist_info(tmp_path, "unrelated", ["unrelated/__init__.py", "autograd_tools/x.py"], top_level)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert distribution.others("autograd") == ["Look-Alike"]
    if top_level or sys.version_info >= (3, 11):  # 3.10's packages_distributions reads only top_level.txt
        assert "Look-Alike" in importlib.metadata.packages_distributions()["autograd"]
    with pytest.raises(ImportError) as caught:
        distribution.check_import_name()
    message = str(caught.value)
    assert isinstance(caught.value, distribution.ImportNameClash)
    for needed in ("chainrule", "Look-Alike", "`autograd`", "virtual environment", "--force-reinstall"):
        assert needed in message, needed


def test_hips_autograd_is_named_as_such(tmp_path, monkeypatch):
    _dist_info(tmp_path, "autograd", ["autograd/__init__.py", "autograd/numpy/numpy_vjps.py"], top_level=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    message = distribution.clash_message(distribution.others("autograd"))
    assert "autograd (HIPS autograd)" in message and message.startswith(f"chainrule {distribution.__version__}")


def test_nn_refuses_an_autograd_that_is_not_the_engine(monkeypatch):
    from nn.engine_check import require_chainrule_engine

    class Foreign:
        __file__ = "/elsewhere/autograd/__init__.py"

    monkeypatch.setitem(sys.modules, "autograd", Foreign())
    with pytest.raises(ImportError, match=r"loads /elsewhere/autograd/__init__.py, which is not chainrule's engine"):
        require_chainrule_engine()
    Foreign.__file__ = None  # what is left after another distribution's uninstall deleted __init__.py
    with pytest.raises(ImportError, match=r"autograd/__init__.py is missing.*--force-reinstall"):
        require_chainrule_engine()
