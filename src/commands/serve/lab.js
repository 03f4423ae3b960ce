// The lab's page: builds the controls from the library, turns them into an experiment's
// settings (only what differs from the scenario), checks them with the server as they
// change, runs them and draws the streamed ensemble, the decision timeline and the
// comparison with a pinned baseline. No framework: the page is compiled into sovsim.
// The experiment lives in the address (after #), so a reload or a shared link keeps it.
"use strict";

const lab = {
  library: null,
  scenario: null,   // the library entry chosen
  view: null,       // the view whose strengths were last taken
  run: null,        // the last run: {settings, started, bands, timeline, files}
  baseline: null,   // the pinned run, as `run`
  controller: null, // aborts the run in progress
  checkTimer: null,
};

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function setStatus(text) { $("status").textContent = text; }

// ---- Building the controls -------------------------------------------------------------

async function init() {
  let response;
  try {
    response = await fetch("/api/library");
  } catch (e) {
    setStatus("The lab's server cannot be reached: is `sovsim serve` still running?");
    return;
  }
  lab.library = await response.json();
  const lib = lab.library;
  setStatus(`sovsim ${lib.version}: ${lib.scenarios.length} scenarios, ${lib.views.length} views, ${lib.claims.length} claims. Limits: ${lib.limits.agents} agents, ${lib.limits.replicates} replicates a run.`);
  for (const s of lib.scenarios) $("scenario").append(el("option", { value: s.name, text: s.name }));
  for (const p of lib.principals) $("police-principal").append(el("option", { value: p, text: p === "centre" ? "the central government (centre)" : "the soviets (soviets)" }));
  for (const e of lib.elections) $("soviets-elections").append(el("option", { value: e, text: e.replace("_", " ") }));
  for (const t of lib.targets) {
    $("police-targets").append(el("label", {}, el("input", { type: "checkbox", value: t, "data-control": "police.targets" }), t.replace("_", " ")));
  }
  for (const m of lib.metrics) {
    $("metrics").append(el("label", {}, el("input", { type: "checkbox", value: m, name: "metric" }), m.replace(/_/g, " ")));
  }
  buildViews();
  buildMechanisms();
  buildDecisions();
  for (const c of lib.claims) $("claim").append(el("option", { value: c.id, text: c.id }));
  $("claim").addEventListener("change", showClaim);
  showClaim();

  $("scenario").addEventListener("change", () => { chooseScenario($("scenario").value, null); changed(); });
  $("controls").addEventListener("input", (e) => { if (e.target.id !== "scenario") changed(); });
  $("run").addEventListener("click", startRun);
  $("stop").addEventListener("click", () => { if (lab.controller) lab.controller.abort(); });
  $("reset").addEventListener("click", () => { chooseScenario(lab.scenario.name, null); changed(); });
  $("pin").addEventListener("click", pin);
  $("unpin").addEventListener("click", unpin);
  $("evaluate").addEventListener("click", evaluateClaim);
  window.addEventListener("hashchange", () => restore());
  if (!restore()) {
    const first = lib.scenarios.find((s) => s.name === "historical") || lib.scenarios[0];
    chooseScenario(first.name, null);
    ["party_democracy", "oligarchy", "bureaucracy"].forEach((m) => setMetric(m, true));
    changed();
  }
}

function setMetric(name, on) {
  const box = document.querySelector(`input[name=metric][value="${name}"]`);
  if (box) box.checked = on;
}

function chosenMetrics() {
  return [...document.querySelectorAll("input[name=metric]:checked")].map((b) => b.value);
}

function buildViews() {
  const box = $("views");
  const own = el("button", { type: "button", "data-view": "" , text: "The scenario's own" });
  own.addEventListener("click", () => takeView(null));
  box.append(own);
  for (const v of lab.library.views) {
    const b = el("button", { type: "button", "data-view": v.name, text: v.name.replace("_", " ") });
    b.title = v.essay;
    b.addEventListener("click", () => takeView(v));
    box.append(b);
  }
}

