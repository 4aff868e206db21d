"""The step-through page, driven in a real browser (Playwright with Debian's chromium, from file://):
its first and last frames, that frame k lights up the node and edge that row k of the printed trace
names, that the panel's numbers are the engine's, the keys, the slider, play/pause and printing, and
that the page asks the network for nothing and logs no error. One browser for the whole module.

Without Playwright or chromium the browser tests are skipped, except under CI=true, where that is a
failure (the `needs_browser` requirement below; CI installs both).
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
from pathlib import Path

import pytest

from autograd import forward_table, trace
from homework import load
from tests.test_pictures_cli import run

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "steps.png"
SCREENSHOT_FRAME = 38  # seed 002: x₁'s gradient completes (two contributions summed), x₂'s sum still open


def needs_browser() -> None:
    """Skip without Playwright, chromium or graphviz's dot; under CI=true, fail instead."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install playwright; no browser download: it drives "
                       f"{CHROMIUM})")
    if not os.path.exists(CHROMIUM):
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not shutil.which("dot"):
        missing.append("graphviz's dot (apt-get install graphviz fonts-dejavu-core)")
    if missing:
        message = "the browser tests need " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " under CI=true")
        pytest.skip(message)


def printed_rows(text: str, lead: str) -> list[list[str]]:
    """The rows of the printed table under the line starting with ``lead``, cell by cell."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(lead))
    rule = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("─"))
    rows = []
    for line in lines[rule + 1:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def last_number(cell: str) -> float:
    return float(cell.rsplit("= ", 1)[-1].replace("(", "").replace(")", ""))


def typeset(text: str) -> str:
    return text.replace("-", "−")  # the picture writes a typeset minus, the printout a hyphen


# Every frame's visible state, collected in one round trip by moving the slider.
COLLECT = """() => {
  const slider = document.getElementById('slider');
  const titles = sel => [...document.querySelectorAll(sel)].map(g => g.querySelector('title').textContent);
  const texts = sel => [...document.querySelectorAll(sel)]
    .map(g => [...g.querySelectorAll('text')].map(t => t.textContent));
  const out = [];
  for (let k = 1; k <= Number(slider.max); k++) {
    slider.value = String(k);
    slider.dispatchEvent(new Event('input'));
    out.push({
      counter: document.getElementById('counter').textContent,
      phase: document.getElementById('phase').textContent,
      header: [...document.querySelectorAll('#row th')].map(e => e.textContent),
      cells: [...document.querySelectorAll('#row td')].map(e => e.textContent),
      now: titles('g.node.lit-now'), from: titles('g.node.lit-from'), into: titles('g.node.lit-into'),
      nowTexts: texts('g.node.lit-now'), fromTexts: texts('g.node.lit-from'), intoTexts: texts('g.node.lit-into'),
      edges: titles('g.edge.lit-edge'), labels: texts('g.node.lit-edge'),
      pending: titles('g.node.pending'), hiddenGrads: document.querySelectorAll('text.hidden').length,
      badges: [...document.querySelectorAll('g.badge text')].map(t => t.textContent),
      note: document.getElementById('note').textContent, closing: document.getElementById('closing').textContent,
    });
  }
  return out;
}"""


@pytest.fixture(scope="module")
def browser():
    needs_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The pages `chainrule` writes: seed 002 and seed 001 (--steps), and a formula (explain --steps)."""
    needs_browser()
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for name, argv in (("seed002", ("solve", "seed002")), ("seed001", ("solve", "seed001")),
                       ("formula", ("explain", "q = x + y; f = q * z", "x=-2", "y=5", "z=-4"))):
        path = folder / f"{name}.html"
        status, _, err = run(*argv, "--steps", str(path))
        assert status == 0 and f"wrote the step-through page to {path}" in err
        made[name] = path
    return made


class Tab:
    """A browser tab on one page, recording every request and every console error."""

    def __init__(self, browser, path: Path, **context) -> None:
        self.context = browser.new_context(**context)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.path = path

    def _route(self, route):
        self.requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    def open(self):
        self.page.goto(self.path.as_uri())
        return self.page

    def counter(self) -> str:
        return self.page.locator("#counter").inner_text()

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, pages):
    opened = []

    def make(name: str = "seed002", **context) -> Tab:
        t = Tab(browser, pages[name], **context)
        opened.append(t)
        return t

    yield make
    for t in opened:
        t.close()


@pytest.fixture(scope="module")
def seed002():
    solution = load("seed002").solve()
    status, out, _ = run("solve", "seed002", "--trace")
    assert status == 0
    forward = forward_table(solution.loss, digits=4)
    return {"solution": solution, "forward": forward, "trace": trace(solution.loss, digits=4),
            "trace rows": printed_rows(out, "backward pass from"),
            "forward rows": printed_rows(str(forward), "forward pass of")}


