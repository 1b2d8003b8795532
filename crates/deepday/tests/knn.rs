//! k-NN against a brute-force reference written from the definition (sort by distance, then
//! training index; vote; the smallest class wins equal votes), on data full of ties.

use deepday::classic::knn::argmax;
use deepday::classic::{KnnConfig, Weights};
use deepday::data::{Dataset, ImageShape};
use deepday::distance::{naive, Metric};
use deepday::Silent;
use ndarray::Array2;
use proptest::prelude::*;

fn dataset(
    rows: usize,
    dim: usize,
    values: Vec<u8>,
    labels: Vec<usize>,
    classes: usize,
) -> Dataset {
    let pixels = Array2::from_shape_vec((rows, dim), values).unwrap();
    let names = (0..classes).map(|c| format!("c{c}")).collect();
    Dataset::new(
        pixels,
        labels,
        ImageShape {
            channels: 1,
            height: 1,
            width: dim,
        },
        names,
    )
    .unwrap()
}

/// scikit-learn's rules, one query at a time.
fn reference(
    train: &Dataset,
    query: &[f64],
    k: usize,
    metric: Metric,
    weights: Weights,
) -> (Vec<usize>, usize) {
    let mut d: Vec<(f64, usize)> = train
        .pixels()
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            (
                naive::distance(
                    metric,
                    query,
                    &r.iter().map(|&v| v as f64).collect::<Vec<_>>(),
                ),
                i,
            )
        })
        .collect();
    d.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let near = &d[..k];
    let mut votes = vec![0.0; train.n_classes()];
    let zero = near.iter().any(|&(x, _)| x == 0.0);
    for &(dist, i) in near {
        votes[train.labels()[i]] += match weights {
            Weights::Uniform => 1.0,
            Weights::Distance if zero => f64::from(dist == 0.0),
            Weights::Distance => 1.0 / dist,
        };
    }
    (near.iter().map(|&(_, i)| i).collect(), argmax(&votes))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn matches_the_reference_even_with_ties(
        n in 1usize..90, nq in 1usize..20, dim in 1usize..12, classes in 1usize..5, k_frac in 0.0f64..1.0, seed: u64,
    ) {
        let mut s = seed | 1;
        let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s };
        // Few distinct values, so many distances are equal.
        let values: Vec<u8> = (0..n * dim).map(|_| [0u8, 1, 2, 255][(next() % 4) as usize]).collect();
        let labels: Vec<usize> = (0..n).map(|_| (next() % classes as u64) as usize).collect();
        let train = dataset(n, dim, values, labels, classes);
        let queries: Vec<u8> = (0..nq * dim).map(|_| [0u8, 1, 255][(next() % 3) as usize]).collect();
        let queries = Array2::from_shape_vec((nq, dim), queries).unwrap();
        let k = 1 + ((n - 1) as f64 * k_frac) as usize;
        for metric in Metric::ALL {
            for weights in [Weights::Uniform, Weights::Distance] {
                let knn = KnnConfig { k, metric, weights }.fit(&train).unwrap();
                let nb = knn.kneighbors(queries.view(), k, &Silent).unwrap();
                let predicted = knn.predict(queries.view(), &Silent).unwrap();
                for (q, &label_got) in predicted.iter().enumerate() {
                    let qv: Vec<f64> = queries.row(q).iter().map(|&v| v as f64).collect();
                    let (idx, label) = reference(&train, &qv, k, metric, weights);
                    prop_assert_eq!(&nb.indices[q * k..(q + 1) * k], &idx[..], "{} {} neighbours", metric, weights);
                    prop_assert_eq!(label_got, label, "{} {} vote", metric, weights);
                }
            }
        }
    }
}

#[test]
fn equal_votes_go_to_the_smaller_class_and_zero_distance_dominates() {
    // Two training images at equal distance 1 from the query, classes 1 and 0: a tie.
    let train = dataset(3, 1, vec![9, 11, 100], vec![1, 0, 0], 2);
    let q = Array2::from_shape_vec((1, 1), vec![10u8]).unwrap();
    let knn = KnnConfig {
        k: 2,
        metric: Metric::L1,
        weights: Weights::Uniform,
    }
    .fit(&train)
    .unwrap();
    assert_eq!(knn.predict(q.view(), &Silent).unwrap(), vec![0]);
    // An exact match outvotes any number of near neighbours under distance weights.
    let train = dataset(4, 1, vec![10, 11, 11, 11], vec![1, 0, 0, 0], 2);
    let knn = KnnConfig {
        k: 4,
        metric: Metric::L2,
        weights: Weights::Distance,
    }
    .fit(&train)
    .unwrap();
    assert_eq!(knn.predict(q.view(), &Silent).unwrap(), vec![1]);
    let nb = knn.kneighbors(q.view(), 4, &Silent).unwrap();
    assert_eq!(knn.vote(&nb, 4, Weights::Distance)[0], vec![0.0, 1.0]);
    assert_eq!(knn.vote(&nb, 4, Weights::Uniform)[0], vec![0.75, 0.25]);
}

#[test]
fn bad_settings_are_errors() {
    let train = dataset(3, 2, vec![0; 6], vec![0, 1, 0], 2);
    let e = KnnConfig {
        k: 0,
        ..Default::default()
    }
    .fit(&train)
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("k") && e.contains("at least 1"), "{e}");
    let e = KnnConfig {
        k: 4,
        ..Default::default()
    }
    .fit(&train)
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("more than the 3 training images"), "{e}");
    let knn = KnnConfig {
        k: 1,
        ..Default::default()
    }
    .fit(&train)
    .unwrap();
    let wrong = Array2::<u8>::zeros((1, 3));
    assert!(knn
        .predict(wrong.view(), &Silent)
        .unwrap_err()
        .to_string()
        .contains("3 values"));
    assert!("nearest".parse::<Weights>().is_err());
}

#[test]
fn sample_accuracy_is_that_of_a_working_classifier() {
    let s = deepday::data::sample().unwrap();
    let knn = KnnConfig {
        k: 5,
        metric: Metric::L1,
        weights: Weights::Distance,
    }
    .fit(&s.train)
    .unwrap();
    let p = knn.predict(s.test.pixels(), &Silent).unwrap();
    let acc = deepday::metrics::accuracy(s.test.labels(), &p);
    assert!((0.78..0.86).contains(&acc), "k-NN on the sample: {acc}");
}