function takeView(view) {
  lab.view = view;
  const defaults = lab.scenario.defaults.mechanisms;
  for (const m of lab.library.mechanisms) {
    const value = view && view.values[m] !== undefined ? view.values[m] : defaults[m];
    setMechanism(m, value);
  }
  markView();
  changed();
}

function markView() {
  for (const b of document.querySelectorAll("#views button")) {
    const name = b.getAttribute("data-view");
    b.classList.toggle("chosen", lab.view ? name === lab.view.name : name === "");
  }
  $("view-description").textContent = lab.view ? `${lab.view.essay}: ${lab.view.description}` : "";
}

function buildMechanisms() {
  for (const m of lab.library.mechanisms) {
    const id = `mechanism-${m}`;
    const input = el("input", { id, type: "range", min: "0", max: "1", step: "0.05", "data-control": `mechanism.${m}` });
    const out = el("output", { for: id });
    input.addEventListener("input", () => { out.textContent = Number(input.value).toFixed(2); });
    $("mechanisms").append(el("div", { class: "mechanism" },
      el("label", { for: id }, `${m} `, out), input,
      el("span", { class: "problem", "data-for": `mechanism.${m}` })));
  }
}

function setMechanism(m, value) {
  const input = $(`mechanism-${m}`);
  input.value = value;
  input.dataset.value = String(value);
  input.nextElementSibling; // keep the output in step
  document.querySelector(`output[for="mechanism-${m}"]`).textContent = Number(value).toFixed(2);
}

function buildDecisions() {
  for (const d of lab.library.decisions) {
    const mode = el("select", { id: `decision-${d.name}`, "data-control": `decision.${d.name}.mode`, "aria-label": `${d.name}: mode` });
    const date = el("input", { id: `decision-${d.name}-date`, type: "text", placeholder: "YYYY-MM", size: "10", "data-control": `decision.${d.name}.date`, "aria-label": `${d.name}: date` });
    const fields = el("div", { class: "fields" }, el("label", { for: mode.id, class: "name", text: d.name.replace(/_/g, " ") }), mode, date);
    let target = null;
    if (d.target) {
      target = el("input", { id: `decision-${d.name}-target`, type: "text", placeholder: d.target, size: "14", "data-control": `decision.${d.name}.target`, "aria-label": `${d.name}: target` });
      fields.append(target);
    }
    const row = el("div", { class: "decision", id: `row-${d.name}` }, fields,
      el("div", { class: "what", text: d.what }),
      el("span", { class: "problem", "data-for": `decision.${d.name}.mode` }),
      el("span", { class: "problem", "data-for": `decision.${d.name}.date` }),
      el("span", { class: "problem", "data-for": `decision.${d.name}.target` }));
    mode.addEventListener("change", () => showDecisionFields(d.name));
    $("decisions").append(row);
  }
}

function showDecisionFields(name) {
  const pinned = $(`decision-${name}`).value === "pinned";
  $(`decision-${name}-date`).hidden = !pinned;
  const target = $(`decision-${name}-target`);
  if (target) target.hidden = !pinned;
}

