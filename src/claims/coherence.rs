//! The claims under several sets of assumptions at once: the model's default parameters and
//! each essay's view of the mechanisms (`scenarios/views/`). A [`ViewColumn`] is one such
//! set; [`coherence`] counts each essay's verdicts under each of them (`coherence.csv`),
//! which is the table a class argues over: an essay whose claims fail under its own view is
//! at odds with itself in the model, and a claim that holds under every view is one the
//! essays need not dispute. [`Holding`] says, for a group of claims (a side of a contrast),
//! under which columns all, some or none of them are supported.

use super::ESSAYS;
use super::evaluate::Verdict;
use crate::scenario::View;

/// The name of the column of the model's default parameters, in `claims.csv` and
/// `coherence.csv`. A view may not take it (a view file that does is refused when read).
pub const DEFAULT: &str = crate::scenario::DEFAULT_VIEW;

/// One set of assumptions the claims are evaluated under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewColumn {
    /// [`DEFAULT`], or the view's name.
    pub name: String,
    /// What the column reads: the essay the view names, as it names it (for the default,
    /// a few words saying so).
    pub reads: String,
    /// The essay whose reading the view is, when it names one of the five by its title
    /// (index into [`ESSAYS`]).
    pub essay: Option<usize>,
}

impl ViewColumn {
    /// The model's default parameters.
    pub fn default_parameters() -> ViewColumn {
        ViewColumn {
            name: DEFAULT.to_string(),
            reads: "the model's defaults".to_string(),
            essay: None,
        }
    }

    /// A view's column.
    pub fn of(view: &View) -> ViewColumn {
        ViewColumn {
            name: view.name.clone(),
            reads: view.essay.clone(),
            essay: essay_of(&view.essay),
        }
    }

    /// The essay's short name when the view names one of the five, else what it reads.
    pub fn reads_short(&self) -> &str {
        self.essay.map_or(self.reads.as_str(), |k| ESSAYS[k].1)
    }
}

/// The essay a view's `essay` names: one of the five titles exactly (docs/scenarios.md
/// asks views to give the title as docs/claims.md lists it). Loose matching would let a
/// view be read as the wrong essay's.
pub fn essay_of(title: &str) -> Option<usize> {
    ESSAYS.iter().position(|(t, _)| *t == title.trim())
}

/// The column of an essay's own view: the first whose view names the essay.
pub fn own_view(columns: &[ViewColumn], essay: usize) -> Option<usize> {
    columns.iter().position(|c| c.essay == Some(essay))
}

/// One row of `coherence.csv`: an essay's claims under one column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Index into [`ESSAYS`].
    pub essay: usize,
    /// The name of the essay's own view among the columns, if it has one.
    pub essay_view: Option<String>,
    /// The column's name.
    pub view: String,
    /// How many claims the essay makes.
    pub claims: usize,
    /// Their verdicts under the column, counted in [`Verdict::ALL`] order.
    pub counts: [usize; 4],
}

/// A claim as the coherence table sees it: its essay and its verdict under each column
/// (in the columns' order).
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimVerdicts {
    pub source: usize,
    pub verdicts: Vec<Verdict>,
}

/// For each essay (in [`ESSAYS`] order) and each column (in order), its claims' verdicts
/// counted.
pub fn coherence(columns: &[ViewColumn], claims: &[ClaimVerdicts]) -> Vec<Row> {
    let mut rows = Vec::with_capacity(ESSAYS.len() * columns.len());
    for essay in 0..ESSAYS.len() {
        let mine: Vec<&ClaimVerdicts> = claims.iter().filter(|c| c.source == essay).collect();
        let essay_view = own_view(columns, essay).map(|k| columns[k].name.clone());
        for (k, column) in columns.iter().enumerate() {
            let mut counts = [0; 4];
            for verdict in mine.iter().filter_map(|c| c.verdicts.get(k)) {
                if let Some(i) = Verdict::ALL.iter().position(|v| v == verdict) {
                    counts[i] += 1;
                }
            }
            rows.push(Row {
                essay,
                essay_view: essay_view.clone(),
                view: column.name.clone(),
                claims: mine.len(),
                counts,
            });
        }
    }
    rows
}

