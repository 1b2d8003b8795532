//! `deepday tune knn`: k-fold cross-validation over k and metrics, then a test of the best.
//! `deepday tune linear`: a learning-rate × regularisation grid on a validation split, then
//! the best setting retrained on all training images and tested.

use super::train::{fit_linear, linear_config, save_linear, settings};
use super::{knn::fit_and_predict, load};
use crate::args::{TuneKnnArgs, TuneLinearArgs};
use crate::{plot, progress::Bar};
use anyhow::{Context, Result};
use deepday::classic::KnnConfig;
use deepday::tune::{
    best, best_linear, cross_validate_knn, tune_linear, CvScore, GridScore, KnnGrid,
};
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

pub fn linear(args: &TuneLinearArgs) -> Result<()> {
    let split = load(&args.data)?;
    plot::drawable(split.train.shape())?;
    let fraction = if args.training.validation > 0.0 {
        args.training.validation
    } else {
        0.1
    };
    let base = linear_config(&args.training, None, 0.0, args.data.seed)?;
    let n_fit = split.train.len() - (split.train.len() as f64 * fraction).round() as usize;
    let mut per_fit = base;
    per_fit.validation = None;
    let total = per_fit.steps(n_fit) * args.lr.len() * args.reg.len();
    let bar = Bar::new(total as u64, "grid");
    let scores = tune_linear(&split.train, &base, &args.lr, &args.reg, fraction, &bar)?;
    bar.finish();
    let chosen = best_linear(&scores)
        .context("every setting diverged: try smaller learning rates")?
        .clone();
    let mut config = base;
    config.train.learning_rate = chosen.learning_rate;
    config.train.objective.reg = chosen.reg;
    let run = fit_linear(&config, &split.train, &split.test, "best setting")?;
    let test_accuracy = run.confusion.accuracy();
    let mut settings = settings(&config, &args.data.data);
    settings["test_accuracy"] = json!(test_accuracy);
    save_linear(&run, &split.test, settings.clone(), &args.out)?;
    grid_heatmap(&scores, &args.lr, &args.reg).save(&args.out.join("validation.png"))?;
    let summary = json!({
        "validation_fraction": fraction,
        "scores": scores,
        "best": { "lr": chosen.learning_rate, "reg": chosen.reg, "validation_accuracy": chosen.validation_accuracy },
        "test_accuracy": test_accuracy,
        "settings": settings,
    });
    deepday::io::write_atomic(
        &args.out.join("grid.json"),
        serde_json::to_string_pretty(&summary)?.as_bytes(),
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    println!(
        "validation accuracy ({} loss, {}; {:.0}% of {} training images held out)\n",
        config.train.objective.loss.name(),
        config.train.strategy.name(),
        fraction * 100.0,
        split.train.len()
    );
    print!("{}", grid_text(&scores, &args.lr, &args.reg));
    println!(
        "\nbest: lr {} reg {} (validation {:.4}); retrained with it: test accuracy {:.4}",
        chosen.learning_rate,
        chosen.reg,
        chosen.validation_accuracy.unwrap_or(0.0),
        test_accuracy
    );
    println!(
        "wrote validation.png, grid.json and the best model to {}",
        args.out.display()
    );
    Ok(())
}

fn cell(scores: &[GridScore], lr: f32, reg: f32) -> Option<f64> {
    scores
        .iter()
        .find(|s| s.learning_rate == lr && s.reg == reg)
        .and_then(|s| s.validation_accuracy)
}

/// Rows: learning rates; columns: regularisation; `diverged` where training blew up.
pub fn grid_text(scores: &[GridScore], lrs: &[f32], regs: &[f32]) -> String {
    let mut s = format!("{:>10}", "lr \\ reg");
    for r in regs {
        s += &format!("{r:>10}");
    }
    s.push('\n');
    for &lr in lrs {
        s += &format!("{lr:>10}");
        for &reg in regs {
            s += &match cell(scores, lr, reg) {
                Some(a) => format!("{a:>10.4}"),
                None => format!("{:>10}", "diverged"),
            };
        }
        s.push('\n');
    }
    s
}

/// The grid as a heat map, coloured from the worst to the best validation accuracy.
pub fn grid_heatmap(scores: &[GridScore], lrs: &[f32], regs: &[f32]) -> plot::Canvas {
    let values: Vec<Vec<f64>> = lrs
        .iter()
        .map(|&lr| {
            regs.iter()
                .map(|&reg| cell(scores, lr, reg).unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let finite = values.iter().flatten().filter(|v| v.is_finite());
    let lo = finite.clone().copied().fold(1.0, f64::min);
    let hi = finite.copied().fold(0.0, f64::max);
    plot::Heatmap {
        title: "validation accuracy".into(),
        row_title: "learning rate".into(),
        col_title: "regularisation".into(),
        rows: lrs.iter().map(|v| v.to_string()).collect(),
        cols: regs.iter().map(|v| v.to_string()).collect(),
        values: values.clone(),
    }
    .draw(
        |i, j| {
            if values[i][j].is_finite() {
                0.1 + 0.9 * (values[i][j] - lo) / (hi - lo).max(1e-9)
            } else {
                0.0
            }
        },
        |v| {
            if v.is_finite() {
                format!("{v:.3}")
            } else {
                "div.".into()
            }
        },
    )
}
