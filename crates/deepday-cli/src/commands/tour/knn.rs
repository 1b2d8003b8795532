//! The tour's first chapters: data as vectors, k-nearest neighbours, cross-validation.

use super::save;
use crate::commands::knn::fit_and_predict;
use crate::plot;
use crate::progress::Bar;
use crate::report::Report;
use anyhow::Result;
use deepday::classic::{KnnConfig, Weights};
use deepday::data::Split;
use deepday::distance::Metric;
use deepday::tune::{best, cross_validate_knn, KnnGrid};
use std::path::Path;

pub fn chapter_data(split: &Split, out: &Path, report: &mut Report) -> Result<()> {
    println!("1. Data as vectors");
    report.heading("1. Data as vectors");
    let shape = split.train.shape();
    report.paragraph(&format!(
        "Each image is a grid of {}x{} grey pixels, read row by row into a vector of {} numbers from 0 to 255. \
         Similar images should be close vectors; how close is measured by a distance: L1 (sum of absolute \
         differences) or L2 (Euclidean).",
        shape.height,
        shape.width,
        shape.len()
    ));
    save(
        &plot::class_grid(&split.train, 10, 0),
        &out.join("data-grid.png"),
        report,
        "Ten training images of each class",
    )
}

pub fn chapter_knn(split: &Split, out: &Path, report: &mut Report) -> Result<()> {
    println!("2. k-nearest neighbours");
    report.heading("2. k-nearest neighbours: store and compare");
    report.paragraph(
        "k-NN remembers every training image. To label a new one it finds the k closest training images and \
         lets them vote. Training is instant; prediction compares against the whole training set.",
    );
    let mut rows = Vec::new();
    for metric in [Metric::L1, Metric::L2] {
        let config = KnnConfig {
            k: 1,
            metric,
            weights: Weights::Uniform,
        };
        let run = fit_and_predict(config, &split.train, &split.test)?;
        let acc = run.confusion.accuracy();
        println!(
            "  k=1 {metric}: accuracy {acc:.4} ({:.3} s)",
            run.predict_seconds
        );
        rows.push(vec![
            metric.name().to_string(),
            format!("{acc:.4}"),
            format!("{:.3}", run.predict_seconds),
        ]);
    }
    report.paragraph("Nearest neighbour (k = 1) with each distance, on the test images:");
    report.table(
        &[
            "distance".into(),
            "test accuracy".into(),
            "predict seconds".into(),
        ],
        &rows,
    );

    report.heading("3. Choosing k and the distance by cross-validation");
    let grid = KnnGrid {
        ks: vec![1, 3, 5, 8, 10, 12, 15, 20, 50, 100],
        metrics: vec![Metric::L1, Metric::L2],
        weights: Weights::Uniform,
        folds: 5,
        seed: 0,
    };
    report.paragraph(&format!(
        "Hyper-parameters are chosen on the training data only: it is cut into {} folds; each fold in turn is held \
         out and predicted by k-NN fitted on the others. The test set is touched once, by the chosen setting.",
        grid.folds
    ));
    let bar = Bar::new((grid.folds * grid.metrics.len()) as u64, "cross-val");
    let scores = cross_validate_knn(&split.train, &grid, &bar)?;
    bar.finish();
    save(
        &plot::accuracy_vs_k(&scores, grid.folds),
        &out.join("accuracy-vs-k.png"),
        report,
        "Validation accuracy against k (mean ± std over folds; dots are single folds)",
    )?;
    let chosen = best(&scores).expect("non-empty grid");
    let config = KnnConfig {
        k: chosen.k,
        metric: chosen.metric,
        weights: Weights::Uniform,
    };
    let run = fit_and_predict(config, &split.train, &split.test)?;
    let acc = run.confusion.accuracy();
    println!(
        "  cross-validation chose k={} {}: test accuracy {acc:.4}",
        chosen.k, chosen.metric
    );
    report.paragraph(&format!(
        "Cross-validation chose k = {} with {} distance ({:.4} ± {:.4} validation accuracy). On the test set it \
         reaches {acc:.4}.",
        chosen.k,
        chosen.metric,
        chosen.mean(),
        chosen.std()
    ));
    let names = split.test.class_names();
    let mut header = vec!["true \\ predicted".to_string()];
    header.extend(names.iter().cloned());
    let rows: Vec<Vec<String>> = run
        .confusion
        .counts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            std::iter::once(names[i].clone())
                .chain(r.iter().map(|c| c.to_string()))
                .collect()
        })
        .collect();
    report.paragraph("Confusion matrix of the chosen setting on the test set:");
    report.table(&header, &rows);
    save(
        &plot::gallery(&split.test, &split.train, &run.neighbors, 8),
        &out.join("gallery.png"),
        report,
        "Test images (left) and their nearest training images: green frames share the query's class, red do not",
    )
}
