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
pub fn map_largest_first<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> u64 + Sync,
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Ties keep the items' order, so the schedule is the same on every run.
    order.sort_by_key(|&i| std::cmp::Reverse(size(&items[i])));
    let mut done: Vec<(usize, R)> = order.par_iter().map(|&i| (i, f(i, &items[i]))).collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order_whatever_their_sizes() {
        let items = [3u64, 90, 1, 90, 40];
        let got = map_largest_first(&items, |&s| s, |i, &s| (i, s * 2));
        assert_eq!(got, [(0, 6), (1, 180), (2, 2), (3, 180), (4, 80)]);
        let none: Vec<u64> = map_largest_first(&[] as &[u64], |&s| s, |_, &s| s);
        assert!(none.is_empty());
    }
}
