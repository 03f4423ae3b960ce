//! Benchmarks: one step of the historical model at 5,000 and 100,000 agents (reported per
//! agent: criterion's throughput is agents per step, so its time per element is the time per
//! agent-step), and a whole ensemble of the historical scenario (5,000 agents, 32 replicates)
//! on all cores. The figures and what they mean are in `docs/performance.md`.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use sovsim::model::World;
use sovsim::rng::replicate_stream;
use sovsim::rules;
use sovsim::scenario::Scenario;

fn historical(agents: u32) -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/historical.toml");
    let text = std::fs::read_to_string(path).expect("the historical scenario is shipped");
    let text = text.replace("agents = 5000", &format!("agents = {agents}"));
    Scenario::parse(&text, path).expect("the historical scenario is valid")
}

fn step(c: &mut Criterion) {
    let mut group = c.benchmark_group("historical_step");
    for agents in [5_000u32, 100_000] {
        let scenario = historical(agents);
        let mut rng = replicate_stream(scenario.seed, 0);
        let mut world = World::build(&scenario.setup(), &mut rng);
        // Start in the civil war, where every rule is busy.
        for s in 0..100 {
            world.step = s;
            rules::step(&mut world, &mut rng);
        }
        world.step = 100;
        group.throughput(Throughput::Elements(agents as u64));
        // Every timed step starts from the same snapshot: stepping one world over and over
        // would let famine and the front empty it, and time an ever smaller population.
        group.bench_with_input(BenchmarkId::from_parameter(agents), &agents, |b, _| {
            b.iter_batched_ref(
                || (world.clone(), rng.clone()),
                |(w, r)| rules::step(w, r),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn ensemble(c: &mut Criterion) {
    let scenario = historical(5000);
    let replicates = 32;
    let mut group = c.benchmark_group("historical_ensemble");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(120));
    group.throughput(Throughput::Elements(
        replicates as u64 * scenario.steps() as u64 * 5000,
    ));
    group.bench_function("5000_agents_32_replicates", |b| {
        b.iter(|| sovsim::ensemble::run(&scenario, scenario.seed, replicates, &|_| {}))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = step, ensemble
}
criterion_main!(benches);
