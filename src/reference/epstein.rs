//! Epstein (2002), civil violence, on a W x H torus with one agent per cell, run with
//! sovsim's activation rule ([`crate::rules::activation::arrest_probability`] and
//! [`crate::rules::activation::decides_active`]) and the jail terms of
//! `[rules.repression]`. Random asynchronous activation: every step the citizens and cops
//! are shuffled afresh; each citizen in turn moves to a random empty cell in view and
//! decides whether to be active (G - R P > T, with P from the cops and actives it sees);
//! each cop moves and arrests one random active citizen in view. Whether an agent moves
//! first (Epstein, NetLogo) or acts first (Mesa) is the `order` switch, and whether the
//! counts of citizens and cops are exact or drawn cell by cell (Mesa) the `placement`
//! switch. Legitimacy and the number of cops follow dated series, so they can change in
//! one jump or linearly.

use super::{EpsteinConfig, JailDraw, Placement, TurnOrder, VisionShape, row};
use crate::metrics::Row;
use crate::model::params::ActivationParams;
use crate::rng::{self, SimRng};
use crate::rules::Rules;
use crate::rules::activation::{arrest_probability, decides_active};

const EMPTY: u32 = u32::MAX;

/// The cells in view from the origin, the origin excluded.
pub fn offsets(shape: VisionShape, radius: u32) -> Vec<(i32, i32)> {
    let v = radius as i32;
    let mut out = Vec::new();
    for dy in -v..=v {
        for dx in -v..=v {
            let seen = match shape {
                VisionShape::VonNeumann => dx.abs() + dy.abs() <= v,
                VisionShape::Moore => true,
                VisionShape::Disk => dx * dx + dy * dy <= v * v,
            };
            if seen && (dx, dy) != (0, 0) {
                out.push((dx, dy));
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Citizen,
    Cop,
    /// A cop taken off the force by a cut; kept so that indices stay stable.
    Retired,
}

/// What a cell holds, as four 16-bit counts packed in a word, so that a census of the cells
/// in view is one addition per cell: agents placed there, cops, active citizens (not
/// jailed) and citizens (not jailed).
const OCCUPANT: u64 = 1;
const COP: u64 = 1 << 16;
const ACTIVE: u64 = 1 << 32;
const CITIZEN: u64 = 1 << 48;

fn field(sum: u64, unit: u64) -> u32 {
    ((sum / unit) & 0xffff) as u32
}

/// The grid and its agents. Each cell holds a list of the agents on it (linked through
/// `next`), usually of one: a citizen released from jail in the NetLogo variant comes back
/// to its old cell, which another may have taken meanwhile.
struct Grid {
    width: i32,
    height: i32,
    head: Vec<u32>,
    counts: Vec<u64>,
    next: Vec<u32>,
    cell: Vec<u32>,
    kind: Vec<Kind>,
    hardship: Vec<f64>,
    risk_aversion: Vec<f64>,
    active: Vec<bool>,
    jailed: Vec<bool>,
    /// Turns still to sit out in jail.
    jail_left: Vec<u32>,
    /// Whether the agent is on its cell's list (occupies and can be seen).
    placed: Vec<bool>,
}

impl Grid {
    /// An empty `width` x `height` torus.
    fn new(width: u32, height: u32) -> Grid {
        let cells = (width * height) as usize;
        Grid {
            width: width as i32,
            height: height as i32,
            head: vec![EMPTY; cells],
            counts: vec![0; cells],
            next: Vec::new(),
            cell: Vec::new(),
            kind: Vec::new(),
            hardship: Vec::new(),
            risk_aversion: Vec::new(),
            active: Vec::new(),
            jailed: Vec::new(),
            jail_left: Vec::new(),
            placed: Vec::new(),
        }
    }

    /// The cells in view of `cell`, on the torus (offsets are shorter than the grid's
    /// sides, so one correction per axis wraps them); the division is done once per scan,
    /// not once per cell.
    #[inline]
    fn around<'v>(&self, cell: u32, view: &'v [(i32, i32)]) -> impl Iterator<Item = usize> + 'v {
        let (w, h) = (self.width, self.height);
        let (x, y) = ((cell as i32) % w, (cell as i32) / w);
        view.iter().map(move |&(dx, dy)| {
            let mut nx = x + dx;
            if nx < 0 {
                nx += w;
            } else if nx >= w {
                nx -= w;
            }
            let mut ny = y + dy;
            if ny < 0 {
                ny += h;
            } else if ny >= h {
                ny -= h;
            }
            (ny * w + nx) as usize
        })
    }

    /// What an agent adds to its cell's counts.
    fn weight(&self, a: usize) -> u64 {
        match self.kind[a] {
            Kind::Cop => OCCUPANT + COP,
            Kind::Citizen if self.jailed[a] => OCCUPANT,
            Kind::Citizen if self.active[a] => OCCUPANT + CITIZEN + ACTIVE,
            Kind::Citizen => OCCUPANT + CITIZEN,
            Kind::Retired => 0,
        }
    }

    fn place(&mut self, agent: u32, cell: u32) {
        let a = agent as usize;
        self.cell[a] = cell;
        self.next[a] = self.head[cell as usize];
        self.head[cell as usize] = agent;
        self.placed[a] = true;
        self.counts[cell as usize] += self.weight(a);
    }

    fn lift(&mut self, agent: u32) {
        let a = agent as usize;
        if !self.placed[a] {
            return;
        }
        let c = self.cell[a] as usize;
        self.counts[c] -= self.weight(a);
        if self.head[c] == agent {
            self.head[c] = self.next[a];
        } else {
            let mut k = self.head[c];
            while k != EMPTY {
                if self.next[k as usize] == agent {
                    self.next[k as usize] = self.next[a];
                    break;
                }
                k = self.next[k as usize];
            }
        }
        self.next[a] = EMPTY;
        self.placed[a] = false;
    }

    /// Changes a citizen's state, keeping its cell's counts right.
    fn set_state(&mut self, a: usize, active: bool, jailed: bool) {
        if self.placed[a] {
            let c = self.cell[a] as usize;
            self.counts[c] -= self.weight(a);
            self.active[a] = active;
            self.jailed[a] = jailed;
            self.counts[c] += self.weight(a);
        } else {
            self.active[a] = active;
            self.jailed[a] = jailed;
        }
    }

    fn is_empty(&self, cell: u32) -> bool {
        field(self.counts[cell as usize], OCCUPANT) == 0
    }

    fn push_agent(&mut self, kind: Kind, hardship: f64, risk_aversion: f64) -> u32 {
        self.next.push(EMPTY);
        self.cell.push(0);
        self.kind.push(kind);
        self.hardship.push(hardship);
        self.risk_aversion.push(risk_aversion);
        self.active.push(false);
        self.jailed.push(false);
        self.jail_left.push(0);
        self.placed.push(false);
        (self.kind.len() - 1) as u32
    }

    /// Moves an agent to a random empty cell in view, if there is one. Cells in view are
    /// drawn at random until an empty one comes up, which picks uniformly among the empty
    /// cells as a full scan would, in a few draws instead of a look at every cell; only when
    /// [`TRIES`] draws find nothing (a crowded view) does it scan them all.
    fn move_agent(&mut self, agent: u32, view: &View, free: &mut Vec<u32>, rng: &mut SimRng) {
        let from = self.cell[agent as usize];
        for _ in 0..TRIES {
            let k = rng::index(rng, view.offsets.len());
            let c = self.at(from, view.offsets[k]);
            if self.counts[c] & 0xffff == 0 {
                self.lift(agent);
                self.place(agent, c as u32);
                return;
            }
        }
        // Branch-free: every cell is written, and the count moves on only past empty ones.
        free.resize(view.offsets.len(), 0);
        let mut n = 0;
        for c in self.around(from, &view.offsets) {
            free[n] = c as u32;
            n += usize::from(self.counts[c] & 0xffff == 0);
        }
        if n > 0 {
            let pick = free[rng::index(rng, n)];
            self.lift(agent);
            self.place(agent, pick);
        }
    }

    /// The cell at one offset from `cell`.
    #[inline]
    fn at(&self, cell: u32, offset: (i32, i32)) -> usize {
        self.around(cell, std::slice::from_ref(&offset))
            .next()
            .unwrap_or(cell as usize)
    }

    /// The summed counts of the cells in view of an agent (its own cell excluded).
    fn census(&self, me: u32, view: &View) -> u64 {
        let cell = self.cell[me as usize];
        match &view.table {
            Some(table) => {
                let n = view.offsets.len();
                let start = cell as usize * n;
                table[start..start + n]
                    .iter()
                    .map(|&c| self.counts[c as usize])
                    .sum()
            }
            None => self
                .around(cell, &view.offsets)
                .map(|c| self.counts[c])
                .sum(),
        }
    }

    /// The `k`-th active citizen in view of a cop, counting cell by cell in view order.
    fn nth_active(&self, me: u32, view: &View, mut k: u32) -> u32 {
        for c in self.around(self.cell[me as usize], &view.offsets) {
            if field(self.counts[c], ACTIVE) == 0 {
                continue;
            }
            let mut a = self.head[c];
            while a != EMPTY {
                let t = a as usize;
                if self.kind[t] == Kind::Citizen && self.active[t] && !self.jailed[t] {
                    if k == 0 {
                        return a;
                    }
                    k -= 1;
                }
                a = self.next[t];
            }
        }
        EMPTY
    }
}

/// Draws a mover makes before falling back to a scan of every cell in view.
const TRIES: usize = 32;

/// Largest neighbour table built (entries): 40 x 40 cells with vision 7 need 179,200.
const TABLE_LIMIT: usize = 1 << 23;

/// The cells in view: the offsets, and for grids small enough a table of every cell's
/// neighbours, so that a census reads a row of the table instead of wrapping offsets.
struct View {
    offsets: Vec<(i32, i32)>,
    table: Option<Vec<u32>>,
}

impl View {
    fn new(g: &Grid, offsets: Vec<(i32, i32)>) -> View {
        let cells = g.head.len();
        let table = (cells.saturating_mul(offsets.len()) <= TABLE_LIMIT).then(|| {
            let mut t = Vec::with_capacity(cells * offsets.len());
            for cell in 0..cells as u32 {
                t.extend(g.around(cell, &offsets).map(|c| c as u32));
            }
            t
        });
        View { offsets, table }
    }
}

/// Adds or retires cops until there are `target`.
fn staff(g: &mut Grid, target: usize, rng: &mut SimRng) {
    let mut serving: Vec<u32> = (0..g.kind.len() as u32)
        .filter(|&a| g.kind[a as usize] == Kind::Cop)
        .collect();
    while serving.len() > target {
        let k = rng::index(rng, serving.len());
        let cop = serving.swap_remove(k);
        g.lift(cop);
        g.kind[cop as usize] = Kind::Retired;
    }
    if serving.len() < target {
        let mut free: Vec<u32> = (0..g.head.len() as u32)
            .filter(|&c| g.is_empty(c))
            .collect();
        while serving.len() < target && !free.is_empty() {
            let k = rng::index(rng, free.len());
            let cell = free.swap_remove(k);
            let cop = g.push_agent(Kind::Cop, 0.0, 0.0);
            g.place(cop, cell);
            serving.push(cop);
        }
    }
}

/// What every agent's turn in a step shares.
struct Turn<'a> {
    citizen_view: &'a View,
    cop_view: &'a View,
    activation: &'a ActivationParams,
    legitimacy: f64,
    jail_min: u32,
    terms: usize,
    order: TurnOrder,
    movement: bool,
    jailed_keep_cell: bool,
}

