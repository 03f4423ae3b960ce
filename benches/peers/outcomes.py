#!/usr/bin/env python3
"""Outcomes against peers: sovsim's reference models next to independent implementations.

Epstein (2002): Mesa 3.3.1's packaged example (`mesa.examples.advanced.epstein_civil_violence`)
against sovsim's `scenarios/reference/epstein_mesa.toml` (the Mesa switches) at the
NetLogo-like parameters (cops 0.04, L 0.82, J_max 30) and against
`epstein_mesa_defaults.toml` at Mesa's own defaults (cops 0.074, L 0.8, J_max 1000): 1,000
steps, 10 seeds each. Per seed: the mean number of actives after step 100, the peak, the
outbursts (upward crossings of 50 actives), and the share of steps with at least 50
actives. Each statistic's two samples are compared with a two-sided Mann-Whitney U test.

Deffuant (2000): ndlib's AlgorithmicBiasModel with gamma = 0 (Deffuant's rule, mu = 0.5) on
a complete graph of 1,000 agents against sovsim's `deffuant_2000_d*.toml`: the number of
major clusters (at least 2% of the agents; opinions closer than 0.01 chained) per seed.

Writes output/peers/outcomes.md (the tables), outcomes.json (every per-seed value) and one
PNG per comparison. Peer runs are cached in output/peers/cache/ (delete it to rerun them).
Needs the peers' virtual environment (benches/peers/README.md); installs nothing itself.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(var, "1")

REPO = Path(__file__).resolve().parents[2]
VENV_HELP = """the peers' virtual environment is missing or incomplete ({missing}). Make it with:
    python3 -m venv /tmp/mesa-venv
    /tmp/mesa-venv/bin/pip install mesa==3.3.1 networkx ndlib==6.0.1 six scikit-learn scipy matplotlib
