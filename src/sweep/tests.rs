use super::*;
use crate::testing::documented_keys;

const GRID: &str = r#"
name = "s"
description = "A test sweep."
base = "base.toml"
replicates = 2
seed = 5

[[axis]]
path = "rules.repression.detection"
values = [0.001, 0.01]

[[axis]]
path = "environment.civil_war"
from = 0.0
to = 1.0
steps = 3
label = "civil war (x the base series)"

[[outcome]]
metric = "unrest"
statistic = "mean"
window = ["1918-01", "1918-06"]
"#;

#[test]
fn a_grid_is_every_combination_the_first_axis_slowest() {
    let s = parse(GRID, "s.toml").unwrap();
    assert_eq!(s.points.len(), 6);
    let shown: Vec<Vec<String>> = s
        .points
        .iter()
        .map(|p| p.iter().map(show).collect())
        .collect();
    assert_eq!(shown[0], ["0.001", "0"]);
    assert_eq!(shown[1], ["0.001", "0.5"]);
    assert_eq!(shown[3], ["0.01", "0"]);
    assert_eq!(shown[5], ["0.01", "1"]);
    assert_eq!(s.axes[1].target, Target::Scale("civil_war".into()));
    assert_eq!(s.axes[1].label, "civil war (x the base series)");
    assert_eq!(
        s.header(),
        [
            "point",
            "rules.repression.detection",
            "environment.civil_war",
            "unrest_mean_mean",
            "unrest_mean_p05",
            "unrest_mean_p95"
        ]
    );
}

#[test]
fn a_latin_hypercube_uses_every_stratum_once_per_axis_and_is_reproducible() {
    let text = GRID
        .replace("values = [0.001, 0.01]", "from = 0.0\nto = 0.01")
        .replace("steps = 3\n", "")
        .replace(
            "seed = 5",
            "seed = 5\ndesign = \"latin_hypercube\"\nsamples = 10",
        );
    let s = parse(&text, "s.toml").unwrap();
    assert_eq!(s.points.len(), 10);
    for (k, (from, to)) in [(0.0, 0.01), (0.0, 1.0)].into_iter().enumerate() {
        let mut strata: Vec<usize> = s
            .points
            .iter()
            .map(|p| (((p[k].as_float().unwrap() - from) / (to - from)) * 10.0).floor() as usize)
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..10).collect::<Vec<_>>(), "axis {k}");
    }
    assert_eq!(parse(&text, "s.toml").unwrap().points, s.points);
    let other = parse(&text.replace("seed = 5", "seed = 6"), "s.toml").unwrap();
    assert_ne!(other.points, s.points);
}

#[test]
fn a_list_is_the_points_given() {
    let text = GRID
        .replace("values = [0.001, 0.01]\n", "")
        .replace("from = 0.0\nto = 1.0\nsteps = 3\n", "")
        .replace(
            "seed = 5",
            "seed = 5\ndesign = \"list\"\npoints = [[0.002, 0.5], [0.003, 1.0]]",
        );
    let s = parse(&text, "s.toml").unwrap();
    assert_eq!(s.points.len(), 2);
    let e = parse(&text.replace("[0.003, 1.0]", "[0.003]"), "s.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("point 1 has 1 values; expected one per axis (2)"),
        "{e}"
    );
}

#[test]
fn an_axis_that_names_nothing_is_an_error_at_its_line_and_column() {
    let e = parse(
        &GRID.replace("rules.repression.detection", "rules.repression.detektion"),
        "s.toml",
    )
    .unwrap_err();
    let d = &e.0[0];
    assert_eq!((d.line, d.column), (9, 8), "{e}");
    assert!(d.message.contains("names nothing a sweep can vary"), "{e}");
    assert!(
        d.message
            .contains("did you mean `rules.repression.detection`"),
        "{e}"
    );
    let e = parse(
        &GRID.replace("rules.repression.detection", "events.red-terror.valeu"),
        "s.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("no field `valeu` (did you mean `value`?)"),
        "{e}"
    );
    let e = parse(
        &GRID.replace("statistic = \"mean\"", "statistic = \"peak\"\nlevle = 1"),
        "s.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("unknown key `levle` (did you mean `level`?)"),
        "{e}"
    );
}

#[test]
fn outcome_rows_hold_mean_and_quantiles() {
    let row = outcome_row(
        3,
        &[toml::Value::Float(0.5), toml::Value::Boolean(true)],
        &[vec![1.0, 2.0, 3.0]],
    );
    assert_eq!(
        row,
        ["3", "0.5", "true", "2.000000", "1.100000", "2.900000"]
    );
}

