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

/// Passes everything on to `inner`, with progress counted on from `before` jobs done
/// out of `total`: several runs (the scenarios of `run`, the two sides of `compare`)
/// shown as one piece of work.
pub(crate) struct Offset<'a> {
    /// Who hears it.
    pub inner: &'a dyn Observer,
    /// Jobs done before this run.
    pub before: u64,
    /// Jobs of the whole piece of work.
    pub total: u64,
}

impl Observer for Offset<'_> {
    fn warning(&self, text: &str) {
        self.inner.warning(text);
    }

    fn note(&self, text: &str) {
        self.inner.note(text);
    }

    fn progress(&self, done: u64, total: u64) {
        // A precision rule may plan more replications than the whole was told.
        let whole = self.total.max(self.before + total);
        self.inner.progress(self.before + done, whole);
    }

    fn stop_flag(&self) -> Option<&AtomicBool> {
        self.inner.stop_flag()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Progress(Mutex<Vec<(u64, u64)>>);

    impl Observer for Progress {
        fn progress(&self, done: u64, total: u64) {
            self.0.lock().unwrap().push((done, total));
        }
    }

    #[test]
    fn offset_counts_on_from_earlier_runs() {
        let seen = Progress::default();
        let second = Offset {
            inner: &seen,
            before: 4,
            total: 10,
        };
        second.progress(0, 6);
        second.progress(6, 6);
        // A precision rule that plans beyond the whole raises the whole.
        second.progress(7, 9);
        assert_eq!(*seen.0.lock().unwrap(), vec![(4, 10), (10, 10), (11, 13)]);
    }
}
