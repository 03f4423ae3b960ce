//! The record of the shared history (`scenarios/record/record.toml`): what happened, as the
//! five essays all accept it (or as some dispute it), each figure with its source and, where the
//! sources disagree, as an interval. A target is a metric's statistic over a window or at a
//! date, the share of replicates in which a metric crosses a level, the first date a
//! decision is taken, or, where the model has no metric that measures the same thing, a
//! figure the model cannot yet be held to (`needs`). [`parse`] reads and checks a record
//! with the same located diagnostics as the other formats; [`fit`] holds a finished run
//! against it.

pub mod fit;

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::claims::{ESSAYS, essay};
use crate::date::{Date, Precision};
use crate::format::{
    Diagnostics, Opened, is_short_id, open_with_defaults, report_duplicate_ids, suggest,
};
use crate::measure::{Cross, Measure, Statistic, Window};
use crate::metrics::METRIC_NAMES;
use crate::model::Decision;

/// Keys of the file, of `[[target]]` and of `[[target.source]]`.
pub const TOP_KEYS: [&str; 1] = ["target"];
pub const TARGET_KEYS: [&str; 17] = [
    "id",
    "what",
    "metric",
    "window",
    "at",
    "statistic",
    "relative_to",
    "level",
    "cross",
    "decision",
    "aimed_at",
    "needs",
    "low",
    "high",
    "source",
    "essays",
    "disputed_by",
];
pub const SOURCE_KEYS: [&str; 4] = ["author", "title", "year", "at"];

/// `[[target]]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSpec {
    id: Spanned<String>,
    what: Spanned<String>,
    #[serde(default)]
    metric: Option<Spanned<String>>,
    #[serde(default)]
    window: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    at: Option<Spanned<String>>,
    #[serde(default)]
    statistic: Option<Spanned<String>>,
    #[serde(default)]
    relative_to: Option<Spanned<String>>,
    #[serde(default)]
    level: Option<Spanned<f64>>,
    #[serde(default)]
    cross: Option<Spanned<Cross>>,
    #[serde(default)]
    decision: Option<Spanned<String>>,
    #[serde(default)]
    aimed_at: Option<Spanned<String>>,
    #[serde(default)]
    needs: Option<Spanned<String>>,
    #[serde(default)]
    low: Option<Spanned<toml::Value>>,
    #[serde(default)]
    high: Option<Spanned<toml::Value>>,
    source: Spanned<Vec<Spanned<SourceSpec>>>,
    essays: Spanned<toml::Value>,
    #[serde(default)]
    disputed_by: Vec<Spanned<String>>,
}

/// `[[target.source]]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    author: String,
    title: String,
    year: Spanned<i64>,
    at: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordSpec {
    target: Vec<Spanned<TargetSpec>>,
}

/// Where a source was published: the years a source of this history can carry.
const YEARS: std::ops::RangeInclusive<i64> = 1917..=2100;

/// A work a figure comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub author: String,
    pub title: String,
    pub year: u32,
    /// The table or pages.
    pub at: String,
}

impl Source {
    /// As `fit.csv` cites it: author, title, year, table or page.
    pub fn cite(&self) -> String {
        format!(
            "{}, {} ({}), {}",
            self.author, self.title, self.year, self.at
        )
    }
}

/// The record's own statistic, beside the claims' ([`Statistic::NAMES`]): the date on which
/// a metric is highest in a window.
pub const PEAK_DATE: &str = "peak_date";

/// What a target measures in a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Measured {
    /// A metric's statistic; with `probability`, the share of replicates in which the
    /// metric crosses the level. With `relative_to`, divided by the metric's value at that
    /// date in the same replicate: the record's figure as a ratio, where the model's scale is
    /// its own (the party's members are a larger share of the sample than of the country).
    Metric {
        measure: Measure,
        relative_to: Option<Window>,
    },
    /// The date of the first step on which a metric is highest in the window (its column).
    PeakDate { metric: usize, window: Window },
    /// The first date the decision is taken (aimed at `aimed_at`, when given).
    Decision {
        decision: Decision,
        aimed_at: Option<String>,
    },
    /// Not yet measurable: what the model would need.
    Needs(String),
}

