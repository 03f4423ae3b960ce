//! Integration tests of `sovsim explain`: the real binary on shipped scenarios (what it says
//! about them) and on a broken one (how it fails).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Runs `sovsim explain` on a file and returns its stdout; it must succeed.
fn explain(path: &Path) -> String {
    let out = sovsim().arg("explain").arg(path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of the section that starts with `start`, up to the next blank line.
fn section<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(start))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn an_added_event_is_named_with_its_date_against_the_parent() {
    let text = explain(&scenario("informal_suppression_1918.toml"));
    assert!(
        text.starts_with("Scenario: informal_suppression_1918\n"),
        "{text}"
    );
    let changes = section(&text, "Changes against");
    assert!(
        changes[0].starts_with("Changes against historical (")
            && changes[0].ends_with("historical.toml):"),
        "{changes:#?}"
    );
    // Two changes and nothing else: the decision's mode and the added event that pins it.
    assert_eq!(changes.len(), 3, "{changes:#?}");
    assert_eq!(
        changes[1],
        "  changed: decisions.ban_factions: endogenous -> pinned"
    );
    assert!(
        changes[2].starts_with(
            "  added event: informal-suppression (1918-05): decide: ban_factions (factions of the ruling party banned)"
        ),
        "{}",
        changes[2]
    );
    assert!(changes[2].contains("Kommunist suspended"));
    // The event also appears among the dated events, and the ban among the switches.
    assert!(text.contains(
        "  1918-05     informal-suppression: decide: ban_factions (factions of the ruling party banned)"
    ));
    assert!(text.contains(
        "Factions in the ruling party: allowed, throughout the run (ban_factions pinned to 1918-05)."
    ));
}

#[test]
fn a_counterfactual_lists_its_changed_parameters_and_removed_events() {
    let text = explain(&scenario("commune_state.toml"));
    let changes = section(&text, "Changes against historical");
    let changed: Vec<&str> = changes
        .iter()
        .filter(|l| l.starts_with("  changed: "))
        .copied()
        .collect();
    assert_eq!(changed.len(), 8, "{changes:#?}");
    // The constraints first (the decisions the file forbids), then the parameters.
    for (line, decision) in changed.iter().zip([
        "appoint_congress",
        "appoint_officials",
        "ban_factions",
        "party_dictatorship",
        "single_list",
        "suspend_elections",
    ]) {
        assert_eq!(
            *line,
            format!("  changed: decisions.{decision}: endogenous -> forbidden")
        );
    }
    assert!(changed[6].starts_with("  changed: rules.bureaucracy.elected_share: 0.6 -> 1 ("));
    assert!(changed[7].starts_with("  changed: rules.soviets.election_interval_weeks: 26 -> 13 ("));
    assert_eq!(changes.len(), 1 + 8, "{changes:#?}");
    // The ban is forbidden: factions stay allowed, and the switch says why.
    assert!(text.contains(
        "Factions in the ruling party: allowed, throughout the run (ban_factions forbidden)."
    ));
}

#[test]
fn a_base_scenario_says_so_and_lists_every_event_in_date_order() {
    let text = explain(&scenario("historical.toml"));
    assert!(text.contains("This is a base scenario"));
    let events = section(&text, "Dated events");
    let dates: Vec<&str> = events[1..]
        .iter()
        .filter(|l| !l.trim_start().starts_with("Note in the file"))
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert!(dates.len() >= 10, "{events:#?}");
    // `YYYY-MM` and `YYYY-MM-DD` sort as dates once a month reads as its first day.
    let key = |d: &str| {
        if d.len() == 7 {
            format!("{d}-01")
        } else {
            d.to_string()
        }
    };
    assert!(
        dates.windows(2).all(|w| key(w[0]) <= key(w[1])),
        "{dates:#?}"
    );
    assert!(text.contains("  ruling_party: on; recruitment set by 2 events (1921-03-16, 1924-02)"));
}

#[test]
fn an_invalid_file_exits_2_with_its_location() {
    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid/05-unknown-rule-parameter.toml");
    let out = sovsim().arg("explain").arg(&broken).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("05-unknown-rule-parameter.toml:16:1: error: `rules.repression.capacty`"),
        "{stderr}"
    );
    let missing = sovsim()
        .args(["explain", "no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}
