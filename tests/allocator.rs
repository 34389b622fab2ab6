//! The allocator option a spilled build sets (`spill::give_memory_back_sooner`) is the one it
//! means. Its own process, so that no spill has set it yet: the option must still hold
//! mimalloc 3's default purge delay, 1,000 ms, which no other option of that version has.

#[test]
fn the_option_set_is_mimallocs_purge_delay_with_its_default_of_a_second() {
    // SAFETY: reads an option's value; plain integers, no other effect.
    let delay = unsafe { libmimalloc_sys::mi_option_get(switchyard::spill::MI_OPTION_PURGE_DELAY) };
    assert_eq!(delay, 1000);
}
