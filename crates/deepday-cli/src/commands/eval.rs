//! `deepday eval` and `deepday predict`: any saved model (linear or k-NN) through one path.

use super::knn::confusion_text;
use crate::args::{EvalArgs, PredictArgs};
use crate::{plot, progress::Bar};
use anyhow::{Context, Result};
use deepday::checkpoint::SavedModel;
use deepday::data::{load_image, stratified_subset, FolderOptions};
use deepday::metrics::top_k;
use deepday::metrics::ConfusionMatrix;
use deepday::Silent;
use ndarray::Array2;
use serde_json::json;
use std::time::Instant;

fn load_model(path: &std::path::Path) -> Result<SavedModel> {
    SavedModel::load(path).with_context(|| format!("cannot use model {}", path.display()))
}

pub fn eval(args: &EvalArgs) -> Result<()> {
    let model = load_model(&args.model)?;
    // Image folders are read at the model's input size.
    let opts = FolderOptions {
        height: model.shape.height,
        width: model.shape.width,
        channels: model.shape.channels,
    };
    let mut test = deepday::data::open(&args.data, &opts)?.test;
    if let Some(limit) = args.test_limit {
        anyhow::ensure!(limit >= 1, "--test-limit must be at least 1");
        test = test.select(&stratified_subset(test.labels(), limit, args.seed));
    }
    model.check_compatible(&test)?;
    let bar = Bar::new(test.len() as u64, "eval");
    let start = Instant::now();
    let scores = model.scores(test.pixels(), &bar)?;
    let seconds = start.elapsed().as_secs_f64();
    bar.finish();
    let predicted = deepday::metrics::argmax_rows(scores.view());
    let cm = ConfusionMatrix::new(test.labels(), &predicted, test.n_classes())?;
    if let Some(path) = &args.confusion {
        plot::confusion_matrix(&cm, test.class_names()).save(path)?;
    }
    if args.json {
        let out = json!({
            "model": args.model,
            "kind": model.kind(),
            "accuracy": cm.accuracy(),
            "n_test": test.len(),
            "seconds": seconds,
            "confusion_matrix": cm.counts,
            "settings": model.settings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let settings: Vec<String> = match &model.settings {
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| format!("{k}={v}")).collect(),
        other => vec![other.to_string()],
    };
    println!(
        "{} model {} ({} images, {} classes)\ntrained with {}",
        model.kind(),
        args.model.display(),
        model.shape,
        model.class_names.len(),
        settings.join(" ")
    );
    println!(
        "accuracy {:.4} on {} test images ({:.3} s)\n",
        cm.accuracy(),
        test.len(),
        seconds
    );
    print!("{}", confusion_text(&cm, test.class_names()));
    Ok(())
}

pub fn predict(args: &PredictArgs) -> Result<()> {
    anyhow::ensure!(args.top >= 1, "--top must be at least 1");
    let model = load_model(&args.model)?;
    let rows: Vec<Vec<u8>> = args
        .images
        .iter()
        .map(|p| load_image(p, model.shape))
        .collect::<Result<_, _>>()?;
    let pixels = Array2::from_shape_vec((rows.len(), model.shape.len()), rows.concat())
        .expect("each image converted to the model's shape");
    let scores = model.scores(pixels.view(), &Silent)?;
    let name = |j: usize| model.class_names[j].clone();
    let kind = model.score_kind();
    if args.json {
        let out: Vec<_> = args
            .images
            .iter()
            .zip(scores.rows())
            .map(|(path, row)| {
                let top: Vec<_> = top_k(row.as_slice().expect("contiguous"), args.top)
                    .into_iter()
                    .map(|(j, v)| json!({"class": j, "name": name(j), kind: v}))
                    .collect();
                json!({"image": path, "top": top})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"score": kind, "predictions": out}))?
        );
        return Ok(());
    }
    for (path, row) in args.images.iter().zip(scores.rows()) {
        let top = top_k(row.as_slice().expect("contiguous"), args.top);
        let text: Vec<String> = top
            .iter()
            .enumerate()
            .map(|(r, &(j, v))| format!("{}. {} {v:.3}", r + 1, name(j)))
            .collect();
        println!("{}: {}", path.display(), text.join("   "));
    }
    println!("({kind} per class)");
    Ok(())
}
