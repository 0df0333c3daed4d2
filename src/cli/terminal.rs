//! The terminal as the library's observer: warnings and notes on stderr, a progress bar
//! when a person is watching, and Ctrl-C as a request to stop.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use portsim::api::Observer;
use portsim::report::progress::JobProgress;

use super::{EXIT_INTERRUPTED, Failure, internal};

/// Set by the first Ctrl-C: no new job starts; the second one quits at once.
static STOP: AtomicBool = AtomicBool::new(false);

/// Prints what the library says on stderr.
#[derive(Default)]
pub struct Terminal {
    /// Draw a progress bar (on a terminal only, and not when quiet), and what it counts.
    progress: Option<(bool, &'static str)>,
    bar: RefCell<Option<JobProgress>>,
    ctrl_c: bool,
}

impl Terminal {
    /// Warnings and notes only.
    pub fn new() -> Terminal {
        Terminal::default()
    }

    /// Also a progress bar counting `unit` (jobs, replications), unless `quiet`.
    pub fn with_progress(quiet: bool, unit: &'static str) -> Terminal {
        Terminal {
            progress: Some((quiet, unit)),
            ..Terminal::default()
        }
    }

    /// Also Ctrl-C as a stop request: running jobs finish and the results so far are
    /// written; a second Ctrl-C quits at once.
    pub fn catching_ctrl_c(mut self) -> Result<Terminal, Failure> {
        ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(EXIT_INTERRUPTED.into());
            }
            eprintln!(
                "\nstopping: running jobs finish, then the results so far are written (Ctrl-C again to quit now)"
            );
        })
        .map_err(|e| internal(format!("cannot handle Ctrl-C: {e}")))?;
        self.ctrl_c = true;
        Ok(self)
    }
}

impl Terminal {
    /// A line on stderr, with the progress bar (if any) out of its way.
    fn say(&self, line: &str) {
        match self.bar.borrow().as_ref() {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl Observer for Terminal {
    fn warning(&self, text: &str) {
        self.say(&format!("warning: {text}"));
    }

    fn note(&self, text: &str) {
        self.say(text);
    }

    fn progress(&self, done: u64, total: u64) {
        let Some((quiet, unit)) = self.progress else {
            return;
        };
        let mut bar = self.bar.borrow_mut();
        match bar.as_ref() {
            Some(b) => b.update(done, total),
            None => *bar = Some(JobProgress::stderr(done, total, quiet, unit)),
        }
    }

    fn finished(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish();
        }
    }

    fn stop_flag(&self) -> Option<&AtomicBool> {
        self.ctrl_c.then_some(&STOP)
    }
}