/// The record's interval: numbers in the statistic's unit, or months (from the first day
/// of the first to the last day of the last), or none for a target not yet measurable
/// that gives none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Interval {
    Numbers(f64, f64),
    Dates(Date, Date),
    None,
}

/// Which essays accept a target.
#[derive(Clone, Debug, PartialEq)]
pub enum Essays {
    All,
    /// Indices into [`ESSAYS`].
    Some(Vec<usize>),
}

/// A checked target.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub id: String,
    pub what: String,
    pub measured: Measured,
    pub interval: Interval,
    pub sources: Vec<Source>,
    pub essays: Essays,
    /// Indices into [`ESSAYS`].
    pub disputed_by: Vec<usize>,
}

impl Target {
    /// The essays that accept the target as `fit.csv` writes them: `all`, or their short
    /// names; the essays that dispute it follow after `disputed by`.
    pub fn essays_text(&self) -> String {
        let short = |k: &usize| ESSAYS[*k].1;
        let mut text = match &self.essays {
            Essays::All => "all".to_string(),
            Essays::Some(list) => list.iter().map(short).collect::<Vec<_>>().join("; "),
        };
        if !self.disputed_by.is_empty() {
            text.push_str(&format!(
                "; disputed by {}",
                self.disputed_by
                    .iter()
                    .map(short)
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        text
    }

    /// The sources as `fit.csv` cites them.
    pub fn sources_text(&self) -> String {
        self.sources
            .iter()
            .map(Source::cite)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A checked record.
#[derive(Clone, Debug)]
pub struct Record {
    pub file: String,
    pub targets: Vec<Target>,
}

fn allowed(path: &[&str]) -> Option<Vec<String>> {
    let own = |keys: &[&str]| Some(keys.iter().map(|k| k.to_string()).collect());
    match path {
        [] => own(&TOP_KEYS),
        ["target"] => own(&TARGET_KEYS),
        ["target", "source"] => own(&SOURCE_KEYS),
        // Values whose shape the checks below judge, with their own messages.
        ["target", "low" | "high" | "essays" | "window", ..] => None,
        _ => Some(Vec::new()),
    }
}

/// No whole number of a record is bounded by its type but the year, which says so itself.
fn too_large(_key: &str, _found: i128, _most: u64) -> Option<String> {
    None
}

/// The stand-in for a wrong-typed name of a closed set (`statistic = 3`), by the dotted key
/// without its indices, so that the search for wrong values goes on past it: the first
/// name, as serde's own stand-in for a misspelt one is.
fn default_of(key: &str) -> Option<&'static str> {
    let plain: String = key
        .split('.')
        .map(|part| part.split('[').next().unwrap_or(part))
        .collect::<Vec<_>>()
        .join(".");
    match plain.as_str() {
        "target.statistic" => Some("\"mean\""),
        "target.cross" => Some("\"above\""),
        _ => None,
    }
}

/// Where the checks of one target send a problem: its span, its key within the target, and
/// the message.
type Report<'a> = dyn FnMut(Range<usize>, &str, String) + 'a;

/// Parses and checks a record; `file` names it in diagnostics. Every problem is reported,
/// with its line, column and key.
pub fn parse(text: &str, file: &str) -> Result<Record, Diagnostics> {
    let Opened {
        spec,
        map,
        mut found,
    } = open_with_defaults::<RecordSpec>(text, file, &allowed, &too_large, &default_of)?;
    let mut targets = Vec::new();
    for (index, spanned) in spec.target.iter().enumerate() {
        let mut at = |span: Range<usize>, key: &str, message: String| {
            found.push(map.diagnostic(
                Some(span),
                Some(&format!("target[{index}].{key}")),
                message,
            ));
        };
        targets.extend(target(spanned, &mut at));
    }
    let ids = spec.target.iter().map(|t| &t.get_ref().id);
    report_duplicate_ids(ids, "target.id", "target", &map, &mut found);
    if found.is_empty() {
        Ok(Record {
            file: file.to_string(),
            targets,
        })
    } else {
        found.sort_by_key(|d| (d.line, d.column));
        Err(Diagnostics::new(found))
    }
}

/// One `[[target]]` checked; `None` when it has a problem (reported through `at`).
fn target(spanned: &Spanned<TargetSpec>, at: &mut Report) -> Option<Target> {
    let t = spanned.get_ref();
    let mut ok = true;
    if !is_short_id(t.id.get_ref()) {
        at(
            t.id.span(),
            "id",
            "expected an id of 1 to 64 lowercase letters, digits, `-` and `_`".to_string(),
        );
        ok = false;
    }
    if t.what.get_ref().trim().is_empty() {
        at(
            t.what.span(),
            "what",
            "expected what the target is, in plain words".to_string(),
        );
        ok = false;
    }
    let sources = sources(&t.source, at);
    let essays = essays(&t.essays, at);
    let disputed_by = disputed_by(&t.disputed_by, essays.as_ref(), at);
    let measured = measured(spanned, at);
    // The interval is checked for the kind of target written, even when its metric or
    // decision is misnamed, so that its own mistakes are reported in the same run.
    let kind = if t.decision.is_some()
        || (t.metric.is_some()
            && t.statistic
                .as_ref()
                .is_some_and(|s| s.get_ref() == PEAK_DATE))
    {
        Kind::Dated
    } else if t.needs.is_some() && t.metric.is_none() {
        Kind::Needs
    } else {
        Kind::Metric
    };
    let interval = interval(t, kind, spanned.span(), at);
    let (Some(sources), Some(essays), Some(disputed_by), Some(measured), Some(interval)) =
        (sources, essays, disputed_by, measured, interval)
    else {
        return None;
    };
    ok.then(|| Target {
        id: t.id.get_ref().clone(),
        what: t.what.get_ref().trim().to_string(),
        measured,
        interval,
        sources,
        essays,
        disputed_by,
    })
}

/// The target's sources: at least one, each with an author, a title, a year and the table
/// or pages.
fn sources(list: &Spanned<Vec<Spanned<SourceSpec>>>, at: &mut Report) -> Option<Vec<Source>> {
    if list.get_ref().is_empty() {
        at(
            list.span(),
            "source",
            "expected at least one source: { author = \"...\", title = \"...\", year = 1968, at = \"p. 52\" }".to_string(),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (k, s) in list.get_ref().iter().enumerate() {
        let spec = s.get_ref();
        for (key, value) in [
            ("author", &spec.author),
            ("title", &spec.title),
            ("at", &spec.at),
        ] {
            if value.trim().is_empty() {
                // Indexed as serde's own diagnostics are, so that a check of the stand-in
                // for a wrong-typed value is known for the same value and dropped.
                at(
                    s.span(),
                    &format!("source[{k}].{key}"),
                    format!(
                        "expected the source's {}",
                        match key {
                            "author" => "author (or the body that issued it)",
                            "title" => "title",
                            _ => "table or pages the figure is on",
                        }
                    ),
                );
                ok = false;
            }
        }
        let year = *spec.year.get_ref();
        if !YEARS.contains(&year) {
            at(
                spec.year.span(),
                &format!("source[{k}].year"),
                format!(
                    "expected the year the source was published, {} to {}; found {year}",
                    YEARS.start(),
                    YEARS.end()
                ),
            );
            ok = false;
        }
        out.push(Source {
            author: spec.author.trim().to_string(),
            title: spec.title.trim().to_string(),
            year: year.clamp(0, u32::MAX as i64) as u32,
            at: spec.at.trim().to_string(),
        });
    }
    ok.then_some(out)
}

const ESSAYS_EXPECTED: &str =
    "expected \"all\" or a list of the titles of the essays that accept the target";

/// `essays`: `"all"`, or a list of titles, each once.
fn essays(value: &Spanned<toml::Value>, at: &mut Report) -> Option<Essays> {
    match value.get_ref() {
        toml::Value::String(s) if s == "all" => Some(Essays::All),
        toml::Value::Array(items) if !items.is_empty() => {
            let mut list = Vec::new();
            let mut ok = true;
            for item in items {
                match item.as_str().map(essay) {
                    Some(Ok(k)) if list.contains(&k) => {
                        at(
                            value.span(),
                            "essays",
                            format!("`{}` is listed twice", ESSAYS[k].0),
                        );
                        ok = false;
                    }
                    Some(Ok(k)) => list.push(k),
                    Some(Err(message)) => {
                        at(value.span(), "essays", message);
                        ok = false;
                    }
                    None => {
                        at(value.span(), "essays", ESSAYS_EXPECTED.to_string());
                        ok = false;
                    }
                }
            }
            if ok && list.len() == ESSAYS.len() {
                at(
                    value.span(),
                    "essays",
                    "all five essays are listed: write `essays = \"all\"`".to_string(),
                );
                ok = false;
            }
            ok.then_some(Essays::Some(list))
        }
        _ => {
            at(value.span(), "essays", ESSAYS_EXPECTED.to_string());
            None
        }
    }
}

/// The essays that dispute a target: none of them may also accept it.
fn disputed_by(
    titles: &[Spanned<String>],
    essays: Option<&Essays>,
    at: &mut Report,
) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut ok = true;
    for title in titles {
        match essay(title.get_ref()) {
            Ok(k) => {
                let accepts = match essays {
                    Some(Essays::All) => true,
                    Some(Essays::Some(list)) => list.contains(&k),
                    None => false,
                };
                if accepts {
                    at(
                        title.span(),
                        "disputed_by",
                        format!(
                            "`{}` cannot both accept the target (in `essays`) and dispute it; list only the essays that accept it in `essays`",
                            ESSAYS[k].0
                        ),
                    );
                    ok = false;
                } else {
                    out.push(k);
                }
            }
            Err(message) => {
                at(title.span(), "disputed_by", message);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// What the target measures: exactly one of `metric`, `decision` and `needs`, with the
/// keys that kind takes and no others.
fn measured(spanned: &Spanned<TargetSpec>, at: &mut Report) -> Option<Measured> {
    let t = spanned.get_ref();
    let kinds = [
        t.metric.as_ref().map(|m| ("metric", m.span())),
        t.decision.as_ref().map(|d| ("decision", d.span())),
        t.needs.as_ref().map(|n| ("needs", n.span())),
    ];
    let given: Vec<&(&str, Range<usize>)> = kinds.iter().flatten().collect();
    match given.as_slice() {
        [] => {
            at(
                t.id.span(),
                "metric",
                "missing what the target measures: `metric` (a metric's statistic), `decision` (the first date a decision is taken) or `needs` (what the model lacks to measure it)".to_string(),
            );
            None
        }
        [(_, _)] => {
            if let Some(m) = &t.metric {
                metric_target(t, m, at)
            } else if let Some(d) = &t.decision {
                decision_target(t, d, at)
            } else {
                let n = t.needs.as_ref()?;
                let metric_keys = [
                    ("window", t.window.as_ref().map(|w| w.span())),
                    ("at", t.at.as_ref().map(|w| w.span())),
                    ("statistic", t.statistic.as_ref().map(|w| w.span())),
                    ("relative_to", t.relative_to.as_ref().map(|w| w.span())),
                    ("aimed_at", t.aimed_at.as_ref().map(|w| w.span())),
                ];
                let mut ok = true;
                for (key, span) in metric_keys {
                    if let Some(span) = span {
                        at(
                            span,
                            key,
                            format!(
                                "a target the model cannot yet measure (`needs`) takes no `{key}`"
                            ),
                        );
                        ok = false;
                    }
                }
                if n.get_ref().trim().is_empty() {
                    at(
                        n.span(),
                        "needs",
                        "expected what the model lacks to measure the target (a metric, a mechanism)".to_string(),
                    );
                    ok = false;
                }
                ok.then(|| Measured::Needs(n.get_ref().trim().to_string()))
            }
        }
        [(first, _), (second, span), ..] => {
            at(
                span.clone(),
                second,
                format!(
                    "give one of `metric`, `decision` and `needs`, not both `{first}` and `{second}`"
                ),
            );
            None
        }
    }
}

/// A metric target: the metric, its window (or date) and its statistic.
fn metric_target(t: &TargetSpec, name: &Spanned<String>, at: &mut Report) -> Option<Measured> {
    let mut ok = true;
    let metric = match METRIC_NAMES.iter().position(|m| m == name.get_ref()) {
        Some(k) => k,
        None => {
            at(
                name.span(),
                "metric",
                format!(
                    "unknown metric `{}`{}; expected one of {}",
                    name.get_ref(),
                    suggest(name.get_ref(), METRIC_NAMES),
                    METRIC_NAMES.join(", ")
                ),
            );
            ok = false;
            0
        }
    };
    if let Some(a) = &t.aimed_at {
        at(
            a.span(),
            "aimed_at",
            "`aimed_at` names the target of a decision; a metric target takes none".to_string(),
        );
        ok = false;
    }
    let window = window(t, name.span(), at);
    let names = || format!("{}, {PEAK_DATE}", Statistic::NAMES.join(", "));
    // `None` for the record's own `peak_date`.
    let statistic = match (&t.statistic, &window) {
        (Some(s), _) if s.get_ref() == PEAK_DATE => None,
        (Some(s), _) => match Statistic::ALL.iter().find(|x| x.name() == s.get_ref()) {
            Some(x) => Some(*x),
            None => {
                let mut all: Vec<&str> = Statistic::NAMES.to_vec();
                all.push(PEAK_DATE);
                at(
                    s.span(),
                    "statistic",
                    format!(
                        "unknown statistic `{}`{}; expected one of {}",
                        s.get_ref(),
                        suggest(s.get_ref(), all.iter().copied()),
                        names()
                    ),
                );
                ok = false;
                Some(Statistic::Mean)
            }
        },
        // At one date every statistic but the events' is the value there.
        (None, Some(w)) if w.single => Some(Statistic::Final),
        (None, _) => {
            at(
                name.span(),
                "statistic",
                format!(
                    "missing key `statistic`: how the window is reduced to one number ({})",
                    names()
                ),
            );
            ok = false;
            Some(Statistic::Mean)
        }
    };
    let needs_level = statistic.is_some_and(Statistic::needs_level);
    let statistic_name = statistic.map_or(PEAK_DATE, Statistic::name);
    let level = match (&t.level, needs_level) {
        (Some(l), true) if l.get_ref().is_finite() => *l.get_ref(),
        (Some(l), true) => {
            at(l.span(), "level", "expected a finite number".to_string());
            ok = false;
            0.0
        }
        (None, true) => {
            at(
                name.span(),
                "level",
                format!(
                    "statistic `{statistic_name}` needs a `level`: the value whose crossing is the event"
                ),
            );
            ok = false;
            0.0
        }
        (Some(l), false) => {
            at(
                l.span(),
                "level",
                format!(
                    "statistic `{statistic_name}` takes no `level` (only time_to_cross and probability do)"
                ),
            );
            ok = false;
            0.0
        }
        (None, false) => 0.0,
    };
    if let (Some(c), false) = (&t.cross, needs_level) {
        at(
            c.span(),
            "cross",
            format!(
                "statistic `{statistic_name}` takes no `cross` (only time_to_cross and probability do)"
            ),
        );
        ok = false;
    }
    let relative_to = match (&t.relative_to, statistic) {
        (None, _) => None,
        (Some(r), Some(s)) if !matches!(s, Statistic::TimeToCross | Statistic::Probability) => {
            match date(r, false, "relative_to", at) {
                Some(first) => Some(Window {
                    first,
                    last: first,
                    single: true,
                }),
                None => {
                    ok = false;
                    None
                }
            }
        }
        (Some(r), _) => {
            at(
                r.span(),
                "relative_to",
                format!(
                    "statistic `{statistic_name}` takes no `relative_to`: only a statistic in the metric's own unit (mean, final, peak, trough) can be divided by the metric's value at a date"
                ),
            );
            ok = false;
            None
        }
    };
    let window = window?;
    ok.then(|| match statistic {
        None => Measured::PeakDate { metric, window },
        Some(statistic) => Measured::Metric {
            measure: Measure {
                metric,
                window,
                statistic,
                level,
                cross: t.cross.as_ref().map(|c| *c.get_ref()).unwrap_or_default(),
            },
            relative_to,
        },
    })
}

/// A date of a window; an end given as a month covers the whole month.
fn date(text: &Spanned<String>, end: bool, key: &str, at: &mut Report) -> Option<Date> {
    match Date::parse(text.get_ref()) {
        Ok((d, Precision::Month)) if end => Some(d.end_of_month()),
        Ok((d, _)) => Some(d),
        Err(e) => {
            at(text.span(), key, e.to_string());
            None
        }
    }
}

/// A metric target's window, from `window` or `at`.
fn window(t: &TargetSpec, near: Range<usize>, at: &mut Report) -> Option<Window> {
    match (&t.window, &t.at) {
        (Some(w), None) => match w.get_ref().as_slice() {
            [a, b] => {
                let first = date(a, false, "window", at);
                let last = date(b, true, "window", at);
                match (first, last) {
                    (Some(first), Some(last)) if first <= last => Some(Window {
                        first,
                        last,
                        single: false,
                    }),
                    (Some(_), Some(_)) => {
                        at(
                            w.span(),
                            "window",
                            "the window ends before it starts".to_string(),
                        );
                        None
                    }
                    _ => None,
                }
            }
            _ => {
                at(
                    w.span(),
                    "window",
                    "expected two dates, [\"YYYY-MM\", \"YYYY-MM\"]: the first and the last month (or day) of the window".to_string(),
                );
                None
            }
        },
        (None, Some(d)) => date(d, false, "at", at).map(|first| Window {
            first,
            last: first,
            single: true,
        }),
        (Some(w), Some(_)) => {
            at(
                w.span(),
                "window",
                "give either `window` (a range of dates) or `at` (one date), not both".to_string(),
            );
            None
        }
        (None, None) => {
            at(
                near,
                "window",
                "missing key `window` (a range of dates) or `at` (one date)".to_string(),
            );
            None
        }
    }
}

/// A decision target: the decision's name, and the party or faction it is aimed at.
fn decision_target(t: &TargetSpec, name: &Spanned<String>, at: &mut Report) -> Option<Measured> {
    let mut ok = true;
    for (key, span) in [
        ("window", t.window.as_ref().map(|w| w.span())),
        ("at", t.at.as_ref().map(|w| w.span())),
        ("statistic", t.statistic.as_ref().map(|w| w.span())),
        ("relative_to", t.relative_to.as_ref().map(|w| w.span())),
        ("level", t.level.as_ref().map(|w| w.span())),
        ("cross", t.cross.as_ref().map(|w| w.span())),
    ] {
        if let Some(span) = span {
            at(
                span,
                key,
                format!(
                    "a decision target (the first date the decision is taken) takes no `{key}`"
                ),
            );
            ok = false;
        }
    }
    let decision = Decision::parse(name.get_ref());
    if decision.is_none() {
        at(
            name.span(),
            "decision",
            format!(
                "unknown decision `{}`{}; expected one of {}",
                name.get_ref(),
                suggest(name.get_ref(), Decision::NAMES),
                Decision::NAMES.join(", ")
            ),
        );
        ok = false;
    }
    if let Some(a) = &t.aimed_at
        && !crate::format::is_id(a.get_ref())
    {
        at(
            a.span(),
            "aimed_at",
            "expected the name of a party, a faction or a purge's target, as decisions.csv writes it (lowercase letters, digits, `-` and `_`)".to_string(),
        );
        ok = false;
    }
    let decision = decision?;
    ok.then(|| Measured::Decision {
        decision,
        aimed_at: t.aimed_at.as_ref().map(|a| a.get_ref().clone()),
    })
}

/// The kind of a target as written, which says what its interval holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Metric,
    /// A decision's first date, or the date of a metric's peak.
    Dated,
    Needs,
}

/// The record's interval, in the kind the target needs: numbers for a metric, months for a
/// decision or a peak's date, optional for a target not yet measurable.
fn interval(t: &TargetSpec, kind: Kind, whole: Range<usize>, at: &mut Report) -> Option<Interval> {
    let (low, high) = match (&t.low, &t.high) {
        (Some(l), Some(h)) => (l, h),
        (None, None) if kind == Kind::Needs => return Some(Interval::None),
        (l, h) => {
            let missing = if l.is_none() { "low" } else { "high" };
            let span = l
                .as_ref()
                .or(h.as_ref())
                .map_or(whole, |v: &Spanned<toml::Value>| v.span());
            at(
                span,
                missing,
                format!(
                    "missing key `{missing}`: the record's interval needs both `low` and `high` (the same value twice where the sources agree)"
                ),
            );
            return None;
        }
    };
    // A figure the model cannot yet measure may be a date too (when a party broke away).
    let dates = match kind {
        Kind::Dated => true,
        Kind::Needs => low.get_ref().is_str(),
        Kind::Metric => false,
    };
    match dates {
        true => {
            let month = |v: &Spanned<toml::Value>, key: &str, end: bool, at: &mut Report| {
                let wrong = |at: &mut Report| {
                    at(
                        v.span(),
                        key,
                        format!(
                            "expected a date in quotes, \"YYYY-MM\", the {} month the record allows for the decision or the peak",
                            if end { "last" } else { "first" }
                        ),
                    )
                };
                match v.get_ref() {
                    toml::Value::String(s) => {
                        date(&Spanned::new(v.span(), s.clone()), end, key, at)
                    }
                    _ => {
                        wrong(at);
                        None
                    }
                }
            };
            let (first, last) = (month(low, "low", false, at), month(high, "high", true, at));
            let (first, last) = (first?, last?);
            if first > last {
                at(
                    high.span(),
                    "high",
                    "the record's interval ends before it starts".to_string(),
                );
                return None;
            }
            Some(Interval::Dates(first, last))
        }
        false => {
            let number = |v: &Spanned<toml::Value>, key: &str, at: &mut Report| match v.get_ref() {
                toml::Value::Float(x) if x.is_finite() => Some(*x),
                toml::Value::Integer(n) => Some(*n as f64),
                _ => {
                    at(
                        v.span(),
                        key,
                        "expected a finite number, in the unit of the target's statistic"
                            .to_string(),
                    );
                    None
                }
            };
            let (l, h) = (number(low, "low", at), number(high, "high", at));
            let (l, h) = (l?, h?);
            if l > h {
                at(
                    high.span(),
                    "high",
                    format!("the record's interval ends before it starts ({l} to {h})"),
                );
                return None;
            }
            Some(Interval::Numbers(l, h))
        }
    }
}

#[cfg(test)]
mod tests;
