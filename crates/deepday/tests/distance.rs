//! The fast distance kernels against the naive definitions.

use deepday::distance::{exact::simd_available, naive, pairwise, ExactIndex, Metric};
use ndarray::{Array2, ArrayView2};
use proptest::prelude::*;

fn to_f64(row: ndarray::ArrayView1<u8>) -> Vec<f64> {
    row.iter().map(|&v| v as f64).collect()
}

fn check_exact(metric: Metric, q: ArrayView2<u8>, r: ArrayView2<u8>) {
    for index in [
        ExactIndex::new(metric, r).unwrap(),
        ExactIndex::portable(metric, r).unwrap(),
    ] {
        let got = index.distances(q);
        for i in 0..q.nrows() {
            for j in 0..r.nrows() {
                let want = naive::distance(metric, &to_f64(q.row(i)), &to_f64(r.row(j)));
                let tol = if metric == Metric::Cosine { 1e-12 } else { 0.0 };
                assert!(
                    (got[[i, j]] - want).abs() <= tol,
                    "{metric} ({i},{j}): {} vs {want}",
                    got[[i, j]]
                );
            }
        }
    }
}

fn matrix(rows: usize, cols: usize, values: Vec<u8>) -> Array2<u8> {
    Array2::from_shape_vec((rows, cols), values).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn exact_kernels_equal_the_definitions(
        nq in 1usize..10, nr in 1usize..80, dim in 1usize..50, seed: u64,
    ) {
        // Bytes from a simple generator: full 0..=255 range, with repeats that make ties.
        let mut s = seed | 1;
        let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; if s % 5 == 0 { 0 } else { (s >> 24) as u8 } };
        let q = matrix(nq, dim, (0..nq * dim).map(|_| next()).collect());
        let r = matrix(nr, dim, (0..nr * dim).map(|_| next()).collect());
        for metric in Metric::ALL {
            check_exact(metric, q.view(), r.view());
        }
    }

    #[test]
    fn f32_pairwise_matches_the_definitions(nq in 1usize..12, nr in 1usize..40, dim in 1usize..70, seed: u64) {
        let mut s = seed | 1;
        let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; ((s >> 40) as f32 / (1u64 << 24) as f32) - 0.3 };
        let x = Array2::from_shape_fn((nq, dim), |_| next());
        let y = Array2::from_shape_fn((nr, dim), |_| next());
        for metric in Metric::ALL {
            let d = pairwise(metric, x.view(), y.view());
            for i in 0..nq {
                for j in 0..nr {
                    let a: Vec<f64> = x.row(i).iter().map(|&v| v as f64).collect();
                    let b: Vec<f64> = y.row(j).iter().map(|&v| v as f64).collect();
                    let want = naive::distance(metric, &a, &b);
                    prop_assert!((d[[i, j]] as f64 - want).abs() <= 2e-3 * (1.0 + want), "{} {} vs {}", metric, d[[i, j]], want);
                }
            }
        }
    }
}

#[test]
fn extreme_values_do_not_overflow() {
    let dim = 3072;
    let q = Array2::from_elem((3, dim), 255u8);
    let mut r = Array2::from_elem((5, dim), 0u8);
    r.row_mut(1).fill(255);
    r.row_mut(2).fill(1);
    for metric in Metric::ALL {
        check_exact(metric, q.view(), r.view());
    }
    let big = ExactIndex::new(Metric::L1, r.view())
        .unwrap()
        .distances(q.view());
    assert_eq!(big[[0, 0]], (255 * dim) as f64);
}

#[test]
fn hand_computed_values() {
    let q = matrix(1, 3, vec![1, 2, 3]);
    let r = matrix(3, 3, vec![1, 2, 3, 4, 6, 3, 0, 0, 0]);
    let l1 = ExactIndex::new(Metric::L1, r.view())
        .unwrap()
        .distances(q.view());
    assert_eq!(l1.row(0).to_vec(), vec![0.0, 7.0, 6.0]);
    let l2 = ExactIndex::new(Metric::L2, r.view())
        .unwrap()
        .distances(q.view());
    assert_eq!(l2.row(0).to_vec(), vec![0.0, 5.0, 14f64.sqrt()]);
    let cos = ExactIndex::new(Metric::Cosine, r.view())
        .unwrap()
        .distances(q.view());
    assert!(cos[[0, 0]].abs() < 1e-15);
    assert_eq!(cos[[0, 2]], 1.0, "a zero vector is at cosine distance 1");
}

#[test]
fn metric_names_parse_and_unknown_ones_fail() {
    assert_eq!("L1".parse::<Metric>().unwrap(), Metric::L1);
    assert_eq!("euclidean".parse::<Metric>().unwrap(), Metric::L2);
    let e = "hamming".parse::<Metric>().unwrap_err().to_string();
    assert!(
        e.contains("hamming") && e.contains("l1, l2 or cosine"),
        "{e}"
    );
    assert!(ExactIndex::new(Metric::L1, Array2::<u8>::zeros((2, 0)).view()).is_err());
}

#[test]
fn reports_which_kernels_ran() {
    // Not an assertion on the machine, a record in the test log of what was exercised.
    eprintln!("AVX-512 kernels available: {}", simd_available());
}
