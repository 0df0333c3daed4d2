//! How a long piece of work talks to whoever started it, without printing: warnings,
//! notes, progress and a request to stop.

use std::sync::atomic::AtomicBool;

/// Receives what a command has to say while it works. Every method has a default that
/// ignores it, so a caller implements only what it shows. Called from the caller's
/// thread (never from worker threads).
pub trait Observer {
    /// Something legal but most likely not meant, one line naming what it is about.
    fn warning(&self, _text: &str) {}

    /// A line of news: a candidate judged, a sweep resumed, where results went.
    fn note(&self, _text: &str) {}

    /// Jobs (replications) done of jobs planned; the total may grow (precision rounds).
    fn progress(&self, _done: u64, _total: u64) {}

    /// The work is over (a progress display can go).
    fn finished(&self) {}

    /// A flag the caller sets to ask the work to stop: no new job starts, finished jobs
    /// are kept (a sweep can resume them). Read by the worker threads between jobs;
    /// `None`: the work is never stopped.
    fn stop_flag(&self) -> Option<&AtomicBool> {
        None
    }
}

/// An observer that shows nothing and never asks to stop.
pub struct Silent;

impl Observer for Silent {}

/// An observer that keeps every warning and note, for tests and callers that show them
/// afterwards; it stops when its `stop` flag is set.
#[derive(Default)]
pub struct Collect {
    /// Warnings, in order.
    pub warnings: std::sync::Mutex<Vec<String>>,
    /// Notes, in order.
    pub notes: std::sync::Mutex<Vec<String>>,
    /// Set to ask the work to stop.
    pub stop: AtomicBool,
}

impl Observer for Collect {
    fn warning(&self, text: &str) {
        self.warnings
            .lock()
            .expect("not poisoned")
            .push(text.into());
    }

    fn note(&self, text: &str) {
        self.notes.lock().expect("not poisoned").push(text.into());
    }

    fn stop_flag(&self) -> Option<&AtomicBool> {
        Some(&self.stop)
    }
}
