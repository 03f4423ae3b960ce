//! Epstein (2002), civil violence, on a W x H torus with one agent per cell, run with
//! sovsim's activation rule ([`crate::rules::activation::arrest_probability`] and
//! [`crate::rules::activation::decides_active`]) and the jail terms of
//! `[rules.repression]`. Random asynchronous activation: every step the citizens and cops
//! are shuffled afresh; each citizen in turn moves to a random empty cell in view and then
//! decides whether to be active (G - R P > T, with P from the cops and actives it sees);
//! each cop moves and then arrests one random active citizen in view. Legitimacy and the
//! number of cops follow dated series, so they can change in one jump or linearly.

use super::{EpsteinConfig, JailDraw, VisionShape, row};
use crate::metrics::Row;
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

/// Runs one replicate.
pub fn run(c: &EpsteinConfig, rules: &Rules, steps: u32, rng: &mut SimRng) -> Vec<Row> {
    let cells = (c.width * c.height) as usize;
    let mut g = Grid {
        width: c.width as i32,
        height: c.height as i32,
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
    };
    let citizens = ((c.citizen_density * cells as f64).round() as usize).min(cells);
    let mut free: Vec<u32> = (0..cells as u32).collect();
    for _ in 0..citizens {
        let k = rng::index(rng, free.len());
        let cell = free.swap_remove(k);
        let hardship = rng::uniform(rng);
        let risk_aversion = rng::uniform(rng);
        let a = g.push_agent(Kind::Citizen, hardship, risk_aversion);
        g.place(a, cell);
    }
    let cops_at = |step: u32| {
        (c.cop_density
            .at(step as f64, super::EPSTEIN_DEFAULT_COP_DENSITY)
            * cells as f64)
            .round() as usize
    };
    staff(&mut g, cops_at(0), rng);
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
        if step > 0 {
            staff(&mut g, cops_at(step), rng);
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
        for &agent in &order {
            let a = agent as usize;
            match g.kind[a] {
                Kind::Citizen => {
                    if g.jailed[a] {
                        if g.jail_left[a] > 0 {
                            g.jail_left[a] -= 1;
                            continue;
                        }
                        g.set_state(a, false, false);
                        if !g.placed[a] {
                            let cell = g.cell[a];
                            g.place(agent, cell);
                        }
                    }
                    if c.movement {
                        g.move_agent(agent, &citizen_view, &mut buffer, rng);
                    }
                    // A grievance at or below the lowest threshold the rule can reach
                    // (T (1 - g), every neighbour active) can never clear it, whatever the
                    // risk: such a citizen stays quiet without looking around, as in the
                    // revolution model's activation rule. The outcome is the same.
                    let grievance = g.hardship[a] * (1.0 - legitimacy);
                    if grievance <= activation.threshold * (1.0 - activation.granovetter.max(0.0)) {
                        if g.active[a] {
                            g.set_state(a, false, false);
                        }
                        continue;
                    }
                    let seen = g.census(agent, &citizen_view);
                    let (cops, actives, citizens) =
                        (field(seen, COP), field(seen, ACTIVE), field(seen, CITIZEN));
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
                        legitimacy,
                        g.risk_aversion[a],
                        p,
                        share,
                    );
                    if active != g.active[a] {
                        g.set_state(a, active, false);
                    }
                }
                Kind::Cop => {
                    if c.movement {
                        g.move_agent(agent, &cop_view, &mut buffer, rng);
                    }
                    let actives = field(g.census(agent, &cop_view), ACTIVE);
                    if actives > 0 {
                        let k = rng::index(rng, actives as usize) as u32;
                        let target = g.nth_active(agent, &cop_view, k);
                        if target != EMPTY {
                            let t = target as usize;
                            g.set_state(t, false, true);
                            g.jail_left[t] = jail_min + rng::index(rng, terms) as u32;
                            if !c.jailed_keep_cell {
                                g.lift(target);
                            }
                        }
                    }
                }
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