impl Turn<'_> {
    fn moves_first(&self) -> bool {
        self.movement && self.order == TurnOrder::MoveThenAct
    }

    fn moves_last(&self) -> bool {
        self.movement && self.order == TurnOrder::ActThenMove
    }
}

/// A citizen's turn: a jailed citizen sits out its term (and is released when it is
/// over); a free one moves and decides, in the turn's order.
fn citizen_turn(g: &mut Grid, agent: u32, t: &Turn, buffer: &mut Vec<u32>, rng: &mut SimRng) {
    let a = agent as usize;
    if g.jailed[a] {
        if g.jail_left[a] > 0 {
            g.jail_left[a] -= 1;
            return;
        }
        g.set_state(a, false, false);
        if !g.placed[a] {
            let cell = g.cell[a];
            g.place(agent, cell);
        }
    }
    if t.moves_first() {
        g.move_agent(agent, t.citizen_view, buffer, rng);
    }
    decide(g, agent, t);
    if t.moves_last() {
        g.move_agent(agent, t.citizen_view, buffer, rng);
    }
}

/// A citizen decides whether to be active where it stands: G - R P > T, with P from the
/// cops and actives in view.
fn decide(g: &mut Grid, agent: u32, t: &Turn) {
    let a = agent as usize;
    let activation = t.activation;
    // A grievance at or below the lowest threshold the rule can reach (T (1 - g), every
    // neighbour active) can never clear it, whatever the risk: such a citizen stays quiet
    // without looking around, as in the revolution model's activation rule. The outcome is
    // the same.
    let grievance = g.hardship[a] * (1.0 - t.legitimacy);
    if grievance <= activation.threshold * (1.0 - activation.granovetter.max(0.0)) {
        if g.active[a] {
            g.set_state(a, false, false);
        }
        return;
    }
    let seen = g.census(agent, t.citizen_view);
    let (cops, actives, citizens) = (field(seen, COP), field(seen, ACTIVE), field(seen, CITIZEN));
    // A counts the citizen itself, as in Epstein's estimate.
    let p = arrest_probability(activation, cops as f64, actives + 1);
    let share = if citizens > 0 {
        actives as f64 / citizens as f64
    } else {
        0.0
    };
    let active = decides_active(
        activation,
        g.hardship[a],
        t.legitimacy,
        g.risk_aversion[a],
        p,
        share,
    );
    if active != g.active[a] {
        g.set_state(a, active, false);
    }
}

