//! `f32` distance matrices between a block of queries and a block of references. L2 and
//! cosine go through one matrix product (`x·yᵀ`, the `gemm` crate); L1 has no such form and
//! is a parallel loop over query rows.

use super::Metric;
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};

/// Distances `(q, r)` between each row of `x` `(q, d)` and each row of `y` `(r, d)`.
/// L2 is the true Euclidean distance (squared differences that round below zero are clamped).
///
/// Memory is the output plus the two norm vectors: callers bound it by choosing the blocks.
pub fn pairwise(metric: Metric, x: ArrayView2<f32>, y: ArrayView2<f32>) -> Array2<f32> {
    assert_eq!(
        x.ncols(),
        y.ncols(),
        "queries and references must have the same dimension"
    );
    if metric == Metric::L1 {
        let mut out = Array2::zeros((x.nrows(), y.nrows()));
        Zip::from(out.rows_mut())
            .and(x.rows())
            .par_for_each(|mut o, a| {
                for (d, b) in o.iter_mut().zip(y.rows()) {
                    *d = a.iter().zip(b).map(|(p, q)| (p - q).abs()).sum();
                }
            });
        return out;
    }
    let mut out = dot_products(x, y);
    let nx = squared_norms(x);
    let ny = squared_norms(y);
    Zip::from(out.rows_mut())
        .and(&nx)
        .par_for_each(|mut o, &a| {
            for (d, &b) in o.iter_mut().zip(&ny) {
                *d = match metric {
                    Metric::L2 => (a + b - 2.0 * *d).max(0.0).sqrt(),
                    _ if a == 0.0 || b == 0.0 => 1.0,
                    _ => (1.0 - *d / (a.sqrt() * b.sqrt())).clamp(0.0, 2.0),
                };
            }
        });
    out
}

fn squared_norms(x: ArrayView2<f32>) -> Array1<f32> {
    x.map_axis(Axis(1), |r| r.dot(&r))
}

/// `x · yᵀ`.
fn dot_products(x: ArrayView2<f32>, y: ArrayView2<f32>) -> Array2<f32> {
    crate::linalg::matmul(x, y.t())
}
