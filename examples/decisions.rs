//! The leadership's decisions in an ensemble, for calibration: for each decision, how many
//! replicates took it, when they first did, and the calibration windows of docs/model.md;
//! then a few period means of the metrics the calibration looks at.
//!
//! `cargo run --release --example decisions -- FILE [REPLICATES] [MECHANISM=VALUE ...]`
//! (a mechanism or any other `[rules.leadership]` key, set at the start).

use rayon::prelude::*;
use sovsim::calibration::windows;
use sovsim::ensemble::run_replicate;
use sovsim::metrics::METRIC_NAMES;
use sovsim::model::Decision;
use sovsim::scenario::Scenario;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = &args[0];
    let replicates: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(16);
    let dir = std::path::Path::new(path).parent().unwrap().to_path_buf();
    let text = std::fs::read_to_string(path).unwrap();
    let resolve = move |_: &str, parent: &str| {
        let file = dir.join(parent);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        Ok((file.display().to_string(), text))
    };
    let mut scenario = Scenario::parse_with(&text, path, &resolve).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    for set in args.iter().skip(2) {
        let (key, value) = set.split_once('=').expect("KEY=VALUE");
        let value: f64 = value.parse().expect("a number");
        scenario.rules = scenario
            .rules
            .with_set(
                &format!("rules.leadership.{key}"),
                &toml::Value::Float(value),
            )
            .expect("a [rules.leadership] key");
    }
    if let Ok(list) = std::env::var("FORBID") {
        for name in list.split(',') {
            let d = Decision::parse(name).expect("a decision name");
            scenario
                .decisions
                .set(d, sovsim::model::DecisionMode::Forbidden);
        }
    }
    if std::env::var("TRACE").is_ok() {
        trace(&scenario);
    }
    let results: Vec<_> = (0..replicates)
        .into_par_iter()
        .map(|r| run_replicate(&scenario, scenario.seed, r))
        .collect();
    let calendar = scenario.calendar;
    if let Ok(period) = std::env::var("SUMMARY") {
        let (from, to) = period.split_once("..").expect("FROM..TO");
        for (k, name) in METRIC_NAMES.iter().enumerate() {
            let means: Vec<f64> = results
                .iter()
                .map(|r| {
                    let (mut sum, mut n) = (0.0, 0);
                    for (step, row) in r.rows.iter().enumerate() {
                        let date = calendar.date(step as u32).to_string();
                        if date.as_str() >= from && &date[..7] <= to {
                            sum += row[k];
                            n += 1;
                        }
                    }
                    sum / n.max(1) as f64
                })
                .collect();
            let m = means.iter().sum::<f64>() / means.len() as f64;
            let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>()
                / (means.len() as f64 - 1.0).max(1.0);
            println!(
                "{name:<20} {m:>9.4} +- {:.4}",
                (var / means.len() as f64).sqrt()
            );
        }
        return;
    }
    println!("{:<20} {:>5}  first dates", "decision", "taken");
    for d in Decision::ALL {
        let firsts: Vec<String> = results
            .iter()
            .filter_map(|r| {
                r.decisions
                    .iter()
                    .find(|x| x.decision == d)
                    .map(|x| calendar.date(x.step).month())
            })
            .collect();
        let mut firsts = firsts;
        firsts.sort();
        let times: usize = results
            .iter()
            .map(|r| r.decisions.iter().filter(|x| x.decision == d).count())
            .sum();
        println!(
            "{:<20} {:>2}/{:<2} x{:<3} {}",
            d.name(),
            firsts.len(),
            replicates,
            times,
            firsts.join(" ")
        );
    }
    println!();
    for w in windows() {
        let inside = results
            .iter()
            .filter(|r| w.holds(&r.decisions, calendar))
            .count();
        println!("{:<60} {:>2}/{}", w.describe(), inside, replicates);
    }
    println!();
    if let Some(r) = results.first() {
        for x in r.decisions.iter().take(60) {
            println!(
                "  {} {:<20} {:<18} {}",
                calendar.date(x.step).month(),
                x.decision.name(),
                x.target,
                x.why
            );
        }
    }
    let periods = [
        ("1918", "1918-01", "1918-12"),
        ("1919-20", "1919-01", "1920-12"),
        ("1921", "1921-01", "1921-12"),
        ("1923", "1923-01", "1923-12"),
        ("1923-27", "1923-01", "1927-12"),
        ("1928-30", "1928-01", "1930-12"),
    ];
    print!("\n{:<20}", "metric");
    for p in periods {
        print!(" {:>8}", p.0);
    }
    println!();
    for (k, name) in METRIC_NAMES.iter().enumerate() {
        print!("{name:<20}");
        for (_, from, to) in periods {
            let (mut sum, mut n) = (0.0, 0);
            for r in &results {
                for (step, row) in r.rows.iter().enumerate() {
                    let date = calendar.date(step as u32).to_string();
                    if date.as_str() >= from && &date[..7] <= to {
                        sum += row[k];
                        n += 1;
                    }
                }
            }
            print!(" {:>8.3}", sum / n.max(1) as f64);
        }
        println!();
    }
}

/// Replicate 0 step by step: each decision's largest pressure over its bar in each half
/// year, whether or not it was available.
fn trace(scenario: &Scenario) {
    use sovsim::rules::leadership::{precedent_factor, pressure, terms};
    let mut rng = sovsim::rng::replicate_stream(scenario.seed, 0);
    let mut world = sovsim::model::World::build(&scenario.setup(), &mut rng);
    // Columns of TRACE weeks (26 unless TRACE is a number).
    let every: u32 = std::env::var("TRACE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(26);
    let halves = (scenario.steps() / every + 1) as usize;
    let mut table = vec![vec![0.0f64; halves]; Decision::COUNT];
    let mut term_table = vec![vec![0.0f64; halves]; sovsim::rules::leadership::Term::COUNT];
    for step in 0..scenario.steps() {
        world.step = step;
        let t = terms(&world);
        let h = (step / every) as usize;
        for d in Decision::ALL {
            let (p, _) = pressure(d, &t);
            let bar = world.rules.leadership.bar(d) * precedent_factor(&world, d);
            let r = p / bar.max(1e-9);
            table[d.index()][h] = table[d.index()][h].max(r);
        }
        for (row, value) in term_table.iter_mut().zip(t.0) {
            row[h] = row[h].max(value);
        }
        sovsim::rules::step(&mut world, &mut rng);
        sovsim::metrics::record(&mut world);
    }
    print!("{:<20}", "");
    for h in 0..halves {
        print!(
            " {:>4}",
            &world.calendar.date(h as u32 * every).to_string()[2..7].replace('-', "")
        );
    }
    println!();
    for d in Decision::ALL {
        print!("{:<20}", d.name());
        for ratio in &table[d.index()] {
            print!(" {ratio:>4.1}");
        }
        println!();
    }
    for (k, term) in sovsim::rules::leadership::Term::ALL.iter().enumerate() {
        print!("{:<20}", term.name());
        for value in &term_table[k] {
            print!(" {value:>4.2}");
        }
        println!();
    }
    println!();
}
