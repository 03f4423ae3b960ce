//! sovsim: an agent-based simulation of party and council (soviet) dynamics in the Russian
//! Revolution, 1917-1930, for running the arguments of five essays on party and class as
//! experiments.
//!
//! # Layout
//! - [`format`]: what the scenario, claims and sweep file formats share: diagnostics, the
//!   parse preamble (unknown keys, every wrong-typed value), ids, and values as shown.
//! - [`scenario`]: scenario files and their checks; a checked scenario gives the model its
//!   [`model::Setup`].
//! - [`model`]: the world of one replicate (agents as columns, ties, parties, environment),
//!   what it is built from, and the rule parameters it holds ([`model::params`]).
//! - [`rules`]: one module per rule, applied in the order of one phase table,
//!   [`rules::PHASES`].
//! - [`limits`]: what a run will need in memory and on disk, estimated before it starts.
//! - [`metrics`]: what is recorded every step.
//! - [`measure`]: a metric over a window reduced to one number per replicate, as claims and
//!   sweeps measure runs.
//! - [`ensemble`]: replicates in parallel, results in replicate order.
//! - [`output`]: the CSV and JSON files a run writes (`decisions.csv` among them), their
//!   manifests, reading them back, and the decision timeline computed from them.
//! - [`reference`]: published reference models (Epstein, Deffuant, Granovetter) run with
//!   sovsim's own rules.
//! - [`plot`]: the plots a run writes, the decision timeline among them.
//! - [`claims`]: the essays' claims as experiments: the claims file, verdicts, sensitivity.
//! - [`record`]: the record of the shared history (`scenarios/record/record.toml`) and the
//!   fit of a finished run to it.
//! - [`compare`]: the statistics of a comparison.
//! - [`report`]: the HTML pages: a comparison's report, the claims page, a sweep's page and
//!   the index.
//! - [`explain`]: what a scenario assumes, in plain words for a teacher.
//! - [`sweep`]: parameter sweeps: the sweep file, its points and their outcomes.
//! - [`map`]: claim maps: a claim's verdict over a grid of two mechanism strengths, with the
//!   essays' views marked.
//! - [`lab`]: the classroom lab's logic (`sovsim serve`): an experiment's settings as the
//!   scenario file they make, problems placed at the page's controls, what the page is sent.
//! - [`rng`]: the only place random generators are made.
//!
//! The modules depend one way, bottom first: `date`, `rng`, `format` and `limits` (which use
//! no other module of the crate); `model`; `rules` and `metrics` (which do not use each
//! other); `reference`; `scenario`; then the rest, which use one another without cycles.
//! `tests/architecture.rs` checks it; `docs/architecture.md` draws it for a newcomer.
//!
//! The model (`scenario`, `model`, `rules`, `metrics`) does no I/O, starts no threads, reads
//! no clock and keeps no globals.
//!
//! # Determinism
//! The promise: the same sovsim version, scenario file (with the files it extends) and seed
//! give byte-identical `runs.csv`, `decisions.csv` and `summary.csv`, whatever the number of threads
//! (`--jobs`), the machine, the order in which replicates finish, or how many replicates
//! are run (replicate `i` is the same in every ensemble that has it). Replicate `i` draws only from stream `i` of a ChaCha8 generator
//! keyed by the seed; rules never iterate a hash map; floating-point reductions run in a fixed
//! order; transcendental functions come from `libm`, not the platform's maths library.

// Agents are columns: a loop over agent ids reads several columns by the same index, which is
// clearer than zipping half a dozen iterators.
#![allow(clippy::needless_range_loop)]

pub mod calibration;
pub mod claims;
pub mod compare;
pub mod date;
pub mod ensemble;
pub mod explain;
pub mod format;
pub mod lab;
pub mod limits;
pub mod map;
pub mod measure;
pub mod metrics;
pub mod model;
pub mod output;
pub mod plot;
pub mod record;
pub mod reference;
pub mod report;
pub mod rng;
pub mod rules;
pub mod scenario;
pub mod sweep;

#[cfg(test)]
mod testing;
