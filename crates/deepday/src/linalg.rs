//! The one fast matrix product everything else uses: `out = beta·out + a·b` on the `gemm`
//! crate (benchmarked fastest here, see `benches/gemm.rs`), for any strides, so transposed
//! views (`x.t()`) cost nothing.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

/// `a · b` `(m, k)·(k, n) → (m, n)`.
pub fn matmul(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f32> {
    let mut out = Array2::zeros((a.nrows(), b.ncols()));
    matmul_into(a, b, out.view_mut(), false);
    out
}

/// `out = a · b`, or `out += a · b` when `accumulate`.
pub fn matmul_into(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    mut out: ArrayViewMut2<f32>,
    accumulate: bool,
) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    assert_eq!(b.nrows(), k, "inner dimensions of a matrix product");
    assert_eq!(out.dim(), (m, n), "output shape of a matrix product");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            out.fill(0.0);
        }
        return;
    }
    // Small products are not worth waking the thread pool for.
    let threads = rayon::current_num_threads();
    let par = if threads > 1 && m * n * k > 1 << 22 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    let (os, as_, bs) = (out.strides().to_vec(), a.strides(), b.strides());
    // SAFETY: every pointer and stride comes from a live ndarray view of exactly the shape
    // passed (checked above); `out` is uniquely borrowed; gemm reads `out` only when
    // `read_dst` (accumulate) is true, and then it holds initialised values.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.as_mut_ptr(),
            os[1],
            os[0],
            accumulate,
            a.as_ptr(),
            as_[1],
            as_[0],
            b.as_ptr(),
            bs[1],
            bs[0],
            1.0,
            1.0,
            false,
            false,
            false,
            par,
        );
    }
}