// The controls set to a scenario's values, then to `settings` if given (a restored
// experiment).
function chooseScenario(name, settings) {
  const entry = lab.library.scenarios.find((s) => s.name === name) || lab.library.scenarios[0];
  lab.scenario = entry;
  $("scenario").value = entry.name;
  $("description").textContent = entry.description;
  $("explain").textContent = entry.explain;
  const d = entry.defaults;
  const s = settings || {};
  lab.view = s.view ? lab.library.views.find((v) => v.name === s.view) || null : null;
  for (const m of lab.library.mechanisms) {
    setMechanism(m, (s.mechanisms && s.mechanisms[m] !== undefined) ? s.mechanisms[m] : d.mechanisms[m]);
  }
  markView();
  for (const dec of lab.library.decisions) {
    const own = d.decisions[dec.name];
    const select = $(`decision-${dec.name}`);
    select.replaceChildren();
    const asFile = own.mode === "pinned" ? `as in the scenario: pinned (${own.dates.join(", ")})` : `as in the scenario: ${own.mode}`;
    select.append(el("option", { value: "", text: asFile }));
    for (const mode of ["endogenous", "pinned", "forbidden"]) select.append(el("option", { value: mode, text: mode }));
    const set = (s.decisions || {})[dec.name];
    select.value = set ? set.mode : "";
    $(`decision-${dec.name}-date`).value = set && set.date ? set.date : "";
    const target = $(`decision-${dec.name}-target`);
    if (target) target.value = set && set.target ? set.target : "";
    showDecisionFields(dec.name);
  }
  const police = s.police || {};
  $("police-principal").value = police.principal || d.police.principal;
  $("police-capacity").value = police.capacity !== undefined ? police.capacity : d.police.capacity;
  const targets = police.targets || d.police.targets || [];
  for (const box of document.querySelectorAll("#police-targets input")) box.checked = targets.includes(box.value);
  const soviets = s.soviets || {};
  $("soviets-elections").value = soviets.elections || d.soviets.elections;
  $("soviets-recall").checked = soviets.recall !== undefined ? soviets.recall : d.soviets.recall;
  $("replicates").value = s.replicates !== undefined ? s.replicates : Math.min(d.replicates, lab.library.limits.replicates);
  $("agents").value = s.agents !== undefined ? s.agents : d.agents;
  $("seed").value = s.seed !== undefined ? s.seed : d.seed;
  $("name").value = s.name || `${entry.name}_lab`;
}

// ---- The experiment's settings ----------------------------------------------------------

function numberOrText(input) {
  const text = input.value.trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

// What the controls change against the scenario, as the server reads it.
function currentSettings() {
  const d = lab.scenario.defaults;
  const s = { scenario: lab.scenario.name };
  const name = $("name").value.trim();
  if (name && name !== `${lab.scenario.name}_lab`) s.name = name;
  for (const [key, id] of [["replicates", "replicates"], ["agents", "agents"], ["seed", "seed"]]) {
    const v = numberOrText($(id));
    if (v !== undefined && v !== d[key]) s[key] = v;
  }
  const decisions = {};
  for (const dec of lab.library.decisions) {
    const mode = $(`decision-${dec.name}`).value;
    if (!mode) continue;
    const one = { mode };
    if (mode === "pinned") {
      one.date = $(`decision-${dec.name}-date`).value.trim();
      const target = $(`decision-${dec.name}-target`);
      if (target && target.value.trim()) one.target = target.value.trim();
    }
    decisions[dec.name] = one;
  }
  if (Object.keys(decisions).length) s.decisions = decisions;
  const mechanisms = {};
  for (const m of lab.library.mechanisms) {
    const v = Number($(`mechanism-${m}`).value);
    if (v !== d.mechanisms[m]) mechanisms[m] = v;
  }
  if (Object.keys(mechanisms).length) s.mechanisms = mechanisms;
  if (lab.view && Object.keys(mechanisms).length) s.view = lab.view.name;
  const police = {};
  if ($("police-principal").value !== d.police.principal) police.principal = $("police-principal").value;
  const capacity = numberOrText($("police-capacity"));
  if (capacity !== undefined && capacity !== d.police.capacity) police.capacity = capacity;
  const targets = [...document.querySelectorAll("#police-targets input:checked")].map((b) => b.value);
  const own = d.police.targets || [];
  if (targets.length !== own.length || targets.some((t) => !own.includes(t))) police.targets = targets;
  if (Object.keys(police).length) s.police = police;
  const soviets = {};
  if ($("soviets-elections").value !== d.soviets.elections) soviets.elections = $("soviets-elections").value;
  if ($("soviets-recall").checked !== d.soviets.recall) soviets.recall = $("soviets-recall").checked;
  if (Object.keys(soviets).length) s.soviets = soviets;
  return s;
}

function save() {
  const state = { settings: currentSettings(), metrics: chosenMetrics() };
  if (lab.baseline) state.baseline = lab.baseline.settings;
  history.replaceState(null, "", "#" + encodeURIComponent(JSON.stringify(state)));
}

// The experiment in the address, if there is one; false if not.
function restore() {
  if (location.hash.length < 2) return false;
  let state;
  try {
    state = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  } catch (e) {
    return false;
  }
  if (!state || !state.settings) return false;
  chooseScenario(state.settings.scenario, state.settings);
  for (const box of document.querySelectorAll("input[name=metric]")) box.checked = (state.metrics || []).includes(box.value);
  if (state.baseline) {
    lab.baseline = { settings: state.baseline, bands: null, timeline: [] };
    $("unpin").disabled = false;
  }
  changed();
  return true;
}

function clearProblems() {
  for (const p of document.querySelectorAll(".problem")) p.textContent = "";
  for (const c of document.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
}

// Each problem next to its control (and the control marked); problems without one under
// the Run button.
function showProblems(problems) {
  clearProblems();
  for (const p of problems) {
    const where = document.querySelector(`.problem[data-for="${CSS.escape(p.control || "")}"]`) ||
      document.querySelector('.problem[data-for=""]');
    where.textContent = where.textContent ? `${where.textContent} ${p.message}` : p.message;
    const control = p.control && document.querySelector(`[data-control="${CSS.escape(p.control)}"]`);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      if (control.hidden) control.hidden = false;
    }
  }
}

function changed() {
  save();
  clearTimeout(lab.checkTimer);
  lab.checkTimer = setTimeout(check, 250);
}

async function check() {
  const response = await post("/api/check", currentSettings());
  const body = await response.json();
  const problems = response.ok ? body.problems : [{ control: null, message: body.error }];
  if (problems.length) {
    showProblems(problems);
  } else {
    clearProblems();
    $("toml").textContent = body.toml;
  }
  return problems.length === 0;
}

// ---- Running --------------------------------------------------------------------------

// POSTs a JSON body; the response, whatever its status.
function post(path, body, signal) {
  return fetch(path, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify(body), signal,
  });
}

