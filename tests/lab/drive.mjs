// The browser test of `sovsim serve`'s lab page, run by tests/lab_browser.rs as
// `node tests/lab/drive.mjs <url> <outdir>`: playwright-core drives Debian's headless
// Chromium through a class's use of the page. It runs factions_allowed with the faction ban
// pinned, watching the plots fill replicate by replicate; downloads the scenario file and
// the three CSVs into <outdir> (the Rust test reruns the file with `sovsim run` and compares
// them byte for byte); pins the run as the baseline, runs again with the ban forbidden and
// reads the comparison; then types two bad values and reads the problems the server finds.
// It screenshots each stage (lab.png, lab-compare.png, lab-problem.png), fails on any
// console or page error, and prints a JSON summary; exit 0 if all held, 1 if not.

import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [url, outdir] = process.argv.slice(2);
if (!url || !outdir) {
  console.error("usage: node tests/lab/drive.mjs <url> <outdir>");
  process.exit(2);
}
fs.mkdirSync(outdir, { recursive: true });

// Generous: a debug build on two busy cores.
const RUN_TIMEOUT = 120_000;
const WAIT_TIMEOUT = 30_000;
const REPLICATES = 4;
const started = Date.now();
const summary = { url, steps: [] };
const step = (name, extra) => {
  summary.steps.push({ step: name, at_s: (Date.now() - started) / 1000, ...extra });
};

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Waits until the text of `selector` matches `pattern`; on a timeout, says what it was.
async function waitForText(page, selector, pattern, timeout = WAIT_TIMEOUT) {
  try {
    await page.waitForFunction(([s, source, flags]) => {
      const e = document.querySelector(s);
      return e !== null && new RegExp(source, flags).test(e.textContent);
    }, [selector, pattern.source, pattern.flags], { timeout });
  } catch (e) {
    const text = await page.textContent(selector).catch(() => null);
    throw new Error(`waited ${timeout / 1000} s for ${selector} to match ${pattern}; it reads ${JSON.stringify(text)}`);
  }
  return page.textContent(selector);
}

