//! `deepday knn`: fit on the train split, predict the test split, report accuracy.

use super::{load, seconds};
use crate::args::KnnArgs;
use crate::{plot, progress::Bar};
use anyhow::{Context, Result};
use deepday::classic::knn::argmax;
use deepday::classic::{KnnConfig, Neighbors};
use deepday::data::Dataset;
use deepday::metrics::ConfusionMatrix;
use serde_json::json;
use std::time::Instant;

/// What one k-NN run on a test set produced.
pub struct KnnRun {
    pub neighbors: Neighbors,
    pub predicted: Vec<usize>,
    pub confusion: ConfusionMatrix,
    pub fit_seconds: f64,
    pub predict_seconds: f64,
}

/// Fits `config` on `train` and classifies `test`, keeping the neighbours for galleries.
pub fn fit_and_predict(config: KnnConfig, train: &Dataset, test: &Dataset) -> Result<KnnRun> {
    let start = Instant::now();
    let model = config.fit(train)?;
    let fit_seconds = seconds(start);
    let bar = Bar::new(test.len() as u64, &format!("k-NN {}", config.metric));
    let start = Instant::now();
    let neighbors = model.kneighbors(test.pixels(), config.k, &bar)?;
    let predicted: Vec<usize> = model
        .vote(&neighbors, config.k, config.weights)
        .iter()
        .map(|v| argmax(v))
        .collect();
    let predict_seconds = seconds(start);
    bar.finish();
    let confusion = ConfusionMatrix::new(test.labels(), &predicted, test.n_classes())?;
    Ok(KnnRun {
        neighbors,
        predicted,
        confusion,
        fit_seconds,
        predict_seconds,
    })
}

pub fn run(args: &KnnArgs) -> Result<()> {
    let split = load(&args.data)?;
    if args.gallery.is_some() {
        plot::drawable(split.train.shape())?;
    }
    let config = args.knn.config();
    let run = fit_and_predict(config, &split.train, &split.test)?;
    let names = split.test.class_names();
    let accuracy = run.confusion.accuracy();

    if let Some(path) = &args.save_predictions {
        let text: String = run.predicted.iter().map(|p| format!("{p}\n")).collect();
        deepday::io::write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing predictions to {}", path.display()))?;
    }
    if let Some(path) = &args.gallery {
        plot::gallery(&split.test, &split.train, &run.neighbors, 8).save(path)?;
    }

    if args.json {
        let per_class: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .zip(run.confusion.per_class_accuracy())
            .map(|(n, a)| (n.clone(), json!(a)))
            .collect();
        let out = json!({
            "k": config.k,
            "metric": config.metric.name(),
            "weights": config.weights.to_string(),
            "accuracy": accuracy,
            "n_train": split.train.len(),
            "n_test": split.test.len(),
            "fit_seconds": run.fit_seconds,
            "predict_seconds": run.predict_seconds,
            "per_class_accuracy": per_class,
            "confusion_matrix": run.confusion.counts,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "k-NN: k={} metric={} weights={} on {} training and {} test images ({})",
        config.k,
        config.metric,
        config.weights,
        split.train.len(),
        split.test.len(),
        split.train.shape()
    );
    let right = run
        .predicted
        .iter()
        .zip(split.test.labels())
        .filter(|(p, t)| p == t)
        .count();
    println!(
        "accuracy {accuracy:.4} ({right}/{})   predict {:.3} s",
        split.test.len(),
        run.predict_seconds
    );
    println!("\nper-class accuracy");
    for (name, acc) in names.iter().zip(run.confusion.per_class_accuracy()) {
        let acc = acc.map_or("-".to_string(), |a| format!("{a:.3}"));
        println!("  {name:<14} {acc}");
    }
    println!("\nconfusion matrix (rows: true class, columns: predicted class)");
    print!("{}", confusion_text(&run.confusion, names));
    for (what, path) in [
        ("predictions", &args.save_predictions),
        ("gallery", &args.gallery),
    ] {
        if let Some(p) = path {
            println!("wrote {what} to {}", p.display());
        }
    }
    Ok(())
}

/// The confusion matrix as an aligned text table, columns numbered by class.
pub fn confusion_text(cm: &ConfusionMatrix, names: &[String]) -> String {
    let mut s = format!("{:<16}", "");
    for j in 0..names.len() {
        s += &format!("{j:>6}");
    }
    s.push('\n');
    for (i, row) in cm.counts.iter().enumerate() {
        s += &format!("{:>2} {:<13}", i, truncate(&names[i], 13));
        for c in row {
            s += &format!("{c:>6}");
        }
        s.push('\n');
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
