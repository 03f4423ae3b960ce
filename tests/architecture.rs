//! The library's top-level modules depend one way, as docs/architecture.md draws them: each
//! may import only modules in a lower layer (in the top layer, the services, also one
//! another), and there is no cycle among them. Read from the `use crate::` lines and the
//! inline `crate::` and `super::` paths of every source file, so a new import that breaks the
//! order fails here with the file that made it. (That no command of the binary uses another
//! is tested beside the commands, in `src/commands/mod.rs`.)
//!
//! Test code (`#[cfg(test)]` modules, `tests.rs` files and the `testing` helpers) is exempt:
//! a rule's unit test may build its world from scenario text.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The library's layers, lowest first. The same table is drawn in docs/architecture.md.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundations", &["date", "rng", "limits", "format"]),
    ("model", &["model"]),
    ("rules and measures", &["rules", "metrics"]),
    ("reference models", &["reference"]),
    ("scenario files", &["scenario"]),
    (
        "services",
        &[
            "ensemble",
            "explain",
            "output",
            "compare",
            "measure",
            "plot",
            "claims",
            "record",
            "sweep",
            "map",
            "report",
            "calibration",
            "lab",
        ],
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The modules a crate root file declares (`mod x;` and `pub mod x;`).
fn declared_modules(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .filter_map(|l| {
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .filter(|name| name != "testing")
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under src/: `src/a/b.rs` is `[a, b]`, `src/a/mod.rs` is `[a]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without its test modules and comments.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed == "#[cfg(test)]" {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The identifiers that follow `prefix` in `code`: `crate::a`, and each item of a group
/// `crate::{a, b::c}` at its outer level.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find(prefix) {
        let start = from + at;
        from = start + prefix.len();
        if start > 0 {
            let before = bytes[start - 1];
            if before.is_ascii_alphanumeric() || before == b'_' || before == b':' {
                continue;
            }
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            found.push(item);
        } else {
            found.push(rest.to_string());
        }
    }
    found
        .into_iter()
        .map(|p| {
            p.trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Which top-level module each `super::` chain that climbs out of its own top-level module
/// reaches: in `src/a/b/c.rs` (module `a::b::c`), `super::super::super::x` is the crate's `x`.
fn supers_to_root(code: &str, depth: usize) -> Vec<String> {
    let mut found = Vec::new();
    let needle = "super::".repeat(depth);
    if depth == 0 {
        return found;
    }
    for item in paths_after(code, &needle) {
        if item != "super" {
            found.push(item);
        }
    }
    found
}

/// Every import between the library's top-level modules: (from, to) with the files that make
/// it.
fn library_imports() -> BTreeMap<(String, String), BTreeSet<String>> {
    let root = root();
    let modules: BTreeSet<String> = declared_modules(&root.join("src/lib.rs"))
        .into_iter()
        .collect();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut imports: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(root.join("src")).unwrap().to_path_buf();
        let path = module_path(&relative);
        let Some(top) = path.first() else { continue };
        if !modules.contains(top) || relative.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let code = code_of(&fs::read_to_string(&file).unwrap());
        let mut targets = paths_after(&code, "crate::");
        targets.extend(supers_to_root(&code, path.len()));
        for target in targets {
            if &target != top && modules.contains(&target) {
                imports
                    .entry((top.clone(), target))
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
    }
    imports
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, members)| members.contains(&module))
}

#[test]
fn every_library_module_has_a_layer() {
    let declared = declared_modules(&root().join("src/lib.rs"));
    let missing: Vec<_> = declared.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "modules of src/lib.rs with no layer in tests/architecture.rs (and docs/architecture.md): {missing:?}"
    );
}

#[test]
fn no_module_imports_sideways_or_up() {
    let mut wrong = Vec::new();
    for ((from, to), files) in library_imports() {
        let (Some(a), Some(b)) = (layer_of(&from), layer_of(&to)) else {
            continue;
        };
        let top = LAYERS.len() - 1;
        if b > a || (b == a && a != top) {
            wrong.push(format!(
                "{from} ({}) imports {to} ({}) in {}",
                LAYERS[a].0,
                LAYERS[b].0,
                files.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports sideways or up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_docs_draw_the_same_layers() {
    let doc = fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("The layers"))
        .expect("docs/architecture.md has a section `## The layers`");
    let drawn: Vec<(String, Vec<String>)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let [_, layer, modules, ..] = cells.as_slice() else {
                return None;
            };
            if !modules.starts_with('`') {
                return None;
            }
            let modules = modules
                .split(',')
                .map(|m| m.trim().trim_matches('`').to_string())
                .collect();
            Some((layer.to_string(), modules))
        })
        .collect();
    let expected: Vec<(String, Vec<String>)> = LAYERS
        .iter()
        .map(|(layer, modules)| {
            (
                layer.to_string(),
                modules.iter().map(|m| m.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(drawn, expected, "docs/architecture.md's layer table");
}

/// A cycle among modules, if there is one, as the list of modules round it.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = visit(node, edges, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_library_modules_have_no_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in library_imports().into_keys() {
        edges.entry(from).or_default().insert(to);
    }
    if let Some(cycle) = find_cycle(&edges) {
        panic!("import cycle: {}", cycle.join(" -> "));
    }
}

/// Users have the repository only: no code, doc, scenario or message may send them to the
/// design brief or the essays' index that the project was written from.
#[test]
fn the_project_points_to_no_file_it_does_not_have() {
    // Spelt in pieces, so that this file does not find itself.
    let outside = [
        format!("../{}/", "shared"),
        format!("{}.md", "MODEL"),
        format!("{}.md", "INDEX"),
    ];
    let root = root();
    let mut files = vec![root.join("README.md")];
    for dir in ["src", "docs", "scenarios", "tests", "benches", "examples"] {
        text_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if let Some(name) = outside.iter().find(|o| line.contains(o.as_str())) {
                let shown = file.strip_prefix(&root).unwrap_or(&file).display();
                found.push(format!("{shown}:{}: {name}", n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "pointers outside the repository:\n{}",
        found.join("\n")
    );
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|e| {
            ["rs", "md", "toml", "stderr", "sh"].contains(&e.to_str().unwrap_or(""))
        }) {
            out.push(path);
        }
    }
}

#[test]
fn the_checker_finds_cycles_and_grouped_imports() {
    let code =
        "use crate::{a::X, b,\n  c::{d, e}};\nfn f() { crate::g::h(); super::super::k::l(); }\n";
    assert_eq!(paths_after(code, "crate::"), vec!["a", "b", "c", "g"]);
    assert_eq!(supers_to_root(code, 2), vec!["k"]);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert!(code_of("use crate::x;\n#[cfg(test)]\nuse crate::y;\n").contains("crate::x"));
    assert!(!code_of("use crate::x;\n#[cfg(test)]\nuse crate::y;\n").contains("crate::y"));
}
