"""The step-through page's own CSS and JavaScript, inlined into every page (no file, font or script
is fetched from anywhere).

The script reads the frames (JSON written by page.py), finds the drawing's boxes and edges by the
``<title>`` graphviz gives every SVG group (the DOT id: ``n4``; an edge ``n4->e3:w``, its label ``e3``
and ``e3:e->n8``), and shows frame k by replaying frames 1 … k: which boxes have their value yet,
whose gradient is complete, which running sums are open. Controls: previous/next buttons, ← and →
(Home, End), a slider, play/pause (space). Printing shows the last frame; the print styles show
every value and gradient even where scripts do not run.
"""

STYLE = """
:root { --now: #2b8a3e; --from: #d9480f; --into: #1864ab; --edge: #d9480f; --ink: #1a1a1a; --muted: #5c5c5c; }
* { box-sizing: border-box; }
body { margin: 0; padding: 8px 14px; color: var(--ink); background: #fff;
       font: 15px/1.4 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; margin: 0 0 6px; }
header h1 { font-size: 17px; margin: 0; }
.view-note { margin: 0; color: var(--muted); font-size: 13px; }
#figure { margin: 0; border: 1px solid #e3e3e3; border-radius: 6px; }
#graph { display: block; margin: 0 auto; width: 100%; height: auto; max-height: calc(100vh - 215px); min-height: 200px; }
#panel { margin: 8px 0 0; }
#bar { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
#phase { margin: 0; font-weight: bold; font-size: 16px; min-width: 9em; }
#phase.forward { color: var(--now); } #phase.backward { color: var(--from); }
#counter { margin: 0; font-variant-numeric: tabular-nums; font-weight: bold; min-width: 5em; }
#bar button { font: inherit; font-size: 14px; padding: 2px 10px; border: 1px solid #adb5bd; border-radius: 4px;
              background: #f8f9fa; cursor: pointer; }
#bar button:disabled { color: #adb5bd; cursor: default; }
#slider { flex: 1 1 12em; min-width: 8em; }
#lead, #closing { margin: 4px 0; color: var(--muted); font-size: 13px; }
#row { border-collapse: collapse; margin: 2px 0; }
#row th { text-align: left; font-weight: normal; color: var(--muted); font-size: 13px; padding: 2px 18px 1px 0;
          white-space: nowrap; border-bottom: 1px solid #ccc; }
#row td { padding: 3px 18px 0 0; font-size: 16px; vertical-align: top; }
#note { margin: 4px 0; font-size: 13px; color: var(--into); }
#key { margin: 4px 0; font-size: 12px; color: var(--muted); }
#key b.now { color: var(--now); } #key b.from { color: var(--from); } #key b.into { color: var(--into); }
body[data-phase="forward"] #key .backward, body[data-phase="backward"] #key .forward { display: none; }
#note:empty, #closing:empty, #legend:empty { display: none; }
#legend { font-size: 12px; white-space: pre-wrap; margin: 4px 0 0; }
g.pending { opacity: 0.13; }
g.node.pending.lit-now { opacity: 0.6; }
text.hidden { visibility: hidden; }
g.badge rect { fill: #fff9db; stroke: var(--into); stroke-width: 1px; }
g.badge text { font: bold 10px "DejaVu Sans", sans-serif; fill: var(--into); }
@media screen {
  g.node.lit-now > path, g.node.lit-now > polygon { stroke: var(--now); stroke-width: 4px; }
  g.node.lit-way > path, g.node.lit-way > polygon { stroke: var(--now); stroke-width: 2.5px; }
  g.node.lit-into > path, g.node.lit-into > polygon { stroke: var(--into); stroke-width: 4px; }
  g.node.lit-from > path, g.node.lit-from > polygon { stroke: var(--from); stroke-width: 4px; }
  g.edge.lit-in > path { stroke: var(--now); stroke-width: 2.5px; }
  g.edge.lit-in > polygon { stroke: var(--now); fill: var(--now); }
  g.node.lit-in > polygon { fill: #d3f9d8; }
  g.edge.lit-edge > path { stroke: var(--edge); stroke-width: 3px; }
  g.edge.lit-edge > polygon { stroke: var(--edge); fill: var(--edge); }
  g.node.lit-edge > polygon { fill: #ffe8cc; }
}
@media print {
  body { padding: 0; }
  #graph { max-height: none; }
  #bar button, #slider, g.badge, #note, #key { display: none !important; }
  g.pending { opacity: 1 !important; }
  text.hidden { visibility: visible !important; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("frames").textContent);
  var frames = data.frames, n = frames.length, current = 1, timer = null;
  var svg = document.getElementById("graph");
  var SVG_NS = "http://www.w3.org/2000/svg";
  var nodes = {}, links = {}, linkHeads = [], labelIn = {}, labelOut = {};
  svg.querySelectorAll("g.node").forEach(function (g) {
    var t = g.querySelector("title");
    if (t) { nodes[t.textContent] = g; }
  });
  function addLink(key, groups, head) {
    links[key] = (links[key] || []).concat(groups);
    linkHeads.push([groups, head]);
  }
  svg.querySelectorAll("g.edge").forEach(function (g) {
    var t = g.querySelector("title");
    if (!t) { return; }
    var ends = t.textContent.split("->");
    var tail = ends[0].split(":")[0], head = ends[1].split(":")[0];
    if (/^e[0-9]+$/.test(head)) { labelIn[head] = [tail, g]; }
    else if (/^e[0-9]+$/.test(tail)) { labelOut[tail] = [head, g]; }
    else { addLink(tail + "->" + head, [g], head); }
  });
  Object.keys(labelIn).forEach(function (e) {
    var into = labelIn[e], out = labelOut[e];
    if (out && nodes[e]) { addLink(into[0] + "->" + out[0], [into[1], nodes[e], out[1]], out[0]); }
  });
  var grads = {};
  data.boxes.forEach(function (b) {
    grads[b] = nodes[b] ? Array.prototype.slice.call(nodes[b].querySelectorAll('text[fill="' + data.grad + '"]')) : [];
  });
  var $ = function (id) { return document.getElementById(id); };
  var slider = $("slider"), play = $("play");

  function lit(groups, name) { groups.forEach(function (g) { if (g) { g.classList.add(name); } }); }

  function badge(box, text) {
    // over the box's own (still hidden) gradient line: the running sum stays inside its box
    var g = nodes[box];
    if (!g) { return; }
    var where = g.getBBox(), group = document.createElementNS(SVG_NS, "g");
    var label = document.createElementNS(SVG_NS, "text"), back = document.createElementNS(SVG_NS, "rect");
    group.setAttribute("class", "badge");
    label.textContent = text;
    label.setAttribute("x", where.x + where.width / 2);
    label.setAttribute("y", where.y + where.height - 5);
    label.setAttribute("text-anchor", "middle");
    group.appendChild(back);
    group.appendChild(label);
    g.parentNode.appendChild(group);
    var size = label.getBBox();
    back.setAttribute("x", size.x - 3); back.setAttribute("y", size.y - 1);
    back.setAttribute("width", size.width + 6); back.setAttribute("height", size.height + 2);
    back.setAttribute("rx", 3);
  }

  function row(header, cells) {
    var table = $("row"), head = document.createElement("tr"), body = document.createElement("tr");
    header.forEach(function (h, i) {
      var th = document.createElement("th"), td = document.createElement("td");
      th.textContent = h; td.textContent = cells[i];
      head.appendChild(th); body.appendChild(td);
    });
    table.tHead.textContent = ""; table.tHead.appendChild(head);
    table.tBodies[0].textContent = ""; table.tBodies[0].appendChild(body);
  }

  function show(k) {
    k = Math.max(1, Math.min(n, k));
    current = k;
    var appeared = {}, doneAt = {}, sums = {}, i;
    for (i = 0; i < k; i++) {
      frames[i].appear.forEach(function (b) { appeared[b] = true; });
      if (frames[i].sum && frames[i].sum[1] === null) { delete sums[frames[i].sum[0]]; }
      else if (frames[i].sum) { sums[frames[i].sum[0]] = frames[i].sum[1]; }
      frames[i].done.forEach(function (b) { doneAt[b] = i + 1; });
    }
    data.boxes.forEach(function (b) {
      if (nodes[b]) { nodes[b].classList.toggle("pending", !appeared[b]); }
      grads[b].forEach(function (t) { t.classList.toggle("hidden", !doneAt[b]); });
    });
    linkHeads.forEach(function (entry) {
      var pending = data.boxes.indexOf(entry[1]) >= 0 && !appeared[entry[1]];
      entry[0].forEach(function (g) { if (g) { g.classList.toggle("pending", pending); } });
    });
    svg.querySelectorAll(".lit-now, .lit-way, .lit-from, .lit-into, .lit-in, .lit-edge").forEach(function (g) {
      g.classList.remove("lit-now", "lit-way", "lit-from", "lit-into", "lit-in", "lit-edge");
    });
    svg.querySelectorAll("g.badge").forEach(function (g) { g.parentNode.removeChild(g); });
    var f = frames[k - 1];
    if (f.phase === "forward") {
      lit([nodes[f.box]], "lit-now");
      lit(f.also.map(function (b) { return nodes[b]; }), "lit-way");
      f.links.forEach(function (key) { lit(links[key] || [], "lit-in"); });
    } else {
      lit([nodes[f.box]], "lit-from");
      lit([nodes[f.into]], "lit-into");
      f.links.forEach(function (key) { lit(links[key] || [], "lit-edge"); });
    }
    Object.keys(sums).forEach(function (b) { badge(b, sums[b]); });
    $("phase").textContent = f.phase === "forward" ? "forward pass" : "backward pass";
    $("phase").className = f.phase;
    document.body.setAttribute("data-phase", f.phase);
    $("k").textContent = k;
    $("lead").textContent = data.leads[f.phase];
    row(data.headers[f.phase], f.cells);
    $("note").textContent = f.note;
    $("closing").textContent = k === n ? data.closing : "";
    $("legend").textContent = data.legend[f.phase];
    slider.value = k;
    $("prev").disabled = k === 1;
    $("next").disabled = k === n;
  }

  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "\\u25b6 play";
  }
  function start() {
    if (current === n) { show(1); }
    play.textContent = "\\u275a\\u275a pause";
    timer = setInterval(function () { if (current >= n) { stop(); } else { show(current + 1); } }, 1000);
  }
  function toggle() { if (timer === null) { start(); } else { stop(); } }

  $("prev").addEventListener("click", function () { stop(); show(current - 1); });
  $("next").addEventListener("click", function () { stop(); show(current + 1); });
  play.addEventListener("click", toggle);
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var to = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 1, End: n}[e.key];
    if (to !== undefined) { stop(); show(to); e.preventDefault(); }
    else if (e.key === " " && e.target.tagName !== "BUTTON") { toggle(); e.preventDefault(); }
  });
  var before = 1;
  window.addEventListener("beforeprint", function () { before = current; stop(); show(n); });
  window.addEventListener("afterprint", function () { show(before); });
  show(1);
})();
"""
