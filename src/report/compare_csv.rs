//! `compare.csv` of `compare --out`: the comparison's per-replication values as a tidy
//! table — one row per replication × entity × figure, with A, B and B − A side by side.

use crate::results::compare::ReplicationValues;

/// The CSV's columns.
pub const COMPARE_CSV_COLUMNS: [&str; 7] = [
    "replication",
    "entity",
    "figure",
    "unit",
    "a",
    "b",
    "b_minus_a",
];

/// The CSV text: a row for each replication of each figure (`b_minus_a` empty when the
/// sides are not paired, any value empty where there is none).
pub fn compare_csv(values: &[ReplicationValues]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COMPARE_CSV_COLUMNS)
        .expect("writing to memory");
    let cell = |x: Option<&f64>| match x {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    };
    for v in values {
        for (i, a) in v.a.iter().enumerate() {
            let difference = v.difference.as_ref().and_then(|d| d.get(i));
            w.write_record([
                i.to_string(),
                v.entity.clone(),
                v.figure.clone(),
                v.unit.clone(),
                cell(Some(a)),
                cell(v.b.get(i)),
                cell(difference),
            ])
            .expect("writing to memory");
        }
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_replication_and_figure_with_the_difference() {
        let values = vec![ReplicationValues {
            entity: "overall".into(),
            figure: "clearance_mean".into(),
            unit: "hours".into(),
            a: vec![2.0, f64::NAN],
            b: vec![1.5, 1.0],
            difference: Some(vec![-0.5, f64::NAN]),
        }];
        assert_eq!(
            compare_csv(&values),
            "replication,entity,figure,unit,a,b,b_minus_a\n\
             0,overall,clearance_mean,hours,2,1.5,-0.5\n\
             1,overall,clearance_mean,hours,,1,\n"
        );
    }
}
