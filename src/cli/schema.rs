//! `portsim schema`: print a JSON Schema of the scenario file format, for editors.

use super::{Failure, print_out};

/// Prints the JSON Schema (draft 2020-12) of scenario files to stdout.
pub fn schema() -> Result<(), Failure> {
    let text = portsim::scenario::schema::scenario_schema_text();
    print_out(&mut std::io::stdout().lock(), &text)
}
