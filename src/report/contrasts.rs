//! The five contrasts as `claims.html` opens with them, for a lesson: each side of a contrast
//! ([`crate::claims::contrasts::SIDES`]) with its argument and its claims under every view,
//! the claims of essays that take no side, the contrast's maps, and a paragraph generated
//! from the verdicts saying under which views each side's claims hold ([`holding_sentence`]).
//! The maps are made by another command into `claims/maps/`; each is described by a small
//! JSON file that [`MapFigure::parse`] reads, refusing any file name that would point out of
//! that folder.

use minijinja::{Value, context};
use serde::Deserialize;

use super::claims::{ClaimResult, cells};
use crate::claims::coherence::{DEFAULT, Holding, ViewColumn, own_view};
use crate::claims::contrasts::{SIDES, side_of};
use crate::claims::{CONTRASTS, ESSAYS};

/// A map of a contrast, as its JSON file in `claims/maps/` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapFigure {
    pub name: String,
    pub description: String,
    /// Index into [`CONTRASTS`].
    pub contrast: usize,
    /// The id of the claim the map is about.
    pub claim: String,
    /// The file names of its drawings, in the maps' folder.
    pub svg: String,
    pub png: Option<String>,
    /// Whether the map's command says every run of it finished.
    pub complete: bool,
}

/// The JSON as the map command writes it; fields this page does not use are ignored.
#[derive(Deserialize)]
struct MapSpec {
    name: String,
    #[serde(default)]
    description: String,
    contrast: usize,
    claim: String,
    svg: String,
    #[serde(default)]
    png: Option<String>,
    #[serde(default)]
    complete: Option<bool>,
}

/// A file name that stays in the folder it is read from: no separator, no `..`, no hidden
/// file, no control character.
fn plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

impl MapFigure {
    /// A map's JSON, or `None` when it is not one this page can show: not JSON, a field
    /// missing, a contrast other than 1 to 5, or a drawing named outside the maps' folder.
    /// A map that says nothing of `complete` is taken as complete.
    pub fn parse(json: &str) -> Option<MapFigure> {
        let spec: MapSpec = serde_json::from_str(json).ok()?;
        let contrast = spec.contrast.checked_sub(1)?;
        if contrast >= CONTRASTS.len()
            || !plain_file_name(&spec.svg)
            || spec.png.as_deref().is_some_and(|p| !plain_file_name(p))
        {
            return None;
        }
        Some(MapFigure {
            name: spec.name,
            description: spec.description,
            contrast,
            claim: spec.claim,
            svg: spec.svg,
            png: spec.png,
            complete: spec.complete.unwrap_or(true),
        })
    }
}

/// `a`, `a and b`, `a, b and c` (with `or` for `word = "or"`).
fn join_words(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// A column as a sentence names it, marked when it is the view of one of the group's own
/// essays, with a count when one is given ("lessons (own view, 2 of 4)").
fn column_words(columns: &[ViewColumn], k: usize, own: &[usize], count: Option<String>) -> String {
    let name = match columns[k].name.as_str() {
        DEFAULT => "the default",
        name => name,
    };
    let notes: Vec<String> = own
        .contains(&k)
        .then(|| "own view".to_string())
        .into_iter()
        .chain(count)
        .collect();
    if notes.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({})", notes.join(", "))
    }
}

/// Under which views a group of claims holds, in a sentence: every claim supported, some,
/// or none. `group` names it ("the side ‘the ban was decisive’"); `own` are the columns of
/// the group's essays' own views, marked as such.
pub fn holding_sentence(
    group: &str,
    holding: &Holding,
    columns: &[ViewColumn],
    own: &[usize],
) -> String {
    let n = holding.claims;
    if n == 0 {
        return format!("No claim stands for {group}: the model is not asked about it here.");
    }
    let names = |ks: &[usize]| -> Vec<String> {
        ks.iter()
            .map(|&k| column_words(columns, k, own, None))
            .collect()
    };
    let (all, some, none) = (holding.all(), holding.some(), holding.none());
    let (subject, hold) = if n == 1 {
        (format!("The claim of {group}"), "holds (supported)")
    } else {
        (format!("The {n} claims of {group}"), "hold (all supported)")
    };
    if all.len() == columns.len() {
        let every = if columns.len() == 1 {
            format!("under {}, the only view tested", names(&all).join(""))
        } else {
            "under every view, the default included: whichever essay's assumptions the model takes, it bears them out".to_string()
        };
        return format!("{subject} {hold} {every}.");
    }
    if all.is_empty() && some.is_empty() {
        let what = if n == 1 {
            "it is not supported"
        } else {
            "none of them is supported"
        };
        let verb = if n == 1 { "holds" } else { "hold" };
        return format!(
            "{subject} {verb} under no view: {what} under {}.",
            join_words(&names(&none), "or")
        );
    }
    let mut parts = Vec::new();
    if all.is_empty() {
        parts.push(format!(
            "{} in full under no view",
            if n == 1 { "holds" } else { "hold" }
        ));
    } else {
        parts.push(format!("{hold} under {}", join_words(&names(&all), "and")));
    }
    if !some.is_empty() {
        let counted: Vec<String> = some
            .iter()
            .map(|&k| {
                let count = format!("{} of {n}", holding.supported[k]);
                column_words(columns, k, own, Some(count))
            })
            .collect();
        parts.push(format!("in part under {}", join_words(&counted, "and")));
    }
    if !none.is_empty() {
        let tail = if n == 1 { "" } else { " (none supported)" };
        parts.push(format!(
            "not under {}{tail}",
            join_words(&names(&none), "or")
        ));
    }
    format!("{subject} {}.", parts.join("; "))
}