/// A cop's turn: it moves and arrests one random active citizen in view, in the turn's
/// order.
fn cop_turn(g: &mut Grid, agent: u32, t: &Turn, buffer: &mut Vec<u32>, rng: &mut SimRng) {
    if t.moves_first() {
        g.move_agent(agent, t.cop_view, buffer, rng);
    }
    let actives = field(g.census(agent, t.cop_view), ACTIVE);
    if actives > 0 {
        let k = rng::index(rng, actives as usize) as u32;
        let target = g.nth_active(agent, t.cop_view, k);
        if target != EMPTY {
            let tt = target as usize;
            g.set_state(tt, false, true);
            g.jail_left[tt] = t.jail_min + rng::index(rng, t.terms) as u32;
            if !t.jailed_keep_cell {
                g.lift(target);
            }
        }
    }
    if t.moves_last() {
        g.move_agent(agent, t.cop_view, buffer, rng);
    }
}

/// Cops for a density: round(density x cells).
fn cop_count(density: f64, cells: usize) -> usize {
    (density * cells as f64).round() as usize
}

/// Places exactly round(density x cells) citizens, then cops, on cells drawn at random.
fn place_exact(g: &mut Grid, citizens: f64, cops: f64, rng: &mut SimRng) {
    let cells = g.head.len();
    let citizens = ((citizens * cells as f64).round() as usize).min(cells);
    let mut free: Vec<u32> = (0..cells as u32).collect();
    for _ in 0..citizens {
        let k = rng::index(rng, free.len());
        let cell = free.swap_remove(k);
        let hardship = rng::uniform(rng);
        let risk_aversion = rng::uniform(rng);
        let a = g.push_agent(Kind::Citizen, hardship, risk_aversion);
        g.place(a, cell);
    }
    staff(g, cop_count(cops, cells), rng);
}

