//! Which matrix product should the `f32` distances use? The `x · yᵀ` of a block of
//! Fashion-MNIST-sized rows, timed for the `gemm` crate, `faer` and `matrixmultiply` (what
//! ndarray's `dot` calls), each with all cores. Run: `cargo bench -p deepday --bench gemm`.

use ndarray::Array2;
use std::time::Instant;

const M: usize = 2000;
const N: usize = 10000;
const K: usize = 784;

fn best_of<F: FnMut()>(mut f: F) -> f64 {
    f();
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let x = Array2::from_shape_fn((M, K), |(i, j)| ((i * 31 + j * 7) % 256) as f32);
    let y = Array2::from_shape_fn((N, K), |(i, j)| ((i * 17 + j * 3) % 256) as f32);
    let flops = 2.0 * (M * N * K) as f64;
    let threads = rayon::current_num_threads();
    let mut out = Array2::<f32>::zeros((M, N));

    let t_gemm = best_of(|| unsafe {
        gemm::gemm(
            M,
            N,
            K,
            out.as_mut_ptr(),
            1,
            N as isize,
            false,
            x.as_ptr(),
            1,
            K as isize,
            y.as_ptr(),
            K as isize,
            1,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::Rayon(threads),
        )
    });
    let reference = out.clone();

    let xf = faer::Mat::<f32>::from_fn(M, K, |i, j| x[[i, j]]);
    let yf = faer::Mat::<f32>::from_fn(N, K, |i, j| y[[i, j]]);
    let mut of = faer::Mat::<f32>::zeros(M, N);
    let t_faer = best_of(|| {
        faer::linalg::matmul::matmul(
            of.as_mut(),
            faer::Accum::Replace,
            xf.as_ref(),
            yf.as_ref().transpose(),
            1.0,
            faer::Par::rayon(threads),
        )
    });

    let yt = y.t();
    let t_mm = best_of(|| out = x.dot(&yt));

    let diff = (&out - &reference)
        .mapv(f32::abs)
        .fold(0f32, |a, &b| a.max(b));
    let diff_faer = (0..M)
        .flat_map(|i| (0..N).map(move |j| (i, j)))
        .step_by(997)
        .map(|(i, j)| (of[(i, j)] - reference[[i, j]]).abs())
        .fold(0f32, f32::max);
    assert!(
        diff <= 1.0 && diff_faer <= 1.0,
        "the products disagree: {diff} {diff_faer}"
    );
    println!("x·yᵀ with x {M}x{K}, y {N}x{K}, f32, {threads} threads");
    for (name, t) in [
        ("gemm", t_gemm),
        ("faer", t_faer),
        ("matrixmultiply (ndarray dot)", t_mm),
    ] {
        println!("{name:<30} {:>8.3} s {:>8.1} GFLOP/s", t, flops / t / 1e9);
    }
}
