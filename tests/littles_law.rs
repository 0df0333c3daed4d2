//! Little's law, L = λW, on every validation scenario: the time-average number in the
//! system over the counting window equals the arrival rate times the mean clearance, and
//! at each pool the mean queue equals the arrival rate times the mean wait.

use crate::support::{model, run};

#[test]
fn littles_law_holds_on_every_validation_scenario() {
    for file in ["mm1", "mmc", "md1", "mg1-lognormal", "business-hours"] {
        let m = model(&format!("scenarios/validation/{file}.toml"), &[]);
        let (results, _) = run(&m);
        for r in &results {
            let mode = &r.modes[0];
            let lambda = mode.arrivals as f64 / m.window_hours();
            let (l, w) = (mode.mean_in_system, mode.clearance.mean());
            let rel = (l - lambda * w).abs() / (lambda * w);
            assert!(
                rel < 0.02,
                "{file} replication {}: L = {l:.4}, λW = {:.4} ({:.2} % apart)",
                r.replication,
                lambda * w,
                100.0 * rel
            );
            // Every shipment of these scenarios visits the one pool once.
            let lq = r.pools[0].mean_queue;
            let wq = mode.wait.mean();
            let rel_q = (lq - lambda * wq).abs() / (lambda * wq);
            assert!(
                rel_q < 0.03,
                "{file} replication {}: Lq = {lq:.4}, λWq = {:.4}",
                r.replication,
                lambda * wq
            );
        }
    }
}
