//! A mergeable histogram of durations in hours, for quantiles with bounded memory.

use std::io::Write as _;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Serializer as _, V2Serializer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Resolution of recorded values: one millisecond, in hours.
const UNIT_HOURS: f64 = 1.0 / 3_600_000.0;

/// Durations in hours, kept in an HDR histogram with 3 significant digits (relative
/// error ≤ 0.1 % for values of a second or more), plus the exact maximum. Memory depends
/// on the range of values, never on how many are recorded.
#[derive(Clone, Debug)]
pub struct HoursHistogram {
    hist: Histogram<u64>,
    max: f64,
}

impl Default for HoursHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl HoursHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        HoursHistogram {
            hist: Histogram::new(3).expect("3 significant digits is valid"),
            max: 0.0,
        }
    }

    /// Records one duration (negative values are recorded as zero).
    #[inline]
    pub fn record(&mut self, hours: f64) {
        // Values are not negative, so adding ½ and truncating rounds to nearest (and
        // avoids a libm call on the hot path).
        let units = (hours.max(0.0) / UNIT_HOURS + 0.5) as u64;
        // An auto-resizing histogram grows to take any value, so this cannot fail.
        self.hist.record(units).expect("auto-resizing histogram");
        if hours > self.max {
            self.max = hours;
        }
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &HoursHistogram) {
        self.hist
            .add(&other.hist)
            .expect("auto-resizing histograms always merge");
        self.max = self.max.max(other.max);
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// The `q` quantile (0 ≤ q ≤ 1), in hours; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.hist.is_empty() {
            return None;
        }
        let v = self.hist.value_at_quantile(q);
        // hdrhistogram reports the top of a bucket: never beyond the true maximum.
        Some((v as f64 * UNIT_HOURS).min(self.max))
    }

    /// The width of the bucket that holds `hours`, in hours: how finely a quantile near
    /// it is known (about 0.05–0.1 % of it, a millisecond at least).
    pub fn resolution_at(&self, hours: f64) -> f64 {
        let units = (hours.max(0.0) / UNIT_HOURS + 0.5) as u64;
        (self.hist.equivalent_range(units).max(1)) as f64 * UNIT_HOURS
    }

    /// The `qs` quantiles, exactly as [`HoursHistogram::quantile`] gives them, in one
    /// pass over the histogram (`qs` ascending, each in (0, 1]); empty when the
    /// histogram is.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        if self.hist.is_empty() {
            return Vec::new();
        }
        let total = self.hist.len();
        let mut buckets = self.hist.iter_recorded();
        let (mut below, mut value) = (0u64, 0u64);
        qs.iter()
            .map(|&q| {
                // As `Histogram::value_at_quantile`: the top of the first bucket that
                // reaches ⌈q × total⌉ values.
                let rank = ((q.min(1.0) * total as f64).ceil() as u64).max(1);
                while below < rank {
                    let Some(b) = buckets.next() else { break };
                    below += b.count_at_value();
                    value = b.value_iterated_to();
                }
                (value as f64 * UNIT_HOURS).min(self.max)
            })
            .collect()
    }

    /// The exact largest value; `None` when empty.
    pub fn max(&self) -> Option<f64> {
        (!self.hist.is_empty()).then_some(self.max)
    }

    /// Every non-empty bucket as (a value it stands for, hours — the middle of the
    /// bucket, never beyond the maximum; how many values), in increasing order.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.hist.iter_recorded().map(|v| {
            let mid = self.hist.median_equivalent(v.value_iterated_to());
            ((mid as f64 * UNIT_HOURS).min(self.max), v.count_at_value())
        })
    }
}

/// The cookie that opens HdrHistogram's compressed V2 encoding (its specification's
/// value; the `hdrhistogram` crate keeps its constant private).
const V2_COMPRESSED_COOKIE: u32 = 0x1c84_9314;

