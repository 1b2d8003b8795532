//! Similarity between images as vectors: L1 (`Σ|a−b|`), L2 (Euclidean, `√Σ(a−b)²`, ranked by
//! its square) and cosine distance (`1 − a·b / (‖a‖‖b‖)`, 1 when either vector is zero, as
//! scikit-learn defines it).
//!
//! Two implementations share the [`Metric`] names:
//! - [`exact`]: integer kernels on `u8` pixels, the hot loop of k-NN. Results are exact, so
//!   ties are exact and runs reproducible; AVX-512 (`vpsadbw` for L1, VNNI `vpdpbusd` for dot
//!   products) where the CPU has it, portable loops elsewhere.
//! - [`pairwise`]: `f32` features (after preprocessing), with L2 and cosine through the
//!   `‖a‖² + ‖b‖² − 2a·b` expansion on the `gemm` crate's matrix product (the fastest of the
//!   crates benchmarked in `benches/gemm.rs`).
//!
//! [`naive`] holds the one-pair-at-a-time definitions both are tested against.

pub mod exact;
pub mod naive;
mod pairwise;

pub use exact::ExactIndex;
pub use pairwise::pairwise;

use crate::{Error, Result};

/// A distance between two vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    L1,
    L2,
    Cosine,
}

impl Metric {
    /// All metrics, in the order they are listed to users.
    pub const ALL: [Metric; 3] = [Metric::L1, Metric::L2, Metric::Cosine];

    /// The name users type (`l1`, `l2`, `cosine`).
    pub fn name(self) -> &'static str {
        match self {
            Metric::L1 => "l1",
            Metric::L2 => "l2",
            Metric::Cosine => "cosine",
        }
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Metric {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "l1" | "manhattan" | "cityblock" => Ok(Metric::L1),
            "l2" | "euclidean" => Ok(Metric::L2),
            "cosine" => Ok(Metric::Cosine),
            _ => Err(Error::config(
                "metric",
                format!("unknown metric `{s}` (l1, l2 or cosine)"),
            )),
        }
    }
}
