//! Independent work spread over the machine's cores: one job per item (a
//! stack, a file), the results in the items' order whatever order the jobs
//! finished in, so output stays byte-for-byte the same with one thread or
//! many.
//!
//! Plain scoped threads, not a thread pool crate: synth makes a handful of
//! these calls per run, each over a few dozen stacks, and a thread costs tens
//! of microseconds against the milliseconds a stack takes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// How many threads `map` may use: the cores this process may run on
/// (cgroup quotas and CPU affinity included), at least one.
fn threads() -> usize {
    thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `items.iter().map(f).collect()`, with the calls spread over up to
/// [`threads`] threads, each taking the next item not yet taken.
///
/// A panic in `f` is raised again on the caller's thread, as it would be
/// without threads.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = threads().min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    thread::scope(|scope| {
        // The calling thread works too: one thread fewer to start.
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut finished = vec![work()];
        for helper in helpers {
            match helper.join() {
                Ok(done) => finished.push(done),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        for (i, result) in finished.into_iter().flatten() {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(result);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<u64> = (0..100).collect();
        // Uneven work, so jobs finish out of order.
        let squares = map(&items, |&n| {
            if n % 7 == 0 {
                thread::sleep(std::time::Duration::from_millis(1));
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_results() {
        let items: [u8; 0] = [];
        assert!(map(&items, |&n| n).is_empty());
    }

    #[test]
    #[should_panic(expected = "job failed")]
    fn a_panicking_job_panics_the_caller() {
        let items = [1, 2, 3, 4];
        map(&items, |&n| {
            assert!(n != 3, "job failed");
            n
        });
    }
}
