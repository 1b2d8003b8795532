//! Any bytes must load as a model or give an error: never a panic. A model that loads must
//! survive a save and load unchanged.
#![no_main]

use deepday::checkpoint::SavedModel;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = SavedModel::from_bytes(data) {
        let bytes = model.to_bytes().expect("a loaded model serialises");
        assert_eq!(SavedModel::from_bytes(&bytes).expect("and loads again"), model);
    }
});
