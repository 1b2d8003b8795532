//! Any bytes, raw or named .gz, must give an IDX array or an error: never a panic, never an
//! allocation the input did not pay for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    for name in ["f", "f.gz"] {
        if let Ok(a) = deepday::data::parse_idx(Path::new(name), data) {
            assert_eq!(a.data.len(), a.dims.iter().product::<usize>());
        }
    }
});