// The problems of a refused request, from its JSON body: each at its control, or at
// `fallback` when the answer names none.
async function refusal(response, fallback) {
  const body = await response.json();
  return body.problems || [{ control: fallback, message: body.error }];
}

// Reads a server-sent event stream from a fetch response, calling `on(event, data)`.
async function readEvents(response, on) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) on(event, JSON.parse(data.join("\n")));
    }
  }
}

function busy(on) {
  $("run").disabled = on;
  $("evaluate").disabled = on;
  $("stop").disabled = !on;
}

async function startRun() {
  if (lab.controller) return;
  const settings = currentSettings();
  const metrics = chosenMetrics();
  if (!metrics.length) {
    showProblems([{ control: null, message: "choose at least one metric to plot" }]);
    return;
  }
  const request = { settings, metrics };
  if (lab.baseline) request.baseline = lab.baseline.settings;
  lab.controller = new AbortController();
  busy(true);
  clearProblems();
  $("comparison").replaceChildren();
  for (const id of ["download-toml", "download-runs", "download-summary", "download-decisions"]) $(id).classList.add("disabled");
  $("pin").disabled = true;
  const run = { settings, metrics, bands: null, timeline: [], files: null };
  lab.run = run;
  $("progress").textContent = "Checking…";
  try {
    const response = await post("/api/run", request, lab.controller.signal);
    if (!response.ok) {
      showProblems(await refusal(response, null));
      $("progress").textContent = "Not run: see the message next to the control.";
      return;
    }
    await readEvents(response, (event, data) => onRunEvent(run, event, data));
  } catch (e) {
    $("progress").textContent = e.name === "AbortError" ? "Stopped." : `The run failed: ${e.message}`;
  } finally {
    lab.controller = null;
    busy(false);
  }
}