/// `hist` in HdrHistogram's compressed V2 encoding: the cookie, the length of the zlib
/// stream (both big-endian `u32`), and the V2 encoding deflated. `hdrhistogram`'s own
/// `V2DeflateSerializer` deflates at the default level, 6; level 1 takes about a third
/// of the time for about 8 % more bytes (4.5 against 4.1 kB, 0.16 against 0.43 ms, for
/// the clearance times of a replication of the 2017 Lunar New Year peak). It matters
/// because a sweep stores every replication's histograms in its journal on the thread
/// that takes the workers' results. Any level reads back the same way.
fn compressed_v2(hist: &Histogram<u64>) -> Result<Vec<u8>, String> {
    let mut v2 = Vec::new();
    V2Serializer::new()
        .serialize(hist, &mut v2)
        .map_err(|e| format!("{e:?}"))?;
    let mut out = Vec::with_capacity(8 + v2.len() / 2);
    out.extend_from_slice(&V2_COMPRESSED_COOKIE.to_be_bytes());
    out.extend_from_slice(&[0; 4]); // the length, known once deflated
    let mut deflate = ZlibEncoder::new(out, Compression::fast());
    deflate.write_all(&v2).map_err(|e| e.to_string())?;
    let mut out = deflate.finish().map_err(|e| e.to_string())?;
    let length = u32::try_from(out.len() - 8).map_err(|e| e.to_string())?;
    out[4..8].copy_from_slice(&length.to_be_bytes());
    Ok(out)
}

/// The stored form: the exact maximum and the histogram in HdrHistogram's compressed
/// V2 encoding (deflate), base64 — exact, and a few kilobytes however many values.
#[derive(Serialize, Deserialize)]
struct StoredHistogram {
    max_hours: f64,
    hdr_v2_deflate_base64: String,
}

