//! A progress bar of jobs done, with an ETA, drawn on stderr only when a person is
//! watching (stderr is a terminal) and not asked to be quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of a list of jobs.
pub struct JobProgress {
    bar: ProgressBar,
}

impl JobProgress {
    /// A bar on stderr: hidden when `quiet` or when stderr is not a terminal (a log
    /// file, a CI job, a pipe).
    pub fn stderr(done: u64, total: u64, quiet: bool, unit: &str) -> JobProgress {
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            // indicatif draws nothing on a stderr that is not a terminal.
            ProgressDrawTarget::stderr()
        };
        JobProgress::with_target(done, total, target, unit)
    }

    /// A bar drawn on `target`, counting `unit` (jobs, replications).
    pub fn with_target(
        done: u64,
        total: u64,
        target: ProgressDrawTarget,
        unit: &str,
    ) -> JobProgress {
        let bar = ProgressBar::with_draw_target(Some(total), target);
        // Braces in the unit would be read as template keys.
        let unit: String = unit.chars().filter(|c| !"{}".contains(*c)).collect();
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {unit}, ETA {{eta}} {{msg}}"
            ))
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar.set_position(done);
        // Jobs done before (a resumed sweep) say nothing about this run's speed.
        bar.reset_eta();
        JobProgress { bar }
    }

    /// Jobs done of jobs planned (precision-driven sweeps add jobs as they go).
    pub fn update(&self, done: u64, total: u64) {
        if done < self.bar.position() {
            // A new piece of work (the next candidate of a search): its own speed.
            self.bar.reset_eta();
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
    }

    /// Whether the bar is drawn anywhere.
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// Runs `f` (which prints a line, say) with the bar out of the way, then redraws it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the bar (the caller then prints its own closing line).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;
    use std::io;
    use std::sync::{Arc, Mutex};

    use indicatif::TermLike;

    use super::*;

    /// A terminal that records what is written to it.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<String>>);

    impl fmt::Debug for Recorder {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Recorder")
        }
    }

    impl TermLike for Recorder {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn shows_jobs_done_of_planned_and_an_eta() {
        let term = Recorder::default();
        let p = JobProgress::with_target(
            2,
            16,
            ProgressDrawTarget::term_like_with_hz(Box::new(term.clone()), 250),
            "jobs",
        );
        assert!(!p.is_hidden());
        std::thread::sleep(std::time::Duration::from_millis(5));
        p.update(5, 20);
        std::thread::sleep(std::time::Duration::from_millis(5));
        p.update(6, 20);
        let text = term.0.lock().unwrap().clone();
        assert!(text.contains("/20 jobs"), "{text}");
        assert!(text.contains("ETA"), "{text}");
    }

    #[test]
    fn quiet_hides_the_bar() {
        assert!(JobProgress::stderr(0, 10, true, "jobs").is_hidden());
    }
}