function onRunEvent(run, event, data) {
  if (event === "queued") {
    $("progress").textContent = `Waiting: ${data.message}.`;
  } else if (event === "started") {
    run.started = data;
    $("progress").textContent = `Running ${data.name}: ${data.replicates} replicates of ${data.agents} agents…`;
    $("toml").textContent = data.toml;
    setDownload("download-toml", data.file.split("/").pop(), data.toml, "application/toml");
    $("rerun").textContent = `To rerun it from the command line: save the file as ${data.file} and run: sovsim run ${data.file}`;
  } else if (event === "baseline") {
    if (lab.baseline) {
      lab.baseline.bands = data.bands;
      lab.baseline.timeline = data.timeline;
      lab.baseline.total = data.total;
      $("progress").textContent = `Running the baseline: ${data.done} of ${data.total} replicates…`;
      draw();
    }
  } else if (event === "progress") {
    run.bands = data.bands;
    run.timeline = data.timeline;
    run.total = data.total;
    run.done = data.done;
    $("progress").textContent = `${data.done} of ${data.total} replicates done`;
    draw();
  } else if (event === "files") {
    run.files = data;
    const name = run.started.name;
    setDownload("download-runs", `${name}-runs.csv`, data.runs_csv, "text/csv");
    setDownload("download-summary", `${name}-summary.csv`, data.summary_csv, "text/csv");
    setDownload("download-decisions", `${name}-decisions.csv`, data.decisions_csv, "text/csv");
  } else if (event === "comparison") {
    showComparison(data);
  } else if (event === "done") {
    $("progress").textContent = `Done: ${run.total} replicates in ${data.seconds} s.`;
    $("pin").disabled = false;
  } else if (event === "failed") {
    $("progress").textContent = `The run failed: ${data.error}`;
  }
}

