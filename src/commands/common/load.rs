//! Sweep and map files read and checked in full (the file, its base or its claim's
//! scenarios, and every point's variation), as `sovsim sweep` and `sovsim map` read them
//! before they run and as `sovsim validate` checks them. Each loader asks a `weigh` closure
//! before it makes the points, so that a file too large to run is refused at once.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use sovsim::claims::{self, Against, Claim};
use sovsim::map::{self, ClaimMap, MapManifest, MapPoint, Side};
use sovsim::output::SweepManifest;
use sovsim::scenario::{Diagnostic, Diagnostics, Scenario, View, hex_sha256, merged_document};
use sovsim::sweep::{self, Sweep};

use super::files::{beside, load_views};
use super::{InvalidInput, read_input, read_parent};

/// A sweep read and checked, with its base and every point's variation.
pub struct LoadedSweep {
    pub sweep: Sweep,
    pub base: Scenario,
    pub file: PathBuf,
    pub base_file: PathBuf,
    pub base_text: String,
    pub variations: sweep::Variations,
    pub manifest: SweepManifest,
}

/// The sweep file and its base read and checked, then every point's variation made;
/// `weigh` is asked first, with the sweep and its base, so that a sweep too large to run is
/// refused before its points are made.
pub fn sweep(file: &Path, weigh: &dyn Fn(&Sweep, &Scenario) -> Result<()>) -> Result<LoadedSweep> {
    let shown = file.display().to_string();
    let text = read_input(file).map_err(InvalidInput)?;
    let s = sweep::parse(&text, &shown).map_err(|d| InvalidInput(d.to_string()))?;
    let base_file = file.parent().unwrap_or(Path::new("")).join(&s.base);
    let base_shown = base_file.display().to_string();
    let base_text = fs::read_to_string(&base_file).map_err(|e| {
        InvalidInput(
            s.diagnostic(
                Some(s.base_span.clone()),
                "base",
                format!("cannot read the base scenario {base_shown}: {e}"),
            )
            .to_string(),
        )
    })?;
    let fail = |d: Diagnostics| {
        InvalidInput(format!(
            "{}\n{d}",
            s.diagnostic(
                Some(s.base_span.clone()),
                "base",
                "the base scenario is invalid:"
            )
        ))
    };
    let base = Scenario::parse_with(&base_text, &base_shown, &read_parent).map_err(fail)?;
    let doc = merged_document(&base_text, &base_shown, &read_parent).map_err(fail)?;
    weigh(&s, &base)?;
    let reparse = |label: &str, toml: &str| {
        Scenario::parse_varied(&base_text, &base_shown, &read_parent, Some((label, toml)))
    };
    let variations = s
        .resolve(&base, &doc, &reparse)
        .map_err(|d| InvalidInput(d.to_string()))?;
    let mut bytes = text.clone().into_bytes();
    bytes.push(0);
    bytes.extend_from_slice(base.sha256.as_bytes());
    let manifest = SweepManifest {
        sovsim_version: sovsim::output::SOVSIM_VERSION.to_string(),
        sweep: s.name.clone(),
        sweep_file: shown,
        sweep_sha256: hex_sha256(&bytes),
        base: base_shown,
        points: s.points.len(),
        replicates: s.replicates,
        seed: s.seed,
        design: format!("{:?}", s.design).to_lowercase(),
        axes: s.axes.iter().map(|a| a.path.clone()).collect(),
        axis_labels: s.axes.iter().map(|a| a.label.clone()).collect(),
        outcomes: s.outcomes.iter().map(|o| o.name.clone()).collect(),
        header: s.header(),
    };
    Ok(LoadedSweep {
        sweep: s,
        base,
        file: file.to_path_buf(),
        base_file,
        base_text,
        variations,
        manifest,
    })
}

/// One side of the claim: its file, its text and the scenario it reads into.
pub struct Read {
    pub file: String,
    pub text: String,
    pub scenario: Scenario,
    pub doc: toml::Table,
}

/// A map read and checked, with its claim, the claim's scenarios, every point's variations
/// and the views to mark.
pub struct LoadedMap {
    pub map: ClaimMap,
    pub claim: Claim,
    pub sides: Vec<Read>,
    pub points: Vec<MapPoint>,
    pub views: Vec<View>,
    pub manifest: MapManifest,
}