def test_first_and_last_frames(tab, seed002):
    t = tab()
    page = t.open()
    n = len(seed002["forward rows"]) + len(seed002["trace rows"])
    assert t.counter() == f"1 / {n}" and page.locator("#phase").inner_text() == "forward pass"
    assert page.locator("#prev").is_disabled() and not page.locator("#next").is_disabled()
    first = page.evaluate(COLLECT)[0]
    assert first["cells"] == seed002["forward rows"][0] and first["header"] == ["name", "definition", "value"]
    assert first["now"] and first["nowTexts"][0][0] == first["cells"][0]  # W²₁₁'s box, its name on top
    assert first["hiddenGrads"] > 0 and len(first["pending"]) > 10  # nothing computed yet but W²₁₁
    page.keyboard.press("End")
    assert t.counter() == f"{n} / {n}" and page.locator("#phase").inner_text() == "backward pass"
    assert page.locator("#next").is_disabled()
    closing = page.locator("#closing").inner_text()
    assert closing == "engine check: the .grad of all 19 nodes that received a gradient agrees ✓"
    last = page.evaluate(COLLECT)[-1]
    assert last["pending"] == [] and last["hiddenGrads"] == 0 and last["badges"] == []
    assert last["cells"] == seed002["trace rows"][-1]


def test_each_frame_lights_up_what_its_row_of_the_printout_names(tab, seed002):
    frames = tab().open().evaluate(COLLECT)
    forward, rows = seed002["forward rows"], seed002["trace rows"]
    assert len(frames) == len(forward) + len(rows) == 39
    for k, (state, row) in enumerate(zip(frames, forward), start=1):
        assert state["counter"] == f"{k} / 39" and state["cells"] == row
        assert len(state["now"]) == 1 and state["nowTexts"][0][0] == row[0]
    for k, (state, row) in enumerate(zip(frames[len(forward):], rows), start=len(forward) + 1):
        assert state["counter"] == f"{k} / 39" and state["phase"] == "backward pass"
        assert state["cells"] == row  # exactly the row `chainrule solve seed002 --trace` prints
        assert len(state["from"]) == 1 and len(state["into"]) == 1
        for name, texts in ((row[1], state["fromTexts"][0]), (row[5], state["intoTexts"][0])):
            shown = [typeset(s) for s in texts]
            assert typeset(name) == shown[0] or f"= {typeset(name)}" in shown, (k, name, texts)
        # the lit edge runs between the two lit boxes and carries the row's local partial
        ends = {end.split(":")[0] for title in state["edges"] for end in title.split("->")}
        assert {e for e in ends if e.startswith("n")} == {state["from"][0], state["into"][0]}, (k, state["edges"])
        local = typeset(row[3].rsplit("= ", 1)[-1])
        assert any(local in " ".join(label) for label in state["labels"]), (k, local, state["labels"])


def test_the_panel_numbers_are_the_engines(tab, seed002):
    frames = tab().open().evaluate(COLLECT)
    quantities, steps = seed002["forward"].quantities, seed002["trace"].steps
    close = lambda shown, engine: math.isclose(last_number(shown), engine, rel_tol=1e-3, abs_tol=1e-12)
    for state, q in zip(frames, quantities):
        assert close(state["cells"][2], q.of.data), state
    last_row_into = {id(s.into): s.number for s in steps}
    for state, s in zip(frames[len(quantities):], steps):
        slot = next(i for i, p in enumerate(s.node.parents) if p is s.into)
        assert close(state["cells"][2], s.node.grad)  # upstream: the consumer's gradient, as the engine has it
        assert close(state["cells"][3], s.node.partials[slot])  # the local partial the engine recorded
        assert close(state["cells"][4], s.node.grad * s.node.partials[slot])
        if last_row_into[id(s.into)] == s.number:
            assert close(state["cells"][6], s.into.grad)  # the finished sum is the engine's .grad
    # x₁ has two consumers: its running sum shows in its box until the second contribution arrives
    x1_rows = [k for k, s in enumerate(steps) if s.cells[5][0].text == "x₁"]
    assert len(x1_rows) == 2
    between = frames[len(quantities) + x1_rows[0]]
    assert "Σ so far 1.396e-11" in between["badges"]


