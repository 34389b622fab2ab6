//! libgit2's pack maps are limited process-wide (`source::limit_pack_maps`, called first
//! thing in `main`). Its own test binary: the options are global and must be set before any
//! other thread uses libgit2, which no other test here does.

use switchyard::source::{limit_pack_maps, PACK_MAPPED_LIMIT, PACK_WINDOW};

#[test]
fn pack_maps_are_limited_to_small_windows() {
    // SAFETY: the only test of this binary; nothing else has touched libgit2.
    unsafe {
        let default = git2::opts::get_mwindow_mapped_limit().expect("read the default");
        assert!(
            default > PACK_MAPPED_LIMIT,
            "the default maps more: {default}"
        );
        limit_pack_maps().expect("set");
        assert_eq!(git2::opts::get_mwindow_size().expect("read"), PACK_WINDOW);
        assert_eq!(
            git2::opts::get_mwindow_mapped_limit().expect("read"),
            PACK_MAPPED_LIMIT
        );
    }
}