impl Serialize for HoursHistogram {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = compressed_v2(&self.hist)
            .map_err(|e| serde::ser::Error::custom(format!("histogram: {e}")))?;
        StoredHistogram {
            max_hours: self.max,
            hdr_v2_deflate_base64: BASE64.encode(bytes),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for HoursHistogram {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = StoredHistogram::deserialize(deserializer)?;
        let bytes = BASE64
            .decode(stored.hdr_v2_deflate_base64.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("histogram: not base64: {e}")))?;
        let mut hist: Histogram<u64> = hdrhistogram::serialization::Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| serde::de::Error::custom(format!("histogram: {e:?}")))?;
        // Recorded histograms grow to take any value; keep that after a round trip.
        hist.auto(true);
        Ok(HoursHistogram {
            hist,
            max: stored.max_hours,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resolution_is_a_bucket_and_holds_the_quantile() {
        let mut h = HoursHistogram::new();
        for i in 1..=100_000 {
            h.record(f64::from(i) * 0.001);
        }
        for want in [0.5, 9.0, 90.0] {
            let r = h.resolution_at(want);
            assert!(r > 4e-4 * want && r <= 1.1e-3 * want, "{want}: {r}");
        }
        // A second's bucket is a millisecond wide at least.
        assert!(h.resolution_at(0.0) >= UNIT_HOURS);
        // The reported quantile is its bucket's top: the truth is within one bucket.
        let q = h.quantile(0.9).unwrap();
        assert!(q >= 90.0 && q - 90.0 <= h.resolution_at(90.0), "{q}");
    }

    #[test]
    fn quantiles_within_a_tenth_of_a_percent() {
        let mut h = HoursHistogram::new();
        for i in 1..=100_000 {
            h.record(f64::from(i) * 0.001); // 0.001 h .. 100 h
        }
        for (q, want) in [(0.5, 50.0), (0.9, 90.0), (0.99, 99.0)] {
            let got = h.quantile(q).unwrap();
            assert!((got - want).abs() / want < 1e-3, "q{q}: {got} vs {want}");
        }
        assert_eq!(h.max(), Some(100.0));
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn merging_equals_recording_together() {
        let (mut a, mut b, mut all) = (
            HoursHistogram::new(),
            HoursHistogram::new(),
            HoursHistogram::new(),
        );
        for i in 0..1000 {
            let v = f64::from(i) * 0.37;
            if i % 3 == 0 {
                a.record(v)
            } else {
                b.record(v)
            }
            all.record(v);
        }
        a.merge(&b);
        assert_eq!(a.count(), all.count());
        assert_eq!(a.quantile(0.9), all.quantile(0.9));
        assert_eq!(a.max(), all.max());
        assert_eq!(HoursHistogram::new().quantile(0.5), None);
    }

    #[test]
    fn buckets_hold_every_value_near_where_it_was() {
        let mut h = HoursHistogram::new();
        for v in [0.0, 0.5, 0.5, 2.0, 37.25] {
            h.record(v);
        }
        let b: Vec<(f64, u64)> = h.buckets().collect();
        assert_eq!(b.iter().map(|x| x.1).sum::<u64>(), 5);
        assert_eq!(b.len(), 4);
        for ((v, _), want) in b.iter().zip([0.0, 0.5, 2.0, 37.25]) {
            assert!((v - want).abs() <= 1e-3 * want, "{v} vs {want}");
        }
        assert!(b.iter().all(|x| x.0 <= 37.25));
        assert_eq!(HoursHistogram::new().buckets().count(), 0);
    }

    #[test]
    fn quantiles_in_one_pass_are_the_quantiles() {
        let mut h = HoursHistogram::new();
        for i in 0..20_000 {
            h.record(f64::from(i % 977).powf(1.3) * 0.011);
        }
        let qs: Vec<f64> = (1..200)
            .map(|k| f64::from(k) / 200.0)
            .chain([0.999, 1.0])
            .collect();
        let want: Vec<f64> = qs.iter().map(|&q| h.quantile(q).unwrap()).collect();
        assert_eq!(h.quantiles(&qs), want);
        assert!(HoursHistogram::new().quantiles(&qs).is_empty());
    }

    #[test]
    fn a_json_round_trip_is_exact() {
        let mut h = HoursHistogram::new();
        for i in 0..5000 {
            h.record(f64::from(i).powf(1.7) * 0.0013);
        }
        let text = serde_json::to_string(&h).unwrap();
        let back: HoursHistogram = serde_json::from_str(&text).unwrap();
        assert_eq!(back.count(), h.count());
        assert_eq!(back.max(), h.max());
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(back.quantile(q), h.quantile(q), "q{q}");
        }
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    /// The histogram as `hdrhistogram`'s own serializer stores it (default level).
    fn stored_by_hdrhistogram(h: &HoursHistogram) -> String {
        let mut bytes = Vec::new();
        hdrhistogram::serialization::V2DeflateSerializer::new()
            .serialize(&h.hist, &mut bytes)
            .unwrap();
        serde_json::to_string(&StoredHistogram {
            max_hours: h.max,
            hdr_v2_deflate_base64: BASE64.encode(bytes),
        })
        .unwrap()
    }

    #[test]
    fn the_stored_form_is_hdrhistograms_compressed_v2() {
        let mut h = HoursHistogram::new();
        for i in 0..50_000 {
            h.record(f64::from(i % 4001).powf(1.4) * 0.0007 + f64::from(i) * 1e-5);
        }
        // What portsim stores reads back through hdrhistogram's deserializer (the
        // envelope is the specification's) to every count; so does what hdrhistogram's
        // own serializer stored (journals and shard files written before the faster
        // level).
        let ours: HoursHistogram =
            serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
        let theirs: HoursHistogram = serde_json::from_str(&stored_by_hdrhistogram(&h)).unwrap();
        for back in [&ours, &theirs] {
            assert_eq!(back.hist, h.hist);
            assert_eq!(back.max(), h.max());
            let counts = |x: &HoursHistogram| x.buckets().collect::<Vec<_>>();
            assert_eq!(counts(back), counts(&h));
        }
        // The stored bytes begin with the cookie and the length of what follows.
        let stored: StoredHistogram =
            serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
        let bytes = BASE64.decode(stored.hdr_v2_deflate_base64).unwrap();
        assert_eq!(bytes[..4], V2_COMPRESSED_COOKIE.to_be_bytes());
        assert_eq!(
            u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize,
            bytes.len() - 8
        );
    }
}
