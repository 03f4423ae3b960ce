//! The library's top-level modules depend one way: a module may use only modules in a lower
//! layer (test code excepted). Fails, naming the file and the reference, when an import
//! points sideways or up, which is how a cycle starts.

use std::path::Path;

/// Layers, bottom first. Metrics and the rules sit side by side and must not use each other;
/// the modules of the top layer may use one another as long as no cycle forms.
const LAYERS: [&[&str]; 6] = [
    &["date", "rng", "format", "limits"],
    &["model"],
    &["rules", "metrics"],
    &["reference"],
    &["scenario"],
    &[
        "ensemble", "output", "compare", "plot", "measure", "claims", "sweep", "explain", "report",
    ],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The file's code without its test module and without comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::<module>` a text names, with `use crate::{a, b}` groups spread out.
fn references(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (k, _) in code.match_indices("crate::") {
        let rest = &code[k + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
        } else {
            found.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    found
}

fn visit(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_one_above_or_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut broken = Vec::new();
    let top = LAYERS.len() - 1;
    let mut edges: Vec<(String, String)> = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_str().unwrap().trim_end_matches(".rs");
        let name = relative.file_name().unwrap();
        if name == "tests.rs" || module == "testing" {
            continue;
        }
        // The binary's modules and lib.rs are above every layer.
        let Some(own) = layer(module) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in references(&code(&text)) {
            if used == module {
                continue;
            }
            match layer(&used) {
                Some(l) if l < own => {}
                Some(l) if l == top && own == top => edges.push((module.to_string(), used)),
                _ => broken.push(format!("{} uses crate::{used}", relative.display())),
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports against the layers:\n{}",
        broken.join("\n")
    );
    if let Some(cycle) = cycle(&edges) {
        panic!("the top layer has a cycle: {}", cycle.join(" -> "));
    }
}

/// A cycle among the edges, if there is one, as the modules along it.
fn cycle(edges: &[(String, String)]) -> Option<Vec<String>> {
    fn walk(at: &str, edges: &[(String, String)], path: &mut Vec<String>) -> Option<Vec<String>> {
        if let Some(k) = path.iter().position(|p| p == at) {
            let mut found = path[k..].to_vec();
            found.push(at.to_string());
            return Some(found);
        }
        path.push(at.to_string());
        for (_, to) in edges.iter().filter(|(from, _)| from == at) {
            if let Some(found) = walk(to, edges, path) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    edges
        .iter()
        .find_map(|(from, _)| walk(from, edges, &mut Vec::new()))
}

#[test]
fn every_library_module_has_a_layer() {
    let lib = include_str!("../src/lib.rs");
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(layer(name).is_some(), "{name} is in no layer");
        }
    }
}

#[test]
fn a_cycle_is_found_and_a_chain_is_not() {
    let edge = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        cycle(&[edge("sweep", "claims"), edge("claims", "compare")]),
        None
    );
    assert!(cycle(&[edge("sweep", "claims"), edge("claims", "sweep")]).is_some());
}

#[test]
fn the_check_sees_a_reference_upward() {
    let code = code(
        "use crate::{date, rules::Rules};\nfn f() { crate::metrics::record(); }\n// crate::sweep\n#[cfg(test)]\nuse crate::claims;",
    );
    assert_eq!(references(&code), ["date", "rules", "metrics"]);
}
