//! The worker threads that parse, lint and render in parallel. Reading a definition
//! recurses once per level of JSON nesting (serde stops at 128 levels, the lenient parser at
//! 512), and each level takes several stack frames; a debug build's frames are large enough
//! to overflow the 2 MiB that threads get by default on a hostile file. Every entry point
//! that fans out over connectors calls `ensure` first, so the pool has room to spare.
//! (Regression: `tests/hostile.rs` overflowed a worker's stack in the debug build once the
//! raw Swagger types grew; it runs through `Site::load`, which calls `ensure` first.)

use std::sync::Once;

/// Stack of each worker thread: virtual memory, only the pages used are committed.
pub const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Sets up rayon's global pool with big stacks, once; a pool set up earlier (by an embedding
/// program) is kept as it is.
pub fn ensure() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_BYTES)
            .build_global();
    });
}

/// `f` over `items` in parallel, the largest first, results in the items' order.
///
/// A connector folder takes time in proportion to its definition, and the largest is 1 MB
/// against a median of 40 KB: taken in folder order, a large one near the end kept one core
/// busy while the other had nothing left to do. Largest first, the last pieces are small.
///
/// Each item is a piece of its own (`with_max_len(1)`). Left to itself, rayon cuts a range
/// into a few runs and a thread goes through its run alone: in a traced build of the real
/// repository, the thread that began with the largest connector went on through 192 of the
/// 1,034, and in profiled builds the other core waited up to 150 ms at the end of the stage
/// (regression: `the_largest_items_are_shared_between_the_threads`).
pub fn map_largest_first<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> u64 + Sync,
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let borrowed: Vec<&T> = items.iter().collect();
    map_largest_first_taking(borrowed, |t| size(t), f)
}

/// `map_largest_first`, taking the items: each is dropped as soon as `f` is done with it
/// (the parse drops each folder's discovered paths once its connector is read, which at 50×
/// the real repository held tens of MB to the end of the stage).
pub fn map_largest_first_taking<T: Send, R: Send>(
    items: Vec<T>,
    size: impl Fn(&T) -> u64 + Sync,
    f: impl Fn(usize, T) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let mut order: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    // Ties keep the items' order (a stable sort), so the schedule is the same on every run.
    order.sort_by_key(|(_, t)| std::cmp::Reverse(size(t)));
    let mut done: Vec<(usize, R)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|(i, t)| (i, f(i, t)))
        .collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    /// Regression: rayon went through the run that began with the largest items on one
    /// thread, so the second largest waited for the largest while the other core was idle.
    /// Here the largest item waits (up to 10 s) for the second largest: it is done only if
    /// the other thread can take it.
    #[test]
    fn the_largest_items_are_shared_between_the_threads() {
        let sizes: Vec<u64> = (0..64).rev().collect();
        let second_done = AtomicBool::new(false);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of two threads");
        let waited = pool.install(|| {
            map_largest_first(
                &sizes,
                |&s| s,
                |i, _| match i {
                    0 => {
                        let start = Instant::now();
                        while !second_done.load(Ordering::SeqCst) {
                            if start.elapsed() > Duration::from_secs(10) {
                                return false;
                            }
                            std::thread::sleep(Duration::from_millis(1));
                        }
                        true
                    }
                    1 => {
                        second_done.store(true, Ordering::SeqCst);
                        true
                    }
                    _ => true,
                },
            )
        });
        assert!(
            waited[0],
            "the second largest was left to the thread of the largest"
        );
    }

    #[test]
    fn results_come_back_in_the_items_order_whatever_their_sizes() {
        let items = [3u64, 90, 1, 90, 40];
        let got = map_largest_first(&items, |&s| s, |i, &s| (i, s * 2));
        assert_eq!(got, [(0, 6), (1, 180), (2, 2), (3, 180), (4, 80)]);
        let none: Vec<u64> = map_largest_first(&[] as &[u64], |&s| s, |_, &s| s);
        assert!(none.is_empty());
    }

    /// Taking the items, each is dropped once it is done with, not at the end: on one
    /// thread, the k-th item done finds the k - 1 before it gone.
    #[test]
    fn taken_items_are_dropped_as_they_are_done() {
        let token = std::sync::Arc::new(());
        let items: Vec<(u64, std::sync::Arc<()>)> = [5u64, 9, 1, 7]
            .iter()
            .map(|&s| (s, token.clone()))
            .collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool of one thread");
        let held = pool.install(|| {
            map_largest_first_taking(items, |t| t.0, |_, t| std::sync::Arc::strong_count(&t.1))
        });
        // Largest first (9, 7, 5, 1): 5 handles (the token's and four items'), then fewer.
        assert_eq!(held, [3, 5, 2, 4]);
        assert_eq!(std::sync::Arc::strong_count(&token), 1, "all dropped");
    }
}