/// Places agents by drawing every cell in turn: a citizen with probability
/// `citizens`, a cop with probability `cops`, else nothing (Mesa 3.3.1's example).
fn place_by_cell(g: &mut Grid, citizens: f64, cops: f64, rng: &mut SimRng) {
    for cell in 0..g.head.len() as u32 {
        let u = rng::uniform(rng);
        if u < citizens {
            let hardship = rng::uniform(rng);
            let risk_aversion = rng::uniform(rng);
            let a = g.push_agent(Kind::Citizen, hardship, risk_aversion);
            g.place(a, cell);
        } else if u < citizens + cops {
            let a = g.push_agent(Kind::Cop, 0.0, 0.0);
            g.place(a, cell);
        }
    }
}

/// Runs one replicate.
pub fn run(c: &EpsteinConfig, rules: &Rules, steps: u32, rng: &mut SimRng) -> Vec<Row> {
    let cells = (c.width * c.height) as usize;
    let mut g = Grid::new(c.width, c.height);
    let cops_at = |step: u32| {
        c.cop_density
            .at(step as f64, super::EPSTEIN_DEFAULT_COP_DENSITY)
    };
    match c.placement {
        Placement::Exact => place_exact(&mut g, c.citizen_density, cops_at(0), rng),
        Placement::CellDraw => place_by_cell(&mut g, c.citizen_density, cops_at(0), rng),
    }
    let citizen_view = View::new(&g, offsets(c.vision_shape, c.vision));
    let cop_view = View::new(&g, offsets(c.vision_shape, c.cop_vision));
    let activation = &rules.activation;
    let (jail_min, jail_max) = (
        rules.repression.jail_min_weeks,
        rules.repression.jail_max_weeks,
    );
    let terms = match c.jail_draw {
        JailDraw::ZeroToMax => jail_max.saturating_sub(jail_min) as usize + 1,
        JailDraw::ZeroToBelowMax => (jail_max.saturating_sub(jail_min) as usize).max(1),
    };
    let mut rows = Vec::with_capacity(steps as usize);
    let mut outbursts = 0.0;
    let mut above = false;
    let mut order: Vec<u32> = Vec::new();
    let mut buffer: Vec<u32> = Vec::new();
    for step in 0..steps {
        // Exact placement keeps the force at its rounded size every step (a no-op, with no
        // draw, while the density holds); drawn by cell, the force keeps the size it was
        // drawn at until the density itself changes.
        let restaff = match c.placement {
            Placement::Exact => step > 0,
            Placement::CellDraw => step > 0 && cops_at(step) != cops_at(step - 1),
        };
        if restaff {
            staff(&mut g, cop_count(cops_at(step), cells), rng);
        }
        let legitimacy = c
            .legitimacy
            .at(step as f64, super::EPSTEIN_DEFAULT_LEGITIMACY);
        order.clear();
        order.extend((0..g.kind.len() as u32).filter(|&a| g.kind[a as usize] != Kind::Retired));
        // A fresh random order every step (Fisher-Yates).
        for i in (1..order.len()).rev() {
            let j = rng::index(rng, i + 1);
            order.swap(i, j);
        }
        let turn = Turn {
            citizen_view: &citizen_view,
            cop_view: &cop_view,
            activation,
            legitimacy,
            jail_min,
            terms,
            order: c.order,
            movement: c.movement,
            jailed_keep_cell: c.jailed_keep_cell,
        };
        for &agent in &order {
            match g.kind[agent as usize] {
                Kind::Citizen => citizen_turn(&mut g, agent, &turn, &mut buffer, rng),
                Kind::Cop => cop_turn(&mut g, agent, &turn, &mut buffer, rng),
                Kind::Retired => {}
            }
        }
        let (mut actives, mut jailed) = (0u32, 0u32);
        for a in 0..g.kind.len() {
            if g.kind[a] == Kind::Citizen {
                actives += u32::from(g.active[a] && !g.jailed[a]);
                jailed += u32::from(g.jailed[a]);
            }
        }
        let now_above = actives as f64 >= c.outburst_level;
        if now_above && !above {
            outbursts += 1.0;
        }
        above = now_above;
        rows.push(row(&[actives as f64, jailed as f64, outbursts]));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5 x 5 torus with vision 1 (the four neighbours): a citizen at (0, 0) with all
    /// grievance and all risk aversion, and a cop at (1, 0). Seen by the cop, the citizen
    /// stays quiet; from any cell it can move to, the cop is two cells away.
    fn citizen_beside_cop(order: TurnOrder) -> (Grid, View, ActivationParams, TurnOrder) {
        let mut g = Grid::new(5, 5);
        let citizen = g.push_agent(Kind::Citizen, 1.0, 1.0);
        g.place(citizen, 0);
        let cop = g.push_agent(Kind::Cop, 0.0, 0.0);
        g.place(cop, 1);
        let view = View::new(&g, offsets(VisionShape::VonNeumann, 1));
        let mut activation = Rules::default().activation;
        activation.threshold = 0.1;
        activation.arrest_constant = 50.0;
        activation.granovetter = 0.0;
        activation.informer_weight = 0.0;
        (g, view, activation, order)
    }

    fn turn<'a>(view: &'a View, activation: &'a ActivationParams, order: TurnOrder) -> Turn<'a> {
        Turn {
            citizen_view: view,
            cop_view: view,
            activation,
            legitimacy: 0.0,
            jail_min: 0,
            terms: 1,
            order,
            movement: true,
            jailed_keep_cell: true,
        }
    }

    #[test]
    fn a_citizen_decides_where_it_stands_or_where_it_arrives_as_the_order_says() {
        for seed in 0..20 {
            for (order, active) in [
                (TurnOrder::ActThenMove, false),
                (TurnOrder::MoveThenAct, true),
            ] {
                let (mut g, view, activation, order) = citizen_beside_cop(order);
                let mut rng = crate::rng::replicate_stream(seed, 0);
                citizen_turn(
                    &mut g,
                    0,
                    &turn(&view, &activation, order),
                    &mut Vec::new(),
                    &mut rng,
                );
                assert_eq!(g.active[0], active, "{order:?}, seed {seed}");
                assert_ne!(g.cell[0], 0, "the citizen moved ({order:?})");
            }
        }
    }

    #[test]
    fn a_cop_arrests_where_it_stands_or_where_it_arrives_as_the_order_says() {
        for seed in 0..20 {
            for (order, arrests) in [
                (TurnOrder::ActThenMove, true),
                (TurnOrder::MoveThenAct, false),
            ] {
                let (mut g, view, activation, order) = citizen_beside_cop(order);
                g.set_state(0, true, false);
                let mut rng = crate::rng::replicate_stream(seed, 0);
                cop_turn(
                    &mut g,
                    1,
                    &turn(&view, &activation, order),
                    &mut Vec::new(),
                    &mut rng,
                );
                assert_eq!(g.jailed[0], arrests, "{order:?}, seed {seed}");
                assert_ne!(g.cell[1], 1, "the cop moved ({order:?})");
            }
        }
    }

    /// Citizens and cops placed on a 40 x 40 torus at densities 0.7 and 0.04, over `n` seeds.
    fn counts(placement: Placement, n: u64) -> (Vec<f64>, Vec<f64>) {
        let (mut citizens, mut cops) = (Vec::new(), Vec::new());
        for seed in 0..n {
            let mut g = Grid::new(40, 40);
            let mut rng = crate::rng::replicate_stream(seed, 0);
            match placement {
                Placement::Exact => place_exact(&mut g, 0.7, 0.04, &mut rng),
                Placement::CellDraw => place_by_cell(&mut g, 0.7, 0.04, &mut rng),
            }
            let count = |k: Kind| g.kind.iter().filter(|&&x| x == k).count() as f64;
            citizens.push(count(Kind::Citizen));
            cops.push(count(Kind::Cop));
            // One agent a cell, whichever way they were placed.
            assert!(g.counts.iter().all(|&c| field(c, OCCUPANT) <= 1));
        }
        (citizens, cops)
    }

    fn mean_sd(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        (
            m,
            (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt(),
        )
    }

    #[test]
    fn placement_by_cell_draw_gives_binomial_counts_and_exact_placement_fixed_ones() {
        let n = 400;
        let (citizens, cops) = counts(Placement::CellDraw, n);
        // Each cell: a citizen with probability 0.7, a cop with 0.04, independently of the
        // others, so the counts are binomial over 1,600 cells.
        for (v, p, name) in [(&citizens, 0.7_f64, "citizens"), (&cops, 0.04, "cops")] {
            let (m, sd) = mean_sd(v);
            let (mu, sigma) = (1600.0 * p, (1600.0 * p * (1.0 - p)).sqrt());
            assert!(
                (m - mu).abs() < 4.0 * sigma / (n as f64).sqrt(),
                "{name}: mean {m} against {mu}"
            );
            assert!(
                (sd / sigma - 1.0).abs() < 0.15,
                "{name}: sd {sd} against {sigma}"
            );
        }
        let (citizens, cops) = counts(Placement::Exact, 20);
        assert!(citizens.iter().all(|&c| c == 1120.0));
        assert!(cops.iter().all(|&c| c == 64.0));
    }

    #[test]
    fn vision_shapes_hold_the_documented_cells() {
        // Radius 2: the diamond holds 12 cells, the square 24, the disk 12 (dx^2 + dy^2 <= 4).
        assert_eq!(offsets(VisionShape::VonNeumann, 2).len(), 12);
        assert_eq!(offsets(VisionShape::Moore, 2).len(), 24);
        assert_eq!(offsets(VisionShape::Disk, 2).len(), 12);
        // Radius 7: 112 in the diamond, 224 in the square, 148 in the disk.
        assert_eq!(offsets(VisionShape::VonNeumann, 7).len(), 112);
        assert_eq!(offsets(VisionShape::Moore, 7).len(), 224);
        assert_eq!(offsets(VisionShape::Disk, 7).len(), 148);
        assert!(offsets(VisionShape::Disk, 7).contains(&(5, 4)));
        assert!(!offsets(VisionShape::VonNeumann, 7).contains(&(5, 4)));
    }
}