/// `coherence.csv`: `essay,essay_view,view,claims,supported,contradicted,negligible,inconclusive`,
/// the essay by its title and `essay_view` empty when the essay has no view of its own.
pub fn csv(rows: &[Row]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["essay", "essay_view", "view", "claims"];
    header.extend(Verdict::ALL.iter().map(|v| v.name()));
    w.write_record(&header)?;
    for r in rows {
        let mut record = vec![
            ESSAYS[r.essay].0.to_string(),
            r.essay_view.clone().unwrap_or_default(),
            r.view.clone(),
            r.claims.to_string(),
        ];
        record.extend(r.counts.iter().map(|n| n.to_string()));
        w.write_record(&record)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Under which columns a group of claims holds: for each column, how many of the claims
/// are supported under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    /// How many claims the group has.
    pub claims: usize,
    /// Per column, how many of them are supported.
    pub supported: Vec<usize>,
}

impl Holding {
    /// The group's claims, each with its verdicts under every column.
    pub fn of(columns: usize, verdicts: &[&[Verdict]]) -> Holding {
        Holding {
            claims: verdicts.len(),
            supported: (0..columns)
                .map(|k| {
                    verdicts
                        .iter()
                        .filter(|v| v.get(k) == Some(&Verdict::Supported))
                        .count()
                })
                .collect(),
        }
    }

    /// The columns under which every claim is supported (none for an empty group).
    pub fn all(&self) -> Vec<usize> {
        self.columns_where(|n| self.claims > 0 && n == self.claims)
    }

    /// The columns under which some but not all are.
    pub fn some(&self) -> Vec<usize> {
        self.columns_where(|n| n > 0 && n < self.claims)
    }

    /// The columns under which none is.
    pub fn none(&self) -> Vec<usize> {
        self.columns_where(|n| n == 0)
    }

    fn columns_where(&self, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        (0..self.supported.len())
            .filter(|&k| keep(self.supported[k]))
            .collect()
    }
}

/// The claims (by index) supported under every column: those the essays' assumptions do
/// not divide in the model.
pub fn held_everywhere(claims: &[ClaimVerdicts], columns: usize) -> Vec<usize> {
    (0..claims.len())
        .filter(|&k| {
            columns > 0
                && (0..columns).all(|c| claims[k].verdicts.get(c) == Some(&Verdict::Supported))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verdict::{Contradicted as C, Inconclusive as I, Negligible as N, Supported as S};

    fn column(name: &str, essay: Option<usize>) -> ViewColumn {
        ViewColumn {
            name: name.to_string(),
            reads: String::new(),
            essay,
        }
    }

    fn columns() -> Vec<ViewColumn> {
        vec![
            ViewColumn::default_parameters(),
            column("anarchist_faq", Some(3)),
            column("lessons", Some(0)),
        ]
    }

    #[test]
    fn each_essay_is_counted_under_each_column_in_order() {
        let claims = [
            ClaimVerdicts {
                source: 0,
                verdicts: vec![S, C, S],
            },
            ClaimVerdicts {
                source: 0,
                verdicts: vec![I, N, S],
            },
            ClaimVerdicts {
                source: 3,
                verdicts: vec![C, S, C],
            },
        ];
        let rows = coherence(&columns(), &claims);
        assert_eq!(rows.len(), ESSAYS.len() * 3);
        // Lessons first, its own view named on each of its rows.
        assert_eq!(
            rows[0],
            Row {
                essay: 0,
                essay_view: Some("lessons".into()),
                view: "default".into(),
                claims: 2,
                counts: [1, 0, 0, 1],
            }
        );
        assert_eq!(rows[1].counts, [0, 1, 1, 0]);
        assert_eq!(rows[2].counts, [2, 0, 0, 0]);
        // An essay with no claims and no view: zeros, no view.
        assert_eq!(rows[3].essay, 1);
        assert_eq!((rows[3].claims, rows[3].counts), (0, [0; 4]));
        assert_eq!(rows[3].essay_view, None);
        let faq = &rows[9..12];
        assert!(faq.iter().all(|r| r.essay == 3 && r.claims == 1));
        assert_eq!(faq[1].counts, [1, 0, 0, 0]);
        let text = csv(&rows).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("essay,essay_view,view,claims,supported,contradicted,negligible,inconclusive")
        );
        assert_eq!(
            lines.next(),
            Some(
                "Lessons of Party and Class from the Russian Revolution,lessons,default,2,1,0,0,1"
            )
        );
        assert_eq!(
            text.lines().nth(4),
            Some("(Help or Hindrance?),,default,0,0,0,0,0")
        );
        assert_eq!(text.lines().count(), 1 + ESSAYS.len() * 3);
    }

    #[test]
    fn a_view_is_an_essays_own_only_by_its_exact_title() {
        assert_eq!(essay_of("(Help or Hindrance?)"), Some(1));
        assert_eq!(essay_of(" (Help or Hindrance?) "), Some(1));
        assert_eq!(essay_of("Help or Hindrance"), None);
        assert_eq!(essay_of("Lessons of Party and Class"), None);
        assert_eq!(own_view(&columns(), 0), Some(2));
        assert_eq!(own_view(&columns(), 1), None);
        assert_eq!(
            ViewColumn::default_parameters().reads_short(),
            "the model's defaults"
        );
        assert_eq!(column("x", Some(2)).reads_short(), "C. D. Ward");
    }

    #[test]
    fn a_group_holds_where_all_its_claims_are_supported() {
        let a = [S, S, C];
        let b = [S, I, C];
        let h = Holding::of(3, &[&a, &b]);
        assert_eq!(h.supported, vec![2, 1, 0]);
        assert_eq!((h.all(), h.some(), h.none()), (vec![0], vec![1], vec![2]));
        // An empty group holds nowhere and fails nowhere.
        let empty = Holding::of(3, &[]);
        assert!(empty.all().is_empty() && empty.some().is_empty());
        assert_eq!(empty.none(), vec![0, 1, 2]);
        // Missing verdicts count as not supported.
        let short = [S];
        assert_eq!(Holding::of(2, &[&short]).supported, vec![1, 0]);
        let claims = [
            ClaimVerdicts {
                source: 0,
                verdicts: vec![S, S],
            },
            ClaimVerdicts {
                source: 0,
                verdicts: vec![S, N],
            },
        ];
        assert_eq!(held_everywhere(&claims, 2), vec![0]);
        assert!(held_everywhere(&claims, 0).is_empty());
    }
}
