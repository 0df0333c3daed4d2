//! `portsim validate`: check scenario files without simulating.

use std::path::PathBuf;

use portsim::api::scenarios::load_all;

use super::terminal::Terminal;
use super::{Failure, print_out};

/// Loads and checks every file; prints one line per valid scenario, then one indented
/// line per peak and per dated regime.
pub fn validate(paths: &[PathBuf]) -> Result<(), Failure> {
    let loaded = load_all(paths, &[], &Terminal::new())?;
    let mut stdout = std::io::stdout().lock();
    for s in &loaded {
        let m = &s.model;
        let line = format!(
            "ok: {} — \"{}\": {} mode{}, {} pool{}, policy {}, {} replications, horizon {} days",
            s.file,
            m.name,
            m.modes.len(),
            if m.modes.len() == 1 { "" } else { "s" },
            m.pools.len(),
            if m.pools.len() == 1 { "" } else { "s" },
            m.policy.as_deref().unwrap_or("none (constant staff)"),
            m.replications,
            m.horizon.hours() / 24.0
        );
        print_out(&mut stdout, &line)?;
        for line in portsim::report::periods::lines(m) {
            print_out(&mut stdout, &format!("  {line}"))?;
        }
    }
    Ok(())
}
