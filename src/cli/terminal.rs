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
    /// Draw a progress bar of jobs (on a terminal only, and not when quiet).
    progress: Option<bool>,
    bar: RefCell<Option<JobProgress>>,
    ctrl_c: bool,
}

impl Terminal {
    /// Warnings and notes only.
    pub fn new() -> Terminal {
        Terminal::default()
    }

    /// Also a progress bar of jobs, unless `quiet`.
    pub fn with_progress(quiet: bool) -> Terminal {
        Terminal {
            progress: Some(quiet),
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

impl Observer for Terminal {
    fn warning(&self, text: &str) {
        eprintln!("warning: {text}");
    }

    fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    fn progress(&self, done: u64, total: u64) {
        let Some(quiet) = self.progress else {
            return;
        };
        let mut bar = self.bar.borrow_mut();
        match bar.as_ref() {
            Some(b) => b.update(done, total),
            None => *bar = Some(JobProgress::stderr(done, total, quiet)),
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
