#!/usr/bin/env python3
"""Speed against a peer: sovsim's epstein_2002 against Mesa's packaged Epstein example.

Times Mesa 3.3.1's `mesa.examples.advanced.epstein_civil_violence` and sovsim's
`scenarios/reference/epstein_2002.toml` at the same parameters (40 x 40 torus, 70% citizens,
4% cops, vision 7, legitimacy 0.82, maximum jail term 30, k = 2.3, threshold 0.1), for the same
number of steps and replicates, one after the other on this machine, one thread each, and
prints the time per step of each and the ratio Mesa / sovsim. See README.md beside this file.

Standard library plus mesa (and networkx, which Mesa's examples package imports).
Exits 2 with a message if mesa is missing or the sovsim binary or scenario is missing.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# One thread each: keep numpy/BLAS (imported by Mesa) from spawning worker threads.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(var, "1")

REPO = Path(__file__).resolve().parents[2]
MESA_VERSION = "3.3.1"

# The parameters of scenarios/reference/epstein_2002.toml, in the names of Mesa's
# EpsteinCivilViolence constructor.
MESA_PARAMS = dict(
    width=40,
    height=40,
    citizen_density=0.70,
    cop_density=0.04,
    citizen_vision=7,
    cop_vision=7,
    legitimacy=0.82,
    max_jail_term=30,
    active_threshold=0.1,
    arrest_prob_constant=2.3,
    movement=True,
)


def die(message):
    print(f"epstein_vs_mesa: {message}", file=sys.stderr)
    sys.exit(2)


def resolve(path):
    """A path as given if it exists from the current folder, else relative to the repository."""
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return REPO / p


def import_mesa():
    try:
        import mesa  # noqa: F401
        from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence
    except ImportError as e:
        die(
            f"cannot import Mesa's Epstein example ({e}).\n"
            f"  Install the Python side first, e.g.\n"
            f"    python3 -m venv /tmp/mesa-venv\n"
            f"    /tmp/mesa-venv/bin/pip install mesa=={MESA_VERSION} networkx\n"
            f"  and run this script with /tmp/mesa-venv/bin/python."
        )
    import mesa

    if mesa.__version__ != MESA_VERSION:
        print(
            f"epstein_vs_mesa: warning: mesa {mesa.__version__} is installed, the comparison "
            f"is defined against mesa=={MESA_VERSION}",
            file=sys.stderr,
        )
    return mesa.__version__, EpsteinCivilViolence


def run_sovsim(binary, scenario, replicates, seed, keep):
    """One `sovsim run` with --jobs 1; returns the parsed manifest."""
    out = Path(tempfile.mkdtemp(prefix="sovsim-peer-"))
    try:
        cmd = [
            str(binary), "run", str(scenario),
            "--replicates", str(replicates),
            "--seed", str(seed),
            "--jobs", "1",
            "--quiet", "--no-plots",
            "--out", str(out),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            die(
                f"sovsim failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                f"{proc.stderr.strip()}"
            )
        manifests = list(out.glob("*/manifest.json"))
        if len(manifests) != 1:
            die(f"expected one manifest.json under {out}, found {len(manifests)}")
        manifest = json.loads(manifests[0].read_text())
        for key in ("elapsed_seconds", "steps", "replicates"):
            if key not in manifest:
                die(f"{manifests[0]} has no {key!r}")
        return manifest
    finally:
        if keep:
            print(f"  sovsim output kept in {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)


def time_mesa(model_class, steps, replicates, seed, collector):
    """Per replicate: (seconds stepping, seconds building and stepping, agents, final counts)."""
    rows = []
    for r in range(replicates):
        t0 = time.perf_counter()
        model = model_class(**MESA_PARAMS, max_iters=steps + 1, seed=seed + r)
        if not collector:
            model.datacollector.collect = lambda _model: None
        t1 = time.perf_counter()
        for _ in range(steps):
            model.step()
        t2 = time.perf_counter()
        counts = (model.ACTIVE, model.QUIET, model.ARRESTED)
        rows.append((t2 - t1, t2 - t0, len(model.agents), counts))
    return rows


def ms(seconds):
    return f"{seconds * 1e3:.3f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=None,
                    help="steps per replicate for Mesa (default: the 'steps' of sovsim's "
                         "manifest; required with --mesa-only)")
    ap.add_argument("--replicates", type=int, default=5,
                    help="replicates of each model (default 5)")
    ap.add_argument("--seed", type=int, default=1,
                    help="sovsim's --seed; Mesa's replicate r uses seed + r (default 1)")
    ap.add_argument("--sovsim", default="target/release/sovsim",
                    help="the sovsim binary (default target/release/sovsim)")
    ap.add_argument("--scenario", default="scenarios/reference/epstein_2002.toml",
                    help="sovsim's scenario (default scenarios/reference/epstein_2002.toml)")
    ap.add_argument("--sovsim-runs", type=int, default=3,
                    help="sovsim ensembles to run; the median elapsed time is used (default 3)")
    ap.add_argument("--mesa-only", action="store_true",
                    help="time Mesa alone (needs --steps); no ratio")
    ap.add_argument("--without-collector", action="store_true",
                    help="also time Mesa with its DataCollector switched off")
    ap.add_argument("--keep-output", action="store_true",
                    help="keep sovsim's output folders")
    args = ap.parse_args()
    if args.replicates < 1 or args.sovsim_runs < 1 or (args.steps is not None and args.steps < 1):
        die("--replicates, --sovsim-runs and --steps must be at least 1")
    if args.mesa_only and args.steps is None:
        die("--mesa-only needs --steps")

    # Check everything before timing anything.
    mesa_version, model_class = import_mesa()
    binary = scenario = None
    if not args.mesa_only:
        binary = resolve(args.sovsim)
        scenario = resolve(args.scenario)
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            die(f"no sovsim binary at {binary}: build it with `cargo build --release`, "
                f"or pass --sovsim PATH (or --mesa-only --steps N to time Mesa alone)")
        if not scenario.is_file():
            die(f"no scenario at {scenario}: pass --scenario PATH "
                f"(or --mesa-only --steps N to time Mesa alone)")

    print(f"Python {sys.version.split()[0]}, mesa {mesa_version}")
    print("Mesa parameters: " + ", ".join(f"{k}={v}" for k, v in MESA_PARAMS.items()))

    sovsim_step = None
    steps = args.steps
    if not args.mesa_only:
        print(f"\nsovsim: {binary} run {scenario.relative_to(REPO) if scenario.is_relative_to(REPO) else scenario}"
              f" --replicates {args.replicates} --seed {args.seed} --jobs 1 --quiet --no-plots"
              f" ({args.sovsim_runs} run(s))")
        manifests = [run_sovsim(binary, scenario, args.replicates, args.seed, args.keep_output)
                     for _ in range(args.sovsim_runs)]
        m = manifests[0]
        if steps is None:
            steps = int(m["steps"])
        elif steps != int(m["steps"]):
            print(f"  warning: Mesa runs --steps {steps} but the scenario runs {m['steps']} "
                  f"steps; the comparison is per step, not of equal runs", file=sys.stderr)
        elapsed = [float(x["elapsed_seconds"]) for x in manifests]
        med = statistics.median(elapsed)
        sovsim_step = med / (int(m["replicates"]) * int(m["steps"]))
        print(f"  {m['replicates']} replicates x {m['steps']} steps x {m.get('agents', '?')} agents")
        print(f"  elapsed_seconds (manifest) per run: " + ", ".join(f"{e:.4f}" for e in elapsed)
              + f"; median {med:.4f} s")
        print(f"  per step: {ms(sovsim_step)}  (includes building each world, per-step metrics "
              f"and writing the outputs; excludes process start)")

    variants = [("as packaged, DataCollector on", True)]
    if args.without_collector:
        variants.append(("DataCollector off", False))
    results = []
    for label, collector in variants:
        print(f"\nMesa EpsteinCivilViolence ({label}): {args.replicates} replicates x {steps} steps")
        rows = time_mesa(model_class, steps, args.replicates, args.seed, collector)
        for r, (stepping, total, agents, counts) in enumerate(rows):
            print(f"  replicate {r} (seed {args.seed + r}): {agents} agents, stepping {stepping:.3f} s, "
                  f"with construction {total:.3f} s; final active/quiet/jailed {counts}")
        per_step = sum(x[0] for x in rows) / (args.replicates * steps)
        per_step_total = sum(x[1] for x in rows) / (args.replicates * steps)
        print(f"  per step: {ms(per_step)} stepping only; {ms(per_step_total)} including construction")
        results.append((label, per_step, per_step_total))

    if sovsim_step is not None:
        print("\nRatio Mesa / sovsim, time per step (sovsim: whole ensemble incl. world building):")
        for label, per_step, per_step_total in results:
            print(f"  Mesa {label}: {per_step / sovsim_step:.0f}x stepping only, "
                  f"{per_step_total / sovsim_step:.0f}x including construction")
        ratio = results[0][1] / sovsim_step
        verdict = "meets" if ratio >= 300 else "MISSES"
        print(f"\nsovsim is {ratio:.0f} times faster per step than Mesa {mesa_version} "
              f"(target: at least 300; {verdict} it)")


if __name__ == "__main__":
    main()