def test_arrow_keys_slider_buttons_and_play(tab):
    t = tab()
    page = t.context.new_page()
    page.clock.install()
    page.goto(t.path.as_uri())
    t.page = page
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert t.counter() == "3 / 39"
    page.keyboard.press("ArrowLeft")
    assert t.counter() == "2 / 39"
    page.locator("#slider").fill("25")
    assert t.counter() == "25 / 39" and page.locator("#phase").inner_text() == "backward pass"
    page.locator("#next").click()
    assert t.counter() == "26 / 39"
    page.locator("#prev").click()
    page.locator("#prev").click()
    assert t.counter() == "24 / 39"
    page.keyboard.press("Home")
    page.locator("#play").click()
    page.clock.run_for(3500)
    assert t.counter() == "4 / 39" and page.locator("#play").inner_text() == "❚❚ pause"
    page.locator("#play").click()
    page.clock.run_for(5000)
    assert t.counter() == "4 / 39" and page.locator("#play").inner_text() == "▶ play"


def test_no_network_request_and_no_console_error(tab, pages):
    for name in pages:
        t = tab(name)
        page = t.open()
        page.evaluate(COLLECT)  # every frame shown once
        for key in ("Home", "ArrowRight", "End", "ArrowLeft", " ", " "):
            page.keyboard.press(key)
        assert t.requests == [pages[name].as_uri()], t.requests  # the page itself, from disk, and nothing else
        assert t.errors == []


def test_printing_shows_the_final_state(tab):
    t = tab()
    page = t.open()
    page.emulate_media(media="print")
    state = page.evaluate("""() => ({
        faint: [...document.querySelectorAll('g.node, g.edge')].filter(g => getComputedStyle(g).opacity !== '1').length,
        hidden: [...document.querySelectorAll('text')].filter(t => getComputedStyle(t).visibility === 'hidden').length,
        controls: getComputedStyle(document.getElementById('slider')).display })""")
    assert state == {"faint": 0, "hidden": 0, "controls": "none"}
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert t.counter() == "39 / 39"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert t.counter() == "1 / 39"


def test_a_large_graph_takes_the_pictures_view_and_says_so(tab):
    page = tab("seed001").open()
    assert "one box per unit" in page.locator(".view-note").inner_text()
    assert "every operation in a box of its own would make 44 boxes" in page.locator(".view-note").inner_text()
    frames = page.evaluate(COLLECT)
    assert len(frames) == 37 + 57
    for state in frames[37:]:
        assert state["from"] or state["into"]  # every row lights the box its nodes are drawn in
        if state["from"] and state["from"] == state["into"]:
            assert "stays inside it" in state["note"]
        else:
            assert state["edges"], state


def test_a_formula_page_from_explain(tab):
    page = tab("formula").open()
    frames = page.evaluate(COLLECT)
    assert [f["cells"][0] for f in frames[:5]] == ["x", "y", "q", "z", "f"]
    assert frames[-1]["closing"].startswith("engine check") and frames[-1]["counter"] == "9 / 9"


def test_the_notebook_display_steps_through_inside_its_frame(browser, pages, tmp_path):
    solution = load("seed002").solve()
    wrapper = tmp_path / "notebook.html"
    cell = solution.step_through()._repr_html_()  # what a notebook puts into its output
    wrapper.write_text("<!DOCTYPE html><meta charset='utf-8'>" + cell, encoding="utf-8")
    t = Tab(browser, wrapper)
    try:
        page = t.open()
        inner = page.frame_locator("iframe")
        assert inner.locator("#counter").inner_text() == "1 / 39"
        inner.locator("#next").click()
        inner.locator("body").press("ArrowRight")
        assert inner.locator("#counter").inner_text() == "3 / 39"
        assert t.errors == [] and all(u.startswith("file:") or u == "about:srcdoc" for u in t.requests)
    finally:
        t.close()


def test_screenshot_of_one_frame(browser, pages, tmp_path):
    """The README's picture: one frame of seed 002, made here; written to docs/ when it is missing."""
    t = Tab(browser, pages["seed002"], viewport={"width": 1100, "height": 600})
    try:
        page = t.open()
        page.locator("#slider").fill(str(SCREENSHOT_FRAME))
        assert t.counter() == f"{SCREENSHOT_FRAME} / 39"
        page.locator("#slider").blur()
        shot = tmp_path / "steps.png"
        page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if not SCREENSHOT.exists():
            shutil.copyfile(shot, SCREENSHOT)
    finally:
        t.close()


def test_the_page_is_one_file_that_fetches_nothing(pages):
    text = pages["seed002"].read_text(encoding="utf-8")
    assert "<svg" in text and "<script src" not in text and "<link" not in text
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)|@import|url\(""", text)
    assert html.unescape(text).count("W¹₂₁") >= 2  # the picture and the frames name it
