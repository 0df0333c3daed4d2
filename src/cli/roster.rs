//! `portsim roster`: the cheapest roster keeping each hour's delay probability, or the
//! clearance targets, over a window.

use std::path::PathBuf;

use clap::Args;

use portsim::api::roster::{RosterRequest, roster as design};
use portsim::report::export::Format;
use portsim::roster::day_types::DayTyping;

use super::terminal::Terminal;
use super::{Failure, SimArgs, print_doc};

/// Flags of `portsim roster`.
#[derive(Args)]
pub struct RosterArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A pool to design a roster for (repeatable; it must work a roster, not constant staff).
    #[arg(long = "pool", value_name = "NAME", required = true)]
    pub pools: Vec<String>,
    /// The days to design for, FROM..TO (dates, both included), inside the counting
    /// window; default: the whole counting window.
    #[arg(long, value_name = "FROM..TO")]
    pub window: Option<String>,
    /// How the window's days share a roster: one (every day alike), workday (working
    /// and rest days), peak (by peak period), peak-workday (both).
    #[arg(long, value_name = "KIND", default_value = "peak-workday", value_parser = DayTyping::parse)]
    pub day_types: DayTyping,
    /// A clearance target, [MODE.]METRIC<=DURATION, e.g. "p90<=24h" (repeatable): the
    /// per-hour delay probability is searched for the cheapest roster meeting them all.
    #[arg(long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Per-hour probability that a shipment reaching a designed pool finds every officer
    /// busy (without --target).
    #[arg(long, value_name = "P", default_value_t = 0.2, allow_hyphen_values = true, value_parser = parse_probability)]
    pub delay_probability: f64,
    /// Shift lengths allowed, whole hours, e.g. 8h,10h,12h.
    #[arg(long, value_name = "HOURS", default_value = "8h,10h,12h", value_parser = parse_hours, value_delimiter = ',')]
    pub shift_lengths: Vec<u32>,
    /// Shifts may start every this many hours from 00:00, e.g. 1h or 2h.
    #[arg(long, value_name = "HOURS", default_value = "1h", value_parser = parse_hours)]
    pub shift_starts_every: u32,
    /// The most officers on one shift.
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = parse_count)]
    pub max_per_shift: Option<u32>,
    /// Runs of the iterative staffing algorithm at most, per design.
    #[arg(long, value_name = "N", default_value_t = 20, allow_hyphen_values = true, value_parser = parse_count)]
    pub max_iterations: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the design as one JSON document (schema portsim.roster/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write roster.toml (to append to the scenario), roster.json and requirement.csv here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Draw a figure per pool (roster-POOL.png and .svg) here.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Overwrite files in --out and --plots that portsim did not write.
    #[arg(long)]
    pub force: bool,
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!(
            "expected a probability strictly between 0 and 1, e.g. 0.2, got {}",
            text.trim()
        )),
    }
}

/// Whole hours, `8h` or `8`, from 1 to 24.
fn parse_hours(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let number = t.strip_suffix('h').unwrap_or(t);
    super::whole(number, 1, 24)
        .map(|n| n as u32)
        .map_err(|_| format!("expected whole hours from 1h to 24h, e.g. 8h, got \"{t}\""))
}

fn parse_count(text: &str) -> Result<u32, String> {
    super::whole(text, 1, 1_000_000).map(|n| n as u32)
}

/// Designs the roster and prints it; exit 1 when targets were given and no roster met
/// them.
pub fn roster(args: RosterArgs) -> Result<(), Failure> {
    let quiet = args.sim.quiet;
    let request = RosterRequest {
        scenario: args.scenario,
        pools: args.pools,
        window: args.window,
        day_typing: args.day_types,
        targets: args.targets,
        delay_probability: args.delay_probability,
        shift_lengths: args.shift_lengths,
        starts_every: args.shift_starts_every,
        max_per_shift: args.max_per_shift,
        max_iterations: args.max_iterations,
        sim: args.sim.settings(),
        out: args.out,
        plots: args.plots,
        force: args.force,
    };
    let outcome = design(&request, &Terminal::with_progress(quiet, "replications"))?;
    print_doc(&outcome.document, Format::from_json_flag(args.json))?;
    outcome.verdict()?;
    Ok(())
}
