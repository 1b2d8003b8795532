//! Any bytes must parse as whole CIFAR-10 records with labels in range, or be an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    let n_classes = data.first().map_or(10, |&b| 1 + b as usize % 12);
    if deepday::data::parse_batch(Path::new("f.bin"), data, n_classes, &mut pixels, &mut labels).is_ok() {
        assert_eq!(pixels.len(), labels.len() * 3072);
        assert!(labels.iter().all(|&l| l < n_classes));
    }
});