and run this script with /tmp/mesa-venv/bin/python (benches/peers/README.md)."""

STEPS = 1000
LEVEL = 50
AFTER = 100

# The two parameter sets, each: Mesa's constructor arguments and sovsim's scenario.
EPSTEIN_SETS = {
    "netlogo_like": (
        dict(cop_density=0.04, legitimacy=0.82, max_jail_term=30),
        "scenarios/reference/epstein_mesa.toml",
    ),
    "mesa_defaults": (
        dict(cop_density=0.074, legitimacy=0.8, max_jail_term=1000),
        "scenarios/reference/epstein_mesa_defaults.toml",
    ),
}
DEFFUANT = {0.1: "scenarios/reference/deffuant_2000_d10.toml",
            0.2: "scenarios/reference/deffuant_2000_d20.toml"}


def die(message, code=2):
    print(f"outcomes: {message}", file=sys.stderr)
    sys.exit(code)


def need_peers():
    missing = []
    for module in ("mesa", "ndlib", "scipy", "matplotlib", "networkx"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        die(VENV_HELP.format(missing=", ".join(missing)))
    import mesa
    if mesa.__version__ != "3.3.1":
        die(f"Mesa {mesa.__version__} found; the comparison is with Mesa 3.3.1. " + VENV_HELP.format(missing="mesa==3.3.1"))


def epstein_stats(actives):
    """The four statistics of one run from its actives after each step."""
    after = actives[AFTER:]
    outbursts, above = 0, False
    for a in actives:
        now = a >= LEVEL
        if now and not above:
            outbursts += 1
        above = now
    return {
        "mean_after_100": sum(after) / len(after),
        "peak": max(actives),
        "outbursts": outbursts,
        "share_at_least_50": sum(1 for a in actives if a >= LEVEL) / len(actives),
    }


def mesa_run(args):
    """One Mesa run: the number of active citizens after each of STEPS steps."""
    params, seed = args
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence
    from mesa.examples.advanced.epstein_civil_violence.agents import CitizenState
    model = EpsteinCivilViolence(max_iters=STEPS + 1, seed=seed, **params)
    model.datacollector.collect = lambda *_: None
    actives = []
    for _ in range(STEPS):
        model.step()
        actives.append(getattr(model, CitizenState.ACTIVE.name))
    return actives


def cached(name, compute):
    cache = REPO / "output" / "peers" / "cache" / f"{name}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    value = compute()
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(cache)
    return value


def mesa_series(set_name, params, seeds, jobs):
    todo = [s for s in seeds if not (REPO / "output/peers/cache" / f"mesa-{set_name}-{s}.json").exists()]
    if todo:
        started = time.time()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for seed, actives in zip(todo, pool.map(mesa_run, [(params, s) for s in todo])):
                cached(f"mesa-{set_name}-{seed}", lambda a=actives: a)
        print(f"  Mesa {set_name}: {len(todo)} runs in {time.time() - started:.0f} s", flush=True)
    return [cached(f"mesa-{set_name}-{s}", lambda: None) for s in seeds]


def sovsim_columns(binary, scenario, seed, replicates, column):
    """Runs a sovsim scenario and returns `column` of runs.csv, one list per replicate."""
    out = REPO / "output" / "peers" / "sovsim"
    name = Path(scenario).stem
    subprocess.run([str(binary), "run", str(REPO / scenario), "--seed", str(seed), "--replicates",
                    str(replicates), "--quiet", "--no-plots", "--out", str(out)], check=True)
    runs = (out / name / "runs.csv").read_text().splitlines()
    header = runs[0].split(",")
    k = header.index(column)
    series = {}
    for line in runs[1:]:
        fields = line.split(",")
        series.setdefault(int(fields[0]), []).append(float(fields[k]))
    return [series[r] for r in sorted(series)]


def mann_whitney(a, b):
    from scipy.stats import mannwhitneyu
    if len(set(a) | set(b)) == 1:
        return 1.0
    return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)


def summary(values):
    import statistics
    return f"{statistics.mean(values):.3g} ({min(values):.3g} to {max(values):.3g})"


def plot(path, title, samples):
    """One panel per statistic: each side's per-seed values as points, with their median."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    stats = list(next(iter(samples.values())).keys())
    fig, axes = plt.subplots(1, len(stats), figsize=(3.2 * len(stats), 3.4))
    axes = axes if len(stats) > 1 else [axes]
    colours = {"Mesa 3.3.1": "#E69F00", "ndlib": "#E69F00", "sovsim": "#0072B2"}
    for ax, stat in zip(axes, stats):
        for k, (side, values) in enumerate(samples.items()):
            v = values[stat]
            xs = [k + 0.08 * ((i % 5) - 2) for i in range(len(v))]
            ax.scatter(xs, v, color=colours.get(side, "#009E73"), s=28, alpha=0.85)
            median = sorted(v)[len(v) // 2]
            ax.hlines(median, k - 0.3, k + 0.3, color="black", linewidth=2)
        ax.set_xticks(range(len(samples)))
        ax.set_xticklabels(list(samples.keys()))
        ax.set_title(stat.replace("_", " "), fontsize=11)
        ax.set_xlim(-0.6, len(samples) - 0.4)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def clusters(opinions, share=0.02, gap=0.01):
    """Major clusters as sovsim counts them: sorted opinions chained when closer than `gap`,
    a cluster major when it holds at least `share` of the agents."""
    xs = sorted(opinions)
    sizes, size = [], 1
    for a, b in zip(xs, xs[1:]):
        if b - a < gap:
            size += 1
        else:
            sizes.append(size)
            size = 1
    sizes.append(size)
    return sum(1 for s in sizes if s >= share * len(xs))


def ndlib_run(args):
    """One ndlib run: Deffuant's rule (AlgorithmicBias with gamma 0) on a complete graph."""
    epsilon, seed, agents, iterations = args
    import random
    import networkx as nx
    import numpy as np
    import ndlib.models.ModelConfig as mc
    from ndlib.models.opinions import AlgorithmicBiasModel
    random.seed(seed)
    np.random.seed(seed)
    model = AlgorithmicBiasModel(nx.complete_graph(agents), seed=seed)
    config = mc.Configuration()
    config.add_model_parameter("epsilon", epsilon)
    config.add_model_parameter("gamma", 0)
    model.set_initial_status(config)
    model.iteration_bunch(iterations, node_status=False)
    return clusters(list(model.status.values()))


# The two switches Mesa mode gained, one at a time, at the NetLogo-like parameters: which
# difference from Mesa each one closes.
ABLATION = [
    ("neither (the Mesa column before: moves first, exact counts)", "move_then_act", "exact"),
    ("order only (acts first, exact counts)", "act_then_move", "exact"),
    ("placement only (moves first, cells drawn)", "move_then_act", "cell_draw"),
    ("both (epstein_mesa.toml)", "act_then_move", "cell_draw"),
]


def ablation(binary, seeds, everything):
    """sovsim in Mesa mode with each new switch on or off, against Mesa's runs."""
    mesa = [epstein_stats(a) for a in mesa_series("netlogo_like", EPSTEIN_SETS["netlogo_like"][0], seeds, 1)]
    folder = REPO / "output" / "peers" / "variants"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["## Epstein, netlogo like: each switch on its own", "",
             "Mesa 3.3.1's mean actives after step 100: " + summary([m["mean_after_100"] for m in mesa]) + ".", "",
             "| sovsim switches | mean actives after step 100 | p | outbursts | p | peak | p |",
             "|---|---|---|---|---|---|---|"]
    base = (REPO / "scenarios/reference/epstein_mesa.toml").resolve()
    for k, (label, order, placement) in enumerate(ABLATION):
        name = f"epstein_mesa_variant_{k}"
        relative = os.path.relpath(base, folder)
        (folder / f"{name}.toml").write_text(
            f'extends = "{relative}"\nname = "{name}"\ndescription = "{label}"\n\n'
            f'[reference]\norder = "{order}"\nplacement = "{placement}"\n')
        ours = [epstein_stats(a) for a in sovsim_columns(binary, folder / f"{name}.toml", 1, len(seeds), "actives")]
        cells = []
        for stat in ("mean_after_100", "outbursts", "peak"):
            a, b = [m[stat] for m in mesa], [r[stat] for r in ours]
            cells += [summary(b), f"{mann_whitney(a, b):.2f}"]
        everything[f"ablation-{k}"] = {"label": label, "sovsim": ours}
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2, help="peer runs in parallel")
    parser.add_argument("--sovsim", default="target/release/sovsim")
    parser.add_argument("--only", choices=["epstein", "deffuant"])
    args = parser.parse_args()
    need_peers()
    binary = Path(args.sovsim)
    binary = binary if binary.is_absolute() else REPO / binary
    if not binary.exists():
        die(f"no sovsim binary at {binary}; build it with `cargo build --release`")
    seeds = list(range(1, args.seeds + 1))
    out = REPO / "output" / "peers"
    out.mkdir(parents=True, exist_ok=True)
    report = [f"# Outcomes against peers ({time.strftime('%Y-%m-%d')})", ""]
    everything = {}
    if args.only in (None, "epstein"):
        for set_name, (params, scenario) in EPSTEIN_SETS.items():
            print(f"Epstein, {set_name}", flush=True)
            mesa = [epstein_stats(a) for a in mesa_series(set_name, params, seeds, args.jobs)]
            ours = [epstein_stats(a) for a in sovsim_columns(binary, scenario, 1, len(seeds), "actives")]
            samples = {side: {k: [r[k] for r in runs] for k in runs[0]}
                       for side, runs in (("Mesa 3.3.1", mesa), ("sovsim", ours))}
            everything[f"epstein-{set_name}"] = samples
            report += [f"## Epstein, {set_name.replace('_', ' ')}: {params}, {len(seeds)} seeds, {STEPS} steps", "",
                       "| statistic | Mesa 3.3.1: mean (range) | sovsim: mean (range) | Mann-Whitney p |",
                       "|---|---|---|---|"]
            for stat in samples["sovsim"]:
                a, b = samples["Mesa 3.3.1"][stat], samples["sovsim"][stat]
                report.append(f"| {stat.replace('_', ' ')} | {summary(a)} | {summary(b)} | {mann_whitney(a, b):.2f} |")
            report.append("")
            plot(out / f"epstein-{set_name}.png", f"Epstein, {set_name.replace('_', ' ')}: per seed", samples)
    if args.only in (None, "deffuant"):
        report += ["## Deffuant: major clusters per seed (N = 1,000, mu = 0.5)", "",
                   "| d | ndlib: mean (range) | sovsim: mean (range) | Mann-Whitney p |", "|---|---|---|---|"]
        samples_all = {}
        for d, scenario in DEFFUANT.items():
            print(f"Deffuant, d = {d}", flush=True)
            ours = [r[-1] for r in sovsim_columns(binary, scenario, 1, len(seeds), "clusters")]
            # sovsim meets 500 random pairs a step; an ndlib iteration meets N = 1,000.
            steps = len(sovsim_columns(binary, scenario, 1, 1, "clusters")[0])
            iterations = steps * 500 // 1000
            todo = [(d, s, 1000, iterations) for s in seeds]
            theirs = []
            with ProcessPoolExecutor(max_workers=args.jobs) as pool:
                names = [f"ndlib-d{d}-{s}-{iterations}" for s in seeds]
                missing = [t for t, n in zip(todo, names) if not (out / "cache" / f"{n}.json").exists()]
                for t, c in zip(missing, pool.map(ndlib_run, missing)):
                    cached(f"ndlib-d{t[0]}-{t[1]}-{iterations}", lambda c=c: c)
                theirs = [cached(n, lambda: None) for n in names]
            samples_all[f"d = {d}"] = {"ndlib": theirs, "sovsim": ours}
            report.append(f"| {d} | {summary(theirs)} | {summary(ours)} | {mann_whitney(theirs, ours):.2f} |")
        report.append("")
        everything["deffuant"] = samples_all
        plot(out / "deffuant.png", "Deffuant: major clusters per seed",
             {side: {d: v[side] for d, v in samples_all.items()} for side in ("ndlib", "sovsim")})
    if args.only in (None, "epstein"):
        report += ablation(binary, seeds, everything)
    (out / "outcomes.json").write_text(json.dumps(everything, indent=1))
    (out / "outcomes.md").write_text("\n".join(report) + "\n")
    print("\n".join(report))
    print(f"Wrote {out / 'outcomes.md'}, outcomes.json and the plots beside them.")


if __name__ == "__main__":
    main()
