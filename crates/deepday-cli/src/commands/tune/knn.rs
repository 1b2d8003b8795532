//! `deepday tune knn`: k-fold cross-validation over k and metrics, then a test of the best.

use crate::args::TuneKnnArgs;
use crate::commands::{knn::fit_and_predict, load};
use crate::{plot, progress::Bar};
use anyhow::Result;
use deepday::classic::KnnConfig;
use deepday::tune::{best, cross_validate_knn, CvScore, KnnGrid};
use serde_json::json;

pub fn knn(args: &TuneKnnArgs) -> Result<()> {
    let split = load(&args.data)?;
    let grid = KnnGrid {
        ks: args.k.clone(),
        metrics: args.metric.clone(),
        weights: args.weights,
        folds: args.folds,
        seed: args.data.seed,
    };
    let bar = Bar::new((grid.folds * grid.metrics.len()) as u64, "cross-val");
    let scores = cross_validate_knn(&split.train, &grid, &bar)?;
    bar.finish();
    let chosen = best(&scores).expect("a non-empty grid");
    let config = KnnConfig {
        k: chosen.k,
        metric: chosen.metric,
        weights: args.weights,
    };
    let test = fit_and_predict(config, &split.train, &split.test)?;
    let test_accuracy = test.confusion.accuracy();

    let summary = json!({
        "folds": grid.folds,
        "weights": args.weights.to_string(),
        "n_train": split.train.len(),
        "n_test": split.test.len(),
        "scores": scores.iter().map(score_json).collect::<Vec<_>>(),
        "best": { "k": chosen.k, "metric": chosen.metric.name(), "mean": chosen.mean(), "std": chosen.std() },
        "test_accuracy": test_accuracy,
    });
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)?;
        plot::accuracy_vs_k(&scores, grid.folds).save(&dir.join("accuracy-vs-k.png"))?;
        deepday::io::write_atomic(
            &dir.join("cv.json"),
            serde_json::to_string_pretty(&summary)?.as_bytes(),
        )?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    println!(
        "{}-fold cross-validation on {} training images (weights={})\n",
        grid.folds,
        split.train.len(),
        args.weights
    );
    print!("{}", scores_text(&scores));
    println!(
        "\nbest: k={} metric={} ({:.4} ± {:.4})",
        chosen.k,
        chosen.metric,
        chosen.mean(),
        chosen.std()
    );
    println!(
        "test accuracy with it: {test_accuracy:.4} on {} test images",
        split.test.len()
    );
    if let Some(dir) = &args.out {
        println!(
            "wrote {} and {}",
            dir.join("accuracy-vs-k.png").display(),
            dir.join("cv.json").display()
        );
    }
    Ok(())
}

fn score_json(s: &CvScore) -> serde_json::Value {
    json!({ "k": s.k, "metric": s.metric.name(), "mean": s.mean(), "std": s.std(), "folds": s.fold_accuracies })
}

/// A table of mean ± std accuracy: one row per k, one column per metric.
pub fn scores_text(scores: &[CvScore]) -> String {
    let mut metrics: Vec<_> = scores.iter().map(|s| s.metric).collect();
    metrics.dedup();
    let mut ks: Vec<usize> = scores.iter().map(|s| s.k).collect();
    ks.sort_unstable();
    ks.dedup();
    let mut out = format!("{:>5}", "k");
    for m in &metrics {
        out += &format!("  {:>17}", m.name());
    }
    out.push('\n');
    for k in ks {
        out += &format!("{k:>5}");
        for m in &metrics {
            match scores.iter().find(|s| s.k == k && s.metric == *m) {
                Some(s) => out += &format!("  {:>8.4} ± {:.4}", s.mean(), s.std()),
                None => out += &format!("  {:>17}", "-"),
            }
        }
        out.push('\n');
    }
    out
}