/// Reads one of the claim's scenarios, every problem a diagnostic at the map's `claim`.
fn read_side(m: &ClaimMap, claim: &Claim, path: &Path) -> Result<Read, Diagnostic> {
    let shown = path.display().to_string();
    let what = format!("the claim `{}` compares {shown}, which", claim.id);
    let text =
        fs::read_to_string(path).map_err(|e| m.at_claim(format!("{what} cannot be read: {e}")))?;
    let invalid = |d: Diagnostics| m.at_claim(format!("{what} is invalid:\n{d}"));
    let scenario = Scenario::parse_with(&text, &shown, &read_parent).map_err(invalid)?;
    let doc = merged_document(&text, &shown, &read_parent).map_err(invalid)?;
    if let Some(model) = &scenario.reference {
        return Err(m.at_claim(format!(
            "{what} runs the {} reference model; claims test the revolution model's metrics",
            model.kind().name()
        )));
    }
    if let Err(why) = claims::evaluate::window_steps(&scenario.calendar, claim.test.measure.window)
    {
        return Err(m.at_claim(format!("{why}, in {}", scenario.name)));
    }
    Ok(Read {
        file: shown,
        text,
        scenario,
        doc,
    })
}

/// The map file, its claim and its scenarios read and checked, then every point's variation
/// made; `weigh` is asked first, with the map and its sides, so that a map too large to run
/// is refused before its points are made (making 20,000 points takes minutes).
pub fn map(file: &Path, weigh: &dyn Fn(&ClaimMap, &[Read]) -> Result<()>) -> Result<LoadedMap> {
    let shown = file.display().to_string();
    let invalid = |d: &dyn std::fmt::Display| InvalidInput(d.to_string());
    let text = read_input(file).map_err(InvalidInput)?;
    let m = map::parse(&text, &shown).map_err(|d| invalid(&d))?;
    let claims_path = beside(file, &m.claims);
    let claims_shown = claims_path.display().to_string();
    let claims_text = fs::read_to_string(&claims_path).map_err(|e| {
        invalid(&m.at_claims(format!("cannot read the claims file {claims_shown}: {e}")))
    })?;
    let claims_file = claims::parse(&claims_text, &claims_shown).map_err(|d| {
        InvalidInput(format!(
            "{}\n{d}",
            m.at_claims(format!("the claims file {claims_shown} is invalid:"))
        ))
    })?;
    let claim = m.find_claim(&claims_file).map_err(|d| invalid(&d))?.clone();
    let mut paths = vec![beside(&claims_path, &claim.test.scenario)];
    if let Against::Baseline(b) = &claim.test.against {
        paths.push(beside(&claims_path, b));
    }
    let mut sides = Vec::new();
    let mut problems = Vec::new();
    for path in &paths {
        match read_side(&m, &claim, path) {
            Ok(side) => sides.push(side),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(invalid(&Diagnostics(problems)).into());
    }
    let views = load_views()?;
    weigh(&m, &sides)?;
    let reparses: Vec<_> = sides
        .iter()
        .map(|s| {
            move |label: &str, toml: &str| {
                Scenario::parse_varied(&s.text, &s.file, &read_parent, Some((label, toml)))
            }
        })
        .collect();
    let resolve_sides: Vec<Side> = sides
        .iter()
        .zip(&reparses)
        .map(|(s, reparse)| Side {
            name: &s.scenario.name,
            doc: &s.doc,
            reparse,
        })
        .collect();
    let points = m.resolve(&resolve_sides).map_err(|d| invalid(&d))?;
    let hashes: Vec<&str> = sides.iter().map(|s| s.scenario.sha256.as_str()).collect();
    let manifest = MapManifest {
        sovsim_version: sovsim::output::SOVSIM_VERSION.to_string(),
        name: m.name.clone(),
        description: m.description.clone(),
        contrast: m.contrast + 1,
        claim: claim.id.clone(),
        csv: format!("{}.csv", m.name),
        svg: format!("{}.svg", m.name),
        png: format!("{}.png", m.name),
        complete: false,
        map_file: shown,
        claims_file: claims_shown,
        scenario: sides[0].scenario.name.clone(),
        baseline: sides.get(1).map(|s| s.scenario.name.clone()),
        sha256: map::fingerprint(&text, &claim, &hashes),
        axes: m.axes.iter().map(|a| a.path.clone()).collect(),
        axis_labels: m.axes.iter().map(|a| a.label.clone()).collect(),
        values: m
            .axes
            .iter()
            .map(|a| a.values.iter().map(sovsim::format::show).collect())
            .collect(),
        points: m.points.len(),
        replicates: m.replicates,
        seed: m.seed,
        header: m.header(),
    };
    Ok(LoadedMap {
        map: m,
        claim,
        sides,
        points,
        views,
        manifest,
    })
}
