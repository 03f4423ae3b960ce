//! The social tie network in compressed sparse row form: the neighbours of agent `i` are
//! `targets[offsets[i]..offsets[i + 1]]`, sorted and without duplicates. Built once per
//! replicate, deterministically from the replicate's stream, as a small world: ring lattices
//! inside each workplace and each locality, with a share of ties rewired to anyone at all.

use crate::rng::{self, SimRng};

/// An undirected graph over agent ids, stored as CSR.
#[derive(Clone, Debug, Default)]
pub struct Network {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Network {
    /// Builds a small-world network. `groups` lists, for each agent, the groups it ties
    /// within (its workplace and its locality, as member lists); each agent gets about
    /// `mean_degree / 2` ties of its own, spread over its groups, and with probability
    /// `rewire` a tie goes to a uniformly drawn agent instead (Watts-Strogatz).
    pub fn small_world(
        n: usize,
        groups: &[Vec<u32>],
        memberships: &[[u32; 2]],
        mean_degree: f64,
        rewire: f64,
        rng: &mut SimRng,
    ) -> Network {
        // Position of every agent inside each of its groups, so that ring neighbours can be
        // found without searching.
        let mut position = vec![[0u32; 2]; n];
        for (g, members) in groups.iter().enumerate() {
            for (pos, &a) in members.iter().enumerate() {
                let slot = if memberships[a as usize][0] == g as u32 {
                    0
                } else {
                    1
                };
                position[a as usize][slot] = pos as u32;
            }
        }
        let half = (mean_degree / 2.0).max(0.0);
        let mut edges: Vec<(u32, u32)> = Vec::with_capacity((n as f64 * half) as usize + n);
        for a in 0..n {
            // The fractional part of mean_degree / 2 is honoured in expectation.
            let whole = half.floor() as usize;
            let own = whole + usize::from(rng::chance(rng, half - whole as f64));
            let [g0, g1] = memberships[a];
            for k in 0..own {
                // Alternate between the agent's groups (workplace, locality).
                let slot = if g1 == u32::MAX || k % 2 == 0 { 0 } else { 1 };
                let g = if slot == 0 { g0 } else { g1 } as usize;
                let members = &groups[g];
                let size = members.len();
                let b = if rng::chance(rng, rewire) || size < 2 {
                    rng::index(rng, n) as u32
                } else {
                    // The (k / groups + 1)-th neighbour clockwise in the ring.
                    let step = if g1 == u32::MAX { k + 1 } else { k / 2 + 1 };
                    let pos = position[a][slot] as usize;
                    members[(pos + step) % size]
                };
                if b as usize != a {
                    edges.push((a as u32, b));
                }
            }
        }
        Network::from_edges(n, &edges)
    }

    /// Builds the CSR form of an undirected edge list; duplicates and self-loops are dropped.
    pub fn from_edges(n: usize, edges: &[(u32, u32)]) -> Network {
        let mut degree = vec![0u32; n + 1];
        for &(a, b) in edges {
            if a != b {
                degree[a as usize] += 1;
                degree[b as usize] += 1;
            }
        }
        let mut offsets = vec![0u32; n + 1];
        for i in 0..n {
            offsets[i + 1] = offsets[i] + degree[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[n] as usize];
        for &(a, b) in edges {
            if a != b {
                targets[fill[a as usize] as usize] = b;
                fill[a as usize] += 1;
                targets[fill[b as usize] as usize] = a;
                fill[b as usize] += 1;
            }
        }
        // Sort and deduplicate each row, compacting in place.
        let mut compact = Vec::with_capacity(targets.len());
        let mut new_offsets = vec![0u32; n + 1];
        for i in 0..n {
            let row = &mut targets[offsets[i] as usize..offsets[i + 1] as usize];
            row.sort_unstable();
            let mut last = u32::MAX;
            for &t in row.iter() {
                if t != last {
                    compact.push(t);
                    last = t;
                }
            }
            new_offsets[i + 1] = compact.len() as u32;
        }
        compact.shrink_to_fit();
        Network {
            offsets: new_offsets,
            targets: compact,
        }
    }

    /// The neighbours of agent `i`.
    #[inline]
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.targets[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Bytes the network holds: the offsets and the ties (allocated, not just used).
    pub fn bytes(&self) -> usize {
        4 * (self.offsets.capacity() + self.targets.capacity())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of undirected ties.
    pub fn tie_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Mean number of neighbours per agent.
    pub fn mean_degree(&self) -> f64 {
        if self.is_empty() {
            0.0
        } else {
            self.targets.len() as f64 / self.len() as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_stream;

    #[test]
    fn edges_become_symmetric_sorted_rows() {
        let net = Network::from_edges(4, &[(0, 1), (1, 0), (2, 1), (3, 3), (0, 2)]);
        assert_eq!(net.neighbours(0), &[1, 2]);
        assert_eq!(net.neighbours(1), &[0, 2]);
        assert_eq!(net.neighbours(2), &[0, 1]);
        assert!(net.neighbours(3).is_empty());
        assert_eq!(net.tie_count(), 3);
    }

    fn one_group(n: usize) -> (Vec<Vec<u32>>, Vec<[u32; 2]>) {
        (vec![(0..n as u32).collect()], vec![[0, u32::MAX]; n])
    }

    #[test]
    fn unrewired_ring_is_a_lattice_with_the_requested_degree() {
        let (groups, members) = one_group(100);
        let mut rng = replicate_stream(1, 0);
        let net = Network::small_world(100, &groups, &members, 6.0, 0.0, &mut rng);
        for i in 0..100 {
            let n = net.neighbours(i);
            assert_eq!(n.len(), 6, "agent {i}");
            assert!(n.contains(&(((i + 1) % 100) as u32)));
            assert!(n.contains(&(((i + 97) % 100) as u32)));
        }
    }

    #[test]
    fn rewiring_keeps_the_mean_degree_and_adds_long_ties() {
        let (groups, members) = one_group(2000);
        let mut rng = replicate_stream(2, 0);
        let net = Network::small_world(2000, &groups, &members, 10.0, 0.1, &mut rng);
        assert!(
            (net.mean_degree() - 10.0).abs() < 0.3,
            "{}",
            net.mean_degree()
        );
        let long = (0..2000)
            .flat_map(|i| {
                net.neighbours(i)
                    .iter()
                    .map(move |&j| (i as i64 - j as i64).abs())
            })
            .filter(|&d| d > 10 && d < 1990)
            .count();
        assert!(long > 1000, "only {long} long ties");
    }

    #[test]
    fn same_stream_gives_the_same_network() {
        let (groups, members) = one_group(500);
        let a = Network::small_world(
            500,
            &groups,
            &members,
            8.0,
            0.2,
            &mut replicate_stream(3, 1),
        );
        let b = Network::small_world(
            500,
            &groups,
            &members,
            8.0,
            0.2,
            &mut replicate_stream(3, 1),
        );
        assert_eq!(a.offsets, b.offsets);
        assert_eq!(a.targets, b.targets);
    }
}