const browser = await chromium.launch({
  executablePath: process.env.SOVSIM_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const errors = [];
let failed = null;
try {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_TIMEOUT);
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const where = m.location()?.url || "";
    // A browser asks for /favicon.ico by itself; the page has none.
    if (/favicon/.test(where)) return;
    errors.push(`console: ${m.text()} (${where})`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A run's stream aborted by the page itself is not a failure; nothing here aborts one.
    if (!/favicon/.test(r.url())) errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });

  // ---- The library loads ------------------------------------------------------------
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll("#scenario option").length > 0);
  const scenarios = await page.$$eval("#scenario option", (os) => os.map((o) => o.value));
  check(scenarios.includes("factions_allowed"), `factions_allowed offered: ${scenarios}`);
  step("library", { scenarios: scenarios.length });

  // ---- The experiment: factions_allowed, the ban pinned to March 1921 -------------------
  await page.selectOption("#scenario", "factions_allowed");
  await page.fill("#replicates", String(REPLICATES));
  await page.fill("#agents", "1000");
  await page.selectOption("#decision-ban_factions", "pinned");
  await page.locator("#decision-ban_factions-date").waitFor({ state: "visible" });
  await page.fill("#decision-ban_factions-date", "1921-03");
  // The server's check of the settings (debounced 250 ms) finds nothing wrong: the scenario
  // file it makes is shown, and it pins the ban.
  const toml = await waitForText(page, "#toml", /date = "1921-03"/);
  check(/decision = "ban_factions"/.test(toml), `the scenario file pins the ban: ${toml}`);
  const problemsBefore = await page.$$eval(".problem", (ps) => ps.map((p) => p.textContent).filter((t) => t));
  check(problemsBefore.length === 0, `no problem with good settings: ${JSON.stringify(problemsBefore)}`);

  // ---- Run, sampling the progress in the page every 25 ms --------------------------------
  await page.evaluate(() => {
    window.__seen = [];
    const sample = () => {
      const text = document.querySelector("#progress").textContent;
      const plots = document.querySelectorAll("#plots svg[data-metric] polyline.mean.run").length;
      const last = window.__seen[window.__seen.length - 1];
      if (!last || last.text !== text || last.plots !== plots) window.__seen.push({ text, plots, t: performance.now() });
    };
    sample();
    window.__poll = setInterval(sample, 25);
  });
  await page.click("#run");
  await waitForText(page, "#progress", /^Done/, RUN_TIMEOUT);
  const seen = await page.evaluate(() => { clearInterval(window.__poll); return window.__seen; });
  const progress = await page.textContent("#progress");
  step("first run", { progress, seen: seen.map((s) => `${s.text} [${s.plots} plots]`) });
  // The plots filled as the replicates came in: a part of the ensemble was on screen, drawn,
  // before it was done.
  const done = seen.findIndex((s) => s.text.startsWith("Done"));
  const partial = seen.slice(0, done < 0 ? seen.length : done).filter((s) => {
    const m = /^(\d+) of (\d+) replicates done/.exec(s.text);
    return m && Number(m[2]) === REPLICATES && Number(m[1]) < REPLICATES && s.plots > 0;
  });
  check(partial.length > 0,
    `a part of the ensemble drawn before Done (seen: ${JSON.stringify(seen.map((s) => s.text))})`);
  check(progress.startsWith(`Done: ${REPLICATES} replicates`), `done with all replicates: ${progress}`);
  const plots = await page.$$eval("#plots svg[data-metric]", (ss) => ss.map((s) => ({
    metric: s.getAttribute("data-metric"),
    band: s.querySelectorAll("polygon.band.run").length,
    mean: s.querySelectorAll("polyline.mean.run").length,
  })));
  check(plots.length > 0, "at least one plot");
  for (const p of plots) check(p.band === 1 && p.mean === 1, `${p.metric}: a band and a mean (${JSON.stringify(p)})`);
  const timeline = await page.$$eval("#timeline svg polyline.decision.run", (ls) => ls.map((l) => l.getAttribute("data-decision")));
  check(timeline.includes("ban_factions"), `the timeline shows ban_factions: ${timeline}`);
  step("drawn", { plots: plots.map((p) => p.metric), timeline });

  // ---- The downloads of the first run ---------------------------------------------------
  const downloads = {};
  for (const id of ["download-toml", "download-runs", "download-summary", "download-decisions"]) {
    await page.waitForSelector(`#${id}:not(.disabled)`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#${id}`)]);
    const name = download.suggestedFilename();
    const target = path.join(outdir, name);
    await download.saveAs(target);
    const size = fs.statSync(target).size;
    check(size > 0, `${name} is not empty`);
    downloads[id] = name;
  }
  summary.downloads = downloads;
  step("downloads", { downloads });

  // From the top, so that the sticky Run bar sits where it belongs in the whole-page picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outdir, "lab.png"), fullPage: true });

  // ---- Pin it, change the ban, run again: the comparison --------------------------------
  await page.click("#pin");
  await waitForText(page, "#comparison", /Pinned/);
  await page.selectOption("#decision-ban_factions", "forbidden");
  await page.locator("#decision-ban_factions-date").waitFor({ state: "hidden" });
  await page.click("#run");
  await waitForText(page, "#progress", /^Done/, RUN_TIMEOUT);
  const comparison = await page.textContent("#comparison");
  check(comparison.includes("the baseline"), `the comparison names the baseline: ${comparison}`);
  check(comparison.includes("95% interval"), `the comparison gives a 95% interval: ${comparison}`);
  const baselines = await page.$$eval("#plots svg[data-metric] polyline.mean.baseline", (ls) => ls.length);
  check(baselines > 0, "the baseline's mean drawn in the plots");
  const baseTimeline = await page.$$eval("#timeline svg polyline.decision.baseline", (ls) => ls.map((l) => l.getAttribute("data-decision")));
  check(baseTimeline.includes("ban_factions"), `the baseline's ban in the timeline: ${baseTimeline}`);
  step("comparison", { progress: await page.textContent("#progress"), comparison: comparison.slice(0, 400) });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outdir, "lab-compare.png"), fullPage: true });

  // ---- Bad values: each problem next to its control -------------------------------------
  // The server's check answers 200 with the problems, so a bad value logs no error in the
  // console either.
  await page.selectOption("#decision-purge", "pinned");
  await page.locator("#decision-purge-date").waitFor({ state: "visible" });
  // A purge is aimed at someone: with no target the server names that problem first.
  await page.fill("#decision-purge-target", "careerists");
  await page.fill("#decision-purge-date", "1921-13");
  const purge = '.problem[data-for="decision.purge.date"]';
  // (A check made between the two fills finds the date missing: wait for the month's.)
  const purgeProblem = await waitForText(page, purge, /13/);
  check(await page.getAttribute("#decision-purge-date", "aria-invalid") === "true", "the date marked invalid");
  await page.fill("#replicates", "1000");
  const replicates = '.problem[data-for="replicates"]';
  const replicatesProblem = await waitForText(page, replicates, /\S/);
  const limit = await page.evaluate(() => lab.library.limits.replicates);
  check(replicatesProblem.includes(String(limit)) && /limit|at most|1 to/.test(replicatesProblem),
    `the replicates' problem gives the lab's limit of ${limit}: ${replicatesProblem}`);
  check(await page.getAttribute("#replicates", "aria-invalid") === "true", "the replicates marked invalid");
  // Back within the limit: that problem goes, and the date's is still there.
  await page.fill("#replicates", String(REPLICATES));
  await page.waitForFunction(([r, p]) => document.querySelector(r).textContent.trim() === ""
    && document.querySelector(p).textContent.trim() !== "", [replicates, purge]);
  step("problems", { purge: purgeProblem, replicates: replicatesProblem });
  await page.locator("fieldset", { has: page.locator("#decisions") })
    .screenshot({ path: path.join(outdir, "lab-problem.png") });

  // ---- A reload loses nothing the user cares about: the experiment is in the address ----
  await page.waitForTimeout(400);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("#scenario option").length > 0
    && document.querySelector("#scenario").value === "factions_allowed");
  await waitForText(page, purge, /13/);
  const restored = await page.evaluate(() => ({
    ban: document.querySelector("#decision-ban_factions").value,
    purge: document.querySelector("#decision-purge").value,
    target: document.querySelector("#decision-purge-target").value,
    name: document.querySelector("#name").value,
    agents: document.querySelector("#agents").value,
    baseline: !document.querySelector("#unpin").disabled,
  }));
  check(restored.ban === "forbidden" && restored.purge === "pinned" && restored.target === "careerists"
    && restored.name === "factions_allowed_lab_2" && restored.agents === "1000" && restored.baseline,
    `the experiment and its pinned baseline come back after a reload: ${JSON.stringify(restored)}`);
  step("reload", restored);

  check(errors.length === 0, `console or page errors:\n${errors.join("\n")}`);
  await context.close();
} catch (e) {
  failed = e;
} finally {
  await browser.close();
}

summary.seconds = (Date.now() - started) / 1000;
summary.errors = errors;
if (failed) {
  console.log(JSON.stringify(summary, null, 2));
  console.error(`drive.mjs failed: ${failed.stack || failed}`);
  process.exit(1);
}
console.log(JSON.stringify(summary, null, 2));
