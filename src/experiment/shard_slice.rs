//! `--shard I/N`: which slice of a sweep's jobs one machine runs. Shard I of N takes
//! the jobs whose position in the sweep's job list is I − 1 modulo N, so every shard
//! gets a similar mix of variants.
//!
//! Its own module, below both `sweep.rs` (which walks a slice's jobs) and `shard.rs`
//! (which stores and merges them), so neither imports the other.

use std::fmt;
use std::str::FromStr;

/// Slice `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1 to `count`.
    pub index: u32,
    /// How many slices.
    pub count: u32,
}

impl Shard {
    /// Whether the job at `ordinal` (its position in the job list) is in this slice.
    pub fn takes(&self, ordinal: usize) -> bool {
        ordinal % self.count as usize == (self.index - 1) as usize
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard expects I/N with 1 ≤ I ≤ N, e.g. 2/8, got \"{text}\"");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_parse_and_partition() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for ordinal in 0..20 {
            assert_eq!(shards.iter().filter(|s| s.takes(ordinal)).count(), 1);
        }
    }
}
