//! Background jobs: blocking work (disk, git, crypto, network, file dialogs)
//! runs on named threads, one job per name at a time, and reports progress
//! through a shared handle and its result through a channel the UI drains
//! once per frame. A waker (the UI's `request_repaint`) is called when a job
//! finishes or reports progress, so an idle UI does not poll.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Called from job threads to wake the UI.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// Progress of one job, shared between the job and the UI.
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    message: Mutex<String>,
    cancelled: AtomicBool,
    waker: Waker,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Progress {
    fn new(waker: Waker) -> Self {
        Self {
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            message: Mutex::new(String::new()),
            cancelled: AtomicBool::new(false),
            waker,
        }
    }

    /// Report `done` of `total` units (bytes, files) and wake the UI.
    pub fn set(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        (self.waker)();
    }

    /// Say what the job is doing now.
    pub fn say(&self, message: impl Into<String>) {
        if let Ok(mut m) = self.message.lock() {
            *m = message.into();
        }
        (self.waker)();
    }

    /// The fraction done, when the total is known.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| self.done.load(Ordering::Relaxed) as f32 / total as f32)
    }

    /// The last message.
    pub fn message(&self) -> String {
        self.message.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Ask the job to stop; jobs check [`Self::is_cancelled`] between units.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether the job was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

impl crate::core::ports::Watch for Progress {
    fn say(&self, what: &str) {
        Progress::say(self, what);
    }
    fn set(&self, done: u64, total: u64) {
        Progress::set(self, done, total);
    }
    fn is_cancelled(&self) -> bool {
        Progress::is_cancelled(self)
    }
}

/// A job that finished, with its result (or the message of its panic).
#[derive(Debug)]
pub struct Finished<T> {
    /// The job's name.
    pub name: String,
    /// What it returned; `Err` with the panic message if it panicked.
    pub result: Result<T, String>,
}

/// A running job, as the UI sees it.
#[derive(Debug, Clone)]
pub struct Running {
    /// Its progress.
    pub progress: Arc<Progress>,
    /// When it started.
    pub started: Instant,
}

/// The set of background jobs of one kind of result `T`.
pub struct Jobs<T> {
    tx: Sender<Finished<T>>,
    rx: Receiver<Finished<T>>,
    running: BTreeMap<String, Running>,
    waker: Waker,
}

impl<T> std::fmt::Debug for Jobs<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("running", &self.running.keys())
            .finish()
    }
}

/// A job of that name is already running.
#[derive(Debug, thiserror::Error)]
#[error("“{0}” is still running; wait for it to finish")]
pub struct AlreadyRunning(pub String);

impl<T: Send + 'static> Jobs<T> {
    /// An empty set; `waker` is called whenever there is news.
    pub fn new(waker: Waker) -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            running: BTreeMap::new(),
            waker,
        }
    }

    /// Start `work` on a thread named after the job.
    pub fn spawn(
        &mut self,
        name: &str,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Result<Arc<Progress>, AlreadyRunning> {
        if self.running.contains_key(name) {
            return Err(AlreadyRunning(name.to_owned()));
        }
        let progress = Arc::new(Progress::new(self.waker.clone()));
        let tx = self.tx.clone();
        let waker = self.waker.clone();
        let job_progress = progress.clone();
        let job_name = name.to_owned();
        let spawned = std::thread::Builder::new()
            .name(format!("job: {name}"))
            .spawn(move || {
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&job_progress)))
                        .map_err(|panic| {
                            panic
                                .downcast_ref::<&str>()
                                .map(|s| (*s).to_owned())
                                .or_else(|| panic.downcast_ref::<String>().cloned())
                                .unwrap_or_else(|| "the job failed unexpectedly".to_owned())
                        });
                let _ = tx.send(Finished {
                    name: job_name,
                    result,
                });
                waker();
            });
        if let Err(e) = spawned {
            // The OS refused a thread: report it as the job's failure.
            let _ = self.tx.send(Finished {
                name: name.to_owned(),
                result: Err(format!("cannot start a thread: {e}")),
            });
        }
        self.running.insert(
            name.to_owned(),
            Running {
                progress: progress.clone(),
                started: Instant::now(),
            },
        );
        Ok(progress)
    }

    /// Jobs that finished since the last call.
    pub fn poll(&mut self) -> Vec<Finished<T>> {
        let done: Vec<Finished<T>> = self.rx.try_iter().collect();
        for f in &done {
            self.running.remove(&f.name);
        }
        done
    }

    /// The running jobs by name.
    pub fn running(&self) -> &BTreeMap<String, Running> {
        &self.running
    }

    /// Whether a job with this name runs.
    pub fn is_running(&self, name: &str) -> bool {
        self.running.contains_key(name)
    }

    /// Whether any job runs.
    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn wait<T: Send + 'static>(jobs: &mut Jobs<T>) -> Vec<Finished<T>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let done = jobs.poll();
            if !done.is_empty() || Instant::now() > deadline {
                return done;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn one_job_per_name_results_and_panics() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        let mut jobs: Jobs<u32> = Jobs::new(Arc::new(move || {
            w.fetch_add(1, Ordering::Relaxed);
        }));
        let (go_tx, go_rx) = channel::<()>();
        jobs.spawn("a", move |p| {
            p.set(1, 2);
            let _ = go_rx.recv();
            7
        })
        .expect("starts");
        assert!(
            jobs.spawn("a", |_| 0).is_err(),
            "same name refused while running"
        );
        assert!(jobs.is_running("a"));
        go_tx.send(()).expect("job waits");
        let done = wait(&mut jobs);
        assert_eq!(done[0].result, Ok(7));
        assert!(!jobs.is_busy());
        assert!(
            woken.load(Ordering::Relaxed) >= 2,
            "progress and completion wake the UI"
        );

        jobs.spawn("b", |_| panic!("boom")).expect("starts");
        let done = wait(&mut jobs);
        assert_eq!(done[0].result, Err("boom".to_owned()));
    }
}
