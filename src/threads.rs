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
