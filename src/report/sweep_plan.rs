//! A sweep's plan for people: what `sweep --dry-run` lists.

use crate::scenario::sweep_file::{LoadedSweep, value_text};

/// One line for the sweep, then one per variant with its values and replications.
pub fn plan_table(sweep: &LoadedSweep) -> String {
    let jobs: u32 = sweep
        .variants
        .iter()
        .map(|v| v.scenario.model.replications)
        .sum();
    let mut out = format!(
        "ok: {} — sweep \"{}\" of {}: {} variants, {} jobs\n",
        sweep.file,
        sweep.name,
        sweep.variants[0].scenario.file,
        sweep.variants.len(),
        jobs
    );
    for (i, v) in sweep.variants.iter().enumerate() {
        let values: Vec<String> = v
            .values
            .iter()
            .map(|(k, x)| format!("{k}={}", value_text(x)))
            .collect();
        out.push_str(&format!(
            "  {i}: {} ({} replications)\n",
            values.join(" "),
            v.scenario.model.replications
        ));
    }
    out
}