function setDownload(id, name, text, type) {
  const a = $(id);
  if (a.href && a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.setAttribute("download", name);
  a.classList.remove("disabled");
}

function pin() {
  if (!lab.run || !lab.run.bands) return;
  lab.baseline = lab.run;
  // The next run gets a name of its own, so that the comparison tells the two apart and
  // their files, saved side by side, do not overwrite each other.
  const pinnedName = lab.run.started.name;
  if ($("name").value.trim() === pinnedName) {
    const stem = pinnedName.replace(/_[0-9]+$/, "");
    let k = 2;
    while (`${stem}_${k}` === pinnedName) k += 1;
    $("name").value = `${stem}_${k}`;
    changed();
  }
  $("unpin").disabled = false;
  $("comparison").replaceChildren(el("p", { text: "Pinned. Change something and run again: the next run is drawn over this one and compared with it." }));
  save();
  draw();
}

function unpin() {
  lab.baseline = null;
  $("unpin").disabled = true;
  $("comparison").replaceChildren();
  save();
  draw();
}

function showComparison(data) {
  const box = $("comparison");
  box.replaceChildren(el("h2", { text: "Against the baseline" }));
  const paired = data.pairing === "paired" ? "Replicates compared pair by pair (same seed, same population)." : `Replicates compared as two samples (${data.pairing.replace(/_/g, " ")}).`;
  box.append(el("p", { class: "hint", text: paired }));
  for (const m of data.metrics) box.append(el("p", { class: "sentence", text: m.sentence }));
}

// ---- Drawing --------------------------------------------------------------------------

const W = 900, H = 240, LEFT = 70, RIGHT = 20, TOP = 30, BOTTOM = 34;

function yearTicks(dates) {
  const ticks = [];
  let last = null;
  dates.forEach((d, i) => {
    const y = d.slice(0, 4);
    if (y !== last) { ticks.push([i, y]); last = y; }
  });
  const every = ticks.length > 8 ? 2 : 1;
  return ticks.filter((_, k) => k % every === 0);
}

function niceRange(lo, hi) {
  if (!(hi > lo)) { hi = lo + 1; }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

function draw() {
  const run = lab.run && lab.run.bands ? lab.run : null;
  const base = lab.baseline && lab.baseline.bands ? lab.baseline : null;
  const dates = (lab.run && lab.run.started && lab.run.started.dates) || [];
  const legend = $("legend");
  legend.replaceChildren();
  if (run) legend.append(el("span", { class: "run", text: `this run (${run.done} of ${run.total} replicates): mean and 90% band` }));
  if (lab.baseline) legend.append(el("span", { class: "base", text: "the pinned baseline" }));
  const plots = $("plots");
  plots.replaceChildren();
  if (!run) return;
  for (const metric of Object.keys(run.bands)) {
    plots.append(plot(metric, dates, run.bands[metric], base && base.bands[metric]));
  }
  drawTimeline(dates, run, base);
}

function plot(metric, dates, band, baseBand) {
  const n = band.mean.length;
  let lo = Infinity, hi = -Infinity;
  for (const b of [band, baseBand]) {
    if (!b) continue;
    for (const v of b.p05) lo = Math.min(lo, v);
    for (const v of b.p95) hi = Math.max(hi, v);
  }
  [lo, hi] = niceRange(lo, hi);
  const x = (i) => LEFT + (W - LEFT - RIGHT) * (n > 1 ? i / (n - 1) : 0);
  const y = (v) => TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${metric} over time`, "data-metric": metric });
  root.append(svg("text", { x: LEFT, y: 20, "font-size": "20", "font-weight": "bold" }, metric.replace(/_/g, " ")));
  root.append(svg("line", { x1: LEFT, x2: W - RIGHT, y1: H - BOTTOM, y2: H - BOTTOM, stroke: "#111" }));
  root.append(svg("line", { x1: LEFT, x2: LEFT, y1: TOP, y2: H - BOTTOM, stroke: "#111" }));
  for (const [i, year] of yearTicks(dates)) {
    root.append(svg("line", { x1: x(i), x2: x(i), y1: H - BOTTOM, y2: H - BOTTOM + 6, stroke: "#111" }));
    root.append(svg("text", { x: x(i), y: H - 8, "font-size": "16", "text-anchor": "middle" }, year));
  }
  for (const v of [lo, (lo + hi) / 2, hi]) {
    root.append(svg("text", { x: LEFT - 6, y: y(v) + 5, "font-size": "16", "text-anchor": "end" }, formatNumber(v)));
  }
  const area = (b) => {
    const top = b.p95.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const bottom = b.p05.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse();
    return top.concat(bottom).join(" ");
  };
  const line = (values) => values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  if (baseBand) {
    root.append(svg("polygon", { points: area(baseBand), fill: "#E69F00", "fill-opacity": "0.2", class: "band baseline" }));
    root.append(svg("polyline", { points: line(baseBand.mean), fill: "none", stroke: "#E69F00", "stroke-width": "3", "stroke-dasharray": "10 6", class: "mean baseline" }));
  }
  root.append(svg("polygon", { points: area(band), fill: "#0072B2", "fill-opacity": "0.25", class: "band run" }));
  root.append(svg("polyline", { points: line(band.mean), fill: "none", stroke: "#0072B2", "stroke-width": "3", class: "mean run" }));
  return root;
}

function formatNumber(v) {
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

// One row per decision taken in the run or the baseline: the share of replicates that had
// taken it by each step, as a step line, with its median date.
function drawTimeline(dates, run, base) {
  const box = $("timeline");
  box.replaceChildren();
  const names = [];
  for (const t of run.timeline.concat(base ? base.timeline : [])) if (!names.includes(t.decision)) names.push(t.decision);
  if (!names.length) {
    box.append(el("p", { text: "No decision taken yet." }));
    return;
  }
  const row = 44, n = dates.length, labelW = 260;
  const height = TOP + row * names.length + BOTTOM;
  const x = (i) => labelW + (W - labelW - RIGHT) * (n > 1 ? i / (n - 1) : 0);
  const root = svg("svg", { viewBox: `0 0 ${W} ${height}`, role: "img", "aria-label": "decision timeline", id: "timeline-svg" });
  for (const [i, year] of yearTicks(dates)) {
    root.append(svg("line", { x1: x(i), x2: x(i), y1: TOP - 6, y2: height - BOTTOM, stroke: "#ddd" }));
    root.append(svg("text", { x: x(i), y: height - 10, "font-size": "16", "text-anchor": "middle" }, year));
  }
  names.forEach((name, k) => {
    const y0 = TOP + row * k;
    root.append(svg("text", { x: 4, y: y0 + row / 2 + 6, "font-size": "17" }, name.replace(/_/g, " ")));
    root.append(svg("line", { x1: labelW, x2: W - RIGHT, y1: y0 + row - 4, y2: y0 + row - 4, stroke: "#bbb" }));
    const series = [[run, "#0072B2", "", "run"], [base, "#E69F00", "8 5", "baseline"]];
    for (const [side, colour, dash, cls] of series) {
      if (!side) continue;
      const t = side.timeline.find((d) => d.decision === name);
      if (!t) continue;
      const total = Math.max(1, t.first_steps.length);
      const counts = new Array(n).fill(0);
      for (const f of t.first_steps) if (f !== null && f < n) counts[f] += 1;
      let c = 0;
      const points = counts.map((k2, i) => { c += k2; const yy = y0 + row - 4 - (row - 10) * (c / total); return `${x(i).toFixed(1)},${yy.toFixed(1)}`; });
      root.append(svg("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": "3", "stroke-dasharray": dash, class: `decision ${cls}`, "data-decision": name }));
      if (t.median && cls === "run") {
        const i = dates.indexOf(t.median);
        if (i >= 0) root.append(svg("circle", { cx: x(i), cy: y0 + row / 2, r: 5, fill: colour }, undefined));
      }
    }
  });
  box.append(root);
}

// ---- Claims ---------------------------------------------------------------------------

function showClaim() {
  const c = lab.library.claims.find((c) => c.id === $("claim").value);
  $("claim-argument").textContent = c ? `${c.essay}: ${c.argument}` : "";
}

async function evaluateClaim() {
  if (lab.controller) return;
  const mechanisms = {};
  for (const m of lab.library.mechanisms) mechanisms[m] = Number($(`mechanism-${m}`).value);
  const replicates = numberOrText($("replicates"));
  const request = { claim: $("claim").value, mechanisms };
  if (replicates !== undefined) request.replicates = replicates;
  lab.controller = new AbortController();
  busy(true);
  const box = $("verdict");
  box.replaceChildren(el("p", { text: "Running the claim's scenarios…" }));
  try {
    const response = await post("/api/claim", request, lab.controller.signal);
    if (!response.ok) {
      showProblems(await refusal(response, "claim"));
      box.replaceChildren();
      return;
    }
    await readEvents(response, (event, data) => {
      if (event === "progress" || event === "baseline") {
        box.replaceChildren(el("p", { text: `${event === "progress" ? "The claim's scenario" : "Its baseline"}: ${data.done} of ${data.total} replicates done` }));
      } else if (event === "queued") {
        box.replaceChildren(el("p", { text: `Waiting: ${data.message}.` }));
      } else if (event === "verdict") {
        box.replaceChildren(
          el("p", { class: "sentence", text: data.sentence }),
          el("p", { text: data.test }),
          el("p", { class: "hint", text: `Under these assumptions: ${data.assumes}` }));
      } else if (event === "failed") {
        box.replaceChildren(el("p", { text: `Failed: ${data.error}` }));
      }
    });
  } catch (e) {
    box.replaceChildren(el("p", { text: e.name === "AbortError" ? "Stopped." : `Failed: ${e.message}` }));
  } finally {
    lab.controller = null;
    busy(false);
  }
}

document.addEventListener("DOMContentLoaded", init);
