//! Durations with units: "90s", "30m", "1.5h", "2d".

/// Parses a duration string into hours.
///
/// Units: `s` seconds, `m` or `min` minutes, `h` hours, `d` days, `w` weeks. The number may
/// have a fraction; it must be finite and not negative.
pub fn parse_duration_hours(text: &str) -> Result<f64, String> {
    let s = text.trim();
    let split = s
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| expected(text))?;
    let (number, unit) = s.split_at(split);
    let value: f64 = number.trim().parse().map_err(|_| expected(text))?;
    let per_hour = match unit.trim() {
        "s" => 1.0 / 3600.0,
        "m" | "min" => 1.0 / 60.0,
        "h" => 1.0,
        "d" => 24.0,
        "w" => 168.0,
        _ => return Err(expected(text)),
    };
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "expected a duration that is not negative, got \"{text}\""
        ));
    }
    Ok(value * per_hour)
}

fn expected(text: &str) -> String {
    format!(
        "expected a duration with a unit such as \"90s\", \"30m\", \"1.5h\" or \"2d\", got \"{text}\""
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_duration_hours("90s").unwrap(), 90.0 / 3600.0);
        assert_eq!(parse_duration_hours("30m").unwrap(), 0.5);
        assert_eq!(parse_duration_hours("45 min").unwrap(), 0.75);
        assert_eq!(parse_duration_hours("1.5h").unwrap(), 1.5);
        assert_eq!(parse_duration_hours("2d").unwrap(), 48.0);
        assert_eq!(parse_duration_hours("1w").unwrap(), 168.0);
    }

    #[test]
    fn malformed() {
        for bad in [
            "", "1", "h", "1x", "1.2.3h", "-1h", "infh", "NaNh", "1 hour",
        ] {
            assert!(parse_duration_hours(bad).is_err(), "{bad}");
        }
    }
}