#[test]
fn the_reference_lists_every_key_and_no_other() {
    const DOC: &str = include_str!("../../docs/sweeps.md");
    let sorted = |k: &[&str]| {
        let mut v: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(documented_keys(DOC, "### Top level"), sorted(&TOP_KEYS));
    assert_eq!(documented_keys(DOC, "### `[[axis]]`"), sorted(&AXIS_KEYS));
    assert_eq!(
        documented_keys(DOC, "### `[[outcome]]`"),
        sorted(&OUTCOME_KEYS)
    );
}

#[test]
fn every_wrong_typed_value_and_every_size_beyond_its_type_is_reported_at_once() {
    let text = GRID
        .replace("replicates = 2", "replicates = 9000000000")
        .replace("seed = 5", "seed = \"five\"")
        .replace("steps = 3", "steps = 5000000000")
        .replace("statistic = \"mean\"", "statistic = \"avg\"");
    let e = parse(&text, "s.toml").unwrap_err();
    let got: Vec<(&str, &str)> =
        e.0.iter()
            .map(|d| (d.key.as_deref().unwrap_or(""), d.message.as_str()))
            .collect();
    assert_eq!(got.len(), 4, "{e}");
    assert_eq!(
        got[0],
        ("replicates", "expected 1 to 100000, found 9000000000")
    );
    assert_eq!(got[1].0, "seed");
    assert_eq!(got[2], ("axis[1].steps", "expected 1 to 100000 steps"));
    assert_eq!(got[3].0, "outcome[0].statistic");
    assert!(got[3].1.starts_with("unknown name `avg`"), "{}", got[3].1);
}

/// The diagnostics of a sweep that does not read: (line, column, key, message).
fn refused(text: &str) -> Vec<(usize, usize, String, String)> {
    parse(text, "s.toml")
        .unwrap_err()
        .0
        .into_iter()
        .map(|d| (d.line, d.column, d.key.unwrap_or_default(), d.message))
        .collect()
}

#[test]
fn an_outcome_name_is_an_id_since_it_names_files() {
    for bad in ["../../escaped", "/tmp/escaped", "a.b", "Up", ""] {
        let text = GRID.replace(
            "[[outcome]]\nmetric",
            &format!("[[outcome]]\nname = {bad:?}\nmetric"),
        );
        let found = refused(&text);
        assert_eq!(found.len(), 1, "{bad:?}: {found:?}");
        assert_eq!((found[0].0, found[0].2.as_str()), (20, "outcome[0].name"));
    }
}

#[test]
fn what_a_design_would_ignore_or_run_twice_is_refused_where_it_is_written() {
    // Two axes on one path: at the second, naming the first.
    let found = refused(&GRID.replace("environment.civil_war", "rules.repression.detection"));
    assert_eq!((found[0].0, found[0].2.as_str()), (13, "axis[1].path"));
    assert!(
        found[0].3.starts_with("axis[0] already varies"),
        "{found:?}"
    );
    // A value twice, as a number (1 and 1.0 are one): at the second.
    let found = refused(&GRID.replace("[0.001, 0.01]", "[1, 0.5, 1.0]"));
    assert_eq!((found[0].0, found[0].1), (10, 19), "{found:?}");
    assert!(found[0].3.contains("given twice (first as value 1"));
    // A range whose ends meet.
    let found = refused(&GRID.replace("to = 1.0", "to = 0.0"));
    assert_eq!(found[0].2, "axis[1].to", "{found:?}");
    // `samples` on a grid; `steps` on a Latin hypercube; `values` on a list.
    let found = refused(&GRID.replace("seed = 5", "seed = 5\nsamples = 4"));
    assert_eq!(
        (found[0].0, found[0].2.as_str()),
        (7, "samples"),
        "{found:?}"
    );
    let found = refused(
        &GRID
            .replace("values = [0.001, 0.01]", "from = 0.0\nto = 0.01")
            .replace(
                "seed = 5",
                "seed = 5\ndesign = \"latin_hypercube\"\nsamples = 3",
            ),
    );
    assert_eq!(found[0].2, "axis[1].steps", "{found:?}");
    let found = refused(&GRID.replace(
        "seed = 5",
        "seed = 5\ndesign = \"list\"\npoints = [[0.1, 0.2], [0.1, 0.2]]",
    ));
    let keys: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(
        keys,
        [
            "points",
            "axis[0].values",
            "axis[1].from",
            "axis[1].to",
            "axis[1].steps"
        ],
        "{found:?}"
    );
    assert!(found[0].3.contains("point 1 repeats point 0"), "{found:?}");
}