/// A group of claims in a contrast: a side, or the claims of essays that take none.
fn group(
    results: &[&ClaimResult],
    columns: &[ViewColumn],
    essays: &[usize],
    name: &str,
) -> (Vec<Value>, String) {
    let rows: Vec<Value> = results
        .iter()
        .map(|r| {
            context! {
                id => r.claim.id.clone(),
                author => ESSAYS[r.claim.source].1,
                leadership_case => r.claim.leadership_case,
                cells => cells(r, columns),
            }
        })
        .collect();
    let verdicts: Vec<Vec<_>> = results
        .iter()
        .map(|r| r.evaluations().map(|e| e.verdict).collect())
        .collect();
    let slices: Vec<&[_]> = verdicts.iter().map(Vec::as_slice).collect();
    let holding = Holding::of(columns.len(), &slices);
    let own: Vec<usize> = essays
        .iter()
        .filter_map(|&e| own_view(columns, e))
        .collect();
    (rows, holding_sentence(name, &holding, columns, &own))
}

/// The five contrasts' sections, in order: each side with its argument and its claims'
/// rows, the other claims of the contrast, its maps, and where each group holds.
pub(super) fn sections(
    results: &[ClaimResult],
    columns: &[ViewColumn],
    maps: &[MapFigure],
) -> Vec<Value> {
    SIDES
        .iter()
        .enumerate()
        .map(|(k, contrast)| {
            let mine: Vec<&ClaimResult> = results
                .iter()
                .filter(|r| r.claim.contrast == Some(k))
                .collect();
            let mut holds = Vec::new();
            let sides: Vec<Value> = contrast
                .sides
                .iter()
                .enumerate()
                .map(|(s, side)| {
                    let on: Vec<&ClaimResult> = mine
                        .iter()
                        .copied()
                        .filter(|r| side_of(&r.claim) == Some(s))
                        .collect();
                    let name = format!("the side \u{2018}{}\u{2019}", side.label);
                    let (rows, sentence) = group(&on, columns, side.essays, &name);
                    holds.push(sentence);
                    let mut who: Vec<String> = side
                        .essays
                        .iter()
                        .map(|&e| ESSAYS[e].1.to_string())
                        .collect();
                    if side.leadership {
                        who.push(
                            "the Bolshevik leadership's own case, as the essays report it"
                                .to_string(),
                        );
                    }
                    context! {
                        label => side.label,
                        who => join_words(&who, "and"),
                        argument => side.argument,
                        claims => rows,
                    }
                })
                .collect();
            let others: Vec<&ClaimResult> = mine
                .iter()
                .copied()
                .filter(|r| side_of(&r.claim).is_none())
                .collect();
            let other_essays: Vec<usize> = others.iter().map(|r| r.claim.source).collect();
            let (other_rows, sentence) = group(
                &others,
                columns,
                &other_essays,
                "the other claims in this contrast",
            );
            if !others.is_empty() {
                holds.push(sentence);
            }
            let figures: Vec<Value> = maps
                .iter()
                .filter(|m| m.contrast == k)
                .map(|m| {
                    context! {
                        name => m.name.clone(),
                        description => m.description.clone(),
                        claim => m.claim.clone(),
                        known => results.iter().any(|r| r.claim.id == m.claim),
                        svg => m.svg.clone(),
                        png => m.png.clone(),
                        complete => m.complete,
                    }
                })
                .collect();
            context! {
                number => k + 1,
                question => contrast.question,
                sides => sides,
                others => other_rows,
                maps => figures,
                holds => holds,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::evaluate::Verdict::{self, Contradicted as C, Supported as S};

    fn columns() -> Vec<ViewColumn> {
        ["default", "anarchist_faq", "lessons", "ward"]
            .iter()
            .map(|n| ViewColumn {
                name: n.to_string(),
                reads: String::new(),
                essay: match *n {
                    "lessons" => Some(0),
                    "anarchist_faq" => Some(3),
                    _ => None,
                },
            })
            .collect()
    }

    fn holding(verdicts: &[&[Verdict]]) -> Holding {
        Holding::of(4, verdicts)
    }

    #[test]
    fn the_sentence_says_where_a_side_holds_in_full_in_part_and_not() {
        let side = "the side \u{2018}the ban was decisive\u{2019}";
        let h = holding(&[&[C, S, S, S], &[C, C, S, S]]);
        assert_eq!(
            holding_sentence(side, &h, &columns(), &[1, 2]),
            "The 2 claims of the side \u{2018}the ban was decisive\u{2019} hold (all supported) under lessons (own view) and ward; in part under anarchist_faq (own view, 1 of 2); not under the default (none supported)."
        );
        let one = holding(&[&[S, C, S, C]]);
        assert_eq!(
            holding_sentence("the side \u{2018}x\u{2019}", &one, &columns(), &[]),
            "The claim of the side \u{2018}x\u{2019} holds (supported) under the default and lessons; not under anarchist_faq or ward."
        );
        let partly = holding(&[&[S, C, C, C], &[C, C, C, C]]);
        assert_eq!(
            holding_sentence("the side \u{2018}x\u{2019}", &partly, &columns(), &[]),
            "The 2 claims of the side \u{2018}x\u{2019} hold in full under no view; in part under the default (1 of 2); not under anarchist_faq, lessons or ward (none supported)."
        );
    }

    #[test]
    fn the_sentence_is_honest_about_everywhere_nowhere_and_nothing() {
        let cols = columns();
        let everywhere = holding(&[&[S; 4], &[S; 4]]);
        assert!(
            holding_sentence("g", &everywhere, &cols, &[])
                .contains("hold (all supported) under every view, the default included")
        );
        let nowhere = holding(&[&[C; 4]]);
        assert_eq!(
            holding_sentence("g", &nowhere, &cols, &[1]),
            "The claim of g holds under no view: it is not supported under the default, anarchist_faq (own view), lessons or ward."
        );
        assert_eq!(
            holding_sentence("g", &holding(&[]), &cols, &[]),
            "No claim stands for g: the model is not asked about it here."
        );
        let single = [ViewColumn::default_parameters()];
        assert_eq!(
            holding_sentence("g", &Holding::of(1, &[&[S]]), &single, &[]),
            "The claim of g holds (supported) under the default, the only view tested."
        );
    }

    #[test]
    fn a_map_is_read_only_with_its_files_in_the_maps_folder() {
        let ok = r#"{"name": "ban", "description": "d", "contrast": 2, "claim": "c", "svg": "ban.svg", "png": "ban.png", "complete": false, "extra": 1}"#;
        let m = MapFigure::parse(ok).unwrap();
        assert_eq!(
            (m.contrast, m.svg.as_str(), m.complete),
            (1, "ban.svg", false)
        );
        assert_eq!(m.png.as_deref(), Some("ban.png"));
        for bad in [
            ok.replace("\"ban.svg\"", "\"../ban.svg\""),
            ok.replace("\"ban.png\"", "\"/etc/ban.png\""),
            ok.replace("\"contrast\": 2", "\"contrast\": 0"),
            ok.replace("\"contrast\": 2", "\"contrast\": 6"),
            ok.replace("\"contrast\": 2", "\"contrast\": -1"),
            ok.replace("\"claim\": \"c\",", ""),
            ok.replace("\"ban.svg\"", "\".hidden.svg\""),
            "not json".to_string(),
        ] {
            assert_eq!(MapFigure::parse(&bad), None, "{bad}");
        }
        let plain =
            MapFigure::parse(r#"{"name": "n", "contrast": 5, "claim": "c", "svg": "n.svg"}"#)
                .unwrap();
        assert!(plain.complete && plain.png.is_none() && plain.description.is_empty());
    }

    #[test]
    fn words_are_joined_as_a_sentence_lists_them() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_words(&w(&[]), "and"), "");
        assert_eq!(join_words(&w(&["a"]), "and"), "a");
        assert_eq!(join_words(&w(&["a", "b"]), "or"), "a or b");
        assert_eq!(join_words(&w(&["a", "b", "c"]), "and"), "a, b and c");
    }
}
