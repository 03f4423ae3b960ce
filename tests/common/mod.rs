//! What the integration tests of the claims share: the shipped files, two small scenarios
//! made from the shipped ones (their events fix the dates, so only the population shrinks:
//! cheap enough to run under every view and vary ten ways), and the shipped views copied
//! where `sovsim claims`, run from a test's folder, finds them.

// Each test file that includes this module uses only some of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// A shipped file or folder under `scenarios/`.
pub fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// `small_war.toml` (the historical scenario) and `small_peace.toml` (no civil war), with
/// 400 agents and 8 replicates, written into `dir`.
pub fn small_scenarios(dir: &Path) {
    for (name, parent) in [
        ("small_war", "historical.toml"),
        ("small_peace", "no_civil_war.toml"),
    ] {
        let text = format!(
            "extends = {:?}\nname = \"{name}\"\ndescription = \"{name}, small.\"\nreplicates = 8\n[population]\nagents = 400\n",
            shipped(parent).display().to_string()
        );
        fs::write(dir.join(format!("{name}.toml")), text).unwrap();
    }
}

/// The shipped views, copied into `dir/scenarios/views/`; their names in order.
pub fn shipped_views(dir: &Path) -> Vec<String> {
    let views = dir.join("scenarios/views");
    fs::create_dir_all(&views).unwrap();
    let mut names = Vec::new();
    for entry in fs::read_dir(shipped("views")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            fs::copy(&path, views.join(path.file_name().unwrap())).unwrap();
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    names
}
