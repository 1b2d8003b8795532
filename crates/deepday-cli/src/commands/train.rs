//! `deepday train linear|knn`: train on the train split, test on the test split, save the
//! model with its history and pictures.

use super::{load, seconds};
use crate::args::{TrainKnnArgs, TrainLinearArgs, TrainingArgs};
use crate::{plot, progress::Bar};
use anyhow::{Context, Result};
use deepday::checkpoint::{Classifier, SavedModel};
use deepday::classic::linear::{LinearClassifier, LinearConfig};
use deepday::data::Dataset;
use deepday::loss::Objective;
use deepday::metrics::ConfusionMatrix;
use deepday::optim::Schedule;
use deepday::train::{History, TrainConfig};
use serde_json::json;
use std::path::Path;
use std::time::Instant;

/// The library's configuration from the command line's values.
pub fn linear_config(
    t: &TrainingArgs,
    lr: Option<f32>,
    reg: f32,
    seed: u64,
) -> Result<LinearConfig> {
    anyhow::ensure!(
        (0.0..1.0).contains(&t.validation),
        "--validation must be at least 0 and below 1, not {}",
        t.validation
    );
    let schedule = match t.schedule.as_str() {
        "constant" => Schedule::Constant,
        "step" => Schedule::Step {
            every: 5,
            gamma: 0.5,
        },
        _ => Schedule::Cosine { epochs: t.epochs },
    };
    Ok(LinearConfig {
        train: TrainConfig {
            objective: Objective { loss: t.loss, reg },
            strategy: t.optimizer,
            learning_rate: lr.unwrap_or(t.optimizer.default_learning_rate()),
            schedule,
            epochs: t.epochs,
            batch_size: t.batch_size,
            patience: t.patience,
            seed,
        },
        preprocess: t.preprocess,
        init_std: t.init_std,
        validation: (t.validation > 0.0).then_some(t.validation),
    })
}

/// The settings as recorded in the model file and printed with `--json`.
pub fn settings(c: &LinearConfig, data: &str) -> serde_json::Value {
    // f32 settings as the user wrote them (0.001, not 0.0010000000474974513).
    let short = |v: f32| v.to_string().parse::<f64>().unwrap_or(f64::from(v));
    let schedule = match c.train.schedule {
        Schedule::Constant => "constant",
        Schedule::Step { .. } => "step",
        Schedule::Cosine { .. } => "cosine",
    };
    json!({
        "loss": c.train.objective.loss.name(),
        "optimizer": c.train.strategy.name(),
        "lr": short(c.train.learning_rate),
        "reg": short(c.train.objective.reg),
        "epochs": c.train.epochs,
        "batch_size": if c.train.batch_size == usize::MAX { json!("full") } else { json!(c.train.batch_size) },
        "schedule": schedule,
        "validation": c.validation,
        "patience": c.train.patience,
        "preprocess": c.preprocess.name(),
        "init_std": short(c.init_std),
        "seed": c.train.seed,
        "data": data,
    })
}

/// A trained linear classifier and how it did on the test set.
pub struct LinearRun {
    pub classifier: LinearClassifier,
    pub history: History,
    pub confusion: ConfusionMatrix,
    pub train_seconds: f64,
}

/// Trains `config` on `train` (with a progress bar) and tests it on `test`.
pub fn fit_linear(
    config: &LinearConfig,
    train: &Dataset,
    test: &Dataset,
    label: &str,
) -> Result<LinearRun> {
    let bar = Bar::new(config.steps(train.len()) as u64, label);
    let start = Instant::now();
    let (classifier, history) = config.fit(train, &bar)?;
    let train_seconds = seconds(start);
    bar.finish();
    let predicted = classifier.predict(test.pixels())?;
    let confusion = ConfusionMatrix::new(test.labels(), &predicted, test.n_classes())?;
    Ok(LinearRun {
        classifier,
        history,
        confusion,
        train_seconds,
    })
}

/// Writes the model, `history.json` and the pictures of a linear run into `out`.
pub fn save_linear(
    run: &LinearRun,
    test: &Dataset,
    settings: serde_json::Value,
    out: &Path,
) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let model = SavedModel {
        classifier: Classifier::Linear(run.classifier.clone()),
        shape: test.shape(),
        class_names: test.class_names().to_vec(),
        settings,
    };
    model.save(&out.join("model.safetensors"))?;
    let history = serde_json::to_vec_pretty(&run.history)?;
    deepday::io::write_atomic(&out.join("history.json"), &history)?;
    let title = format!(
        "{} loss, {}",
        run.classifier.loss.name(),
        model.settings["optimizer"].as_str().unwrap_or("")
    );
    plot::loss_curve(&run.history, &title).save(&out.join("loss.png"))?;
    plot::drawable(test.shape())?;
    plot::weight_templates(
        run.classifier.linear.w.view(),
        test.shape(),
        test.class_names(),
    )
    .save(&out.join("weights.png"))?;
    plot::confusion_matrix(&run.confusion, test.class_names()).save(&out.join("confusion.png"))?;
    Ok(())
}

pub fn linear(args: &TrainLinearArgs) -> Result<()> {
    let start = Instant::now();
    let split = load(&args.data)?;
    plot::drawable(split.train.shape())?;
    let config = linear_config(&args.training, args.lr, args.reg, args.data.seed)?;
    let label = format!(
        "{} {}",
        config.train.objective.loss.name(),
        config.train.strategy.name()
    );
    let run = fit_linear(&config, &split.train, &split.test, &label)?;
    let accuracy = run.confusion.accuracy();
    let mut settings = settings(&config, &args.data.data);
    settings["test_accuracy"] = json!(accuracy);
    save_linear(&run, &split.test, settings.clone(), &args.out)?;
    let total_seconds = seconds(start);
    if args.json {
        let out = json!({
            "test_accuracy": accuracy,
            "train_seconds": run.train_seconds,
            "total_seconds": total_seconds,
            "epochs": run.history.epochs.len(),
            "best_epoch": run.history.best_epoch,
            "stopped_early": run.history.stopped_early,
            "final_train_loss": run.history.epochs.last().map(|e| e.train_loss),
            "n_train": split.train.len(),
            "n_test": split.test.len(),
            "settings": settings,
            "out": args.out,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "linear classifier: {} loss, {} (lr {}, reg {}) on {} training images ({})",
        config.train.objective.loss.name(),
        config.train.strategy.name(),
        config.train.learning_rate,
        config.train.objective.reg,
        split.train.len(),
        split.train.shape()
    );
    print!("{}", history_text(&run.history));
    println!(
        "test accuracy {accuracy:.4} on {} images   train {:.2} s   total {:.2} s",
        split.test.len(),
        run.train_seconds,
        total_seconds
    );
    println!(
        "wrote model.safetensors, history.json, loss.png, weights.png, confusion.png to {}",
        args.out.display()
    );
    Ok(())
}

/// One line per epoch: loss, validation accuracy (when held out), the kept epoch marked.
pub fn history_text(h: &History) -> String {
    let validated = h.epochs.iter().any(|e| e.validation_accuracy.is_some());
    let val_header = if validated {
        format!(" {:>10}", "val acc")
    } else {
        String::new()
    };
    let mut s = format!(
        "{:>6} {:>11}{val_header} {:>10} {:>8}\n",
        "epoch", "train loss", "lr", "seconds"
    );
    for e in &h.epochs {
        let val = match e.validation_accuracy {
            Some(a) => format!(" {a:>10.4}"),
            None if validated => format!(" {:>10}", "-"),
            None => String::new(),
        };
        let mark = if h.best_epoch == Some(e.epoch) {
            "  <- kept"
        } else {
            ""
        };
        s += &format!(
            "{:>6} {:>11.4}{val} {:>10.2e} {:>8.2}{mark}\n",
            e.epoch, e.train_loss, e.learning_rate, e.seconds
        );
    }
    if h.stopped_early {
        s += "stopped early: validation accuracy stopped improving\n";
    }
    s
}

pub fn knn(args: &TrainKnnArgs) -> Result<()> {
    let split = load(&args.data)?;
    let config = args.knn.config();
    let run = super::knn::fit_and_predict(config, &split.train, &split.test)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let path = args.out.join("model.safetensors");
    let model = SavedModel {
        classifier: Classifier::Knn {
            config,
            train: split.train.clone(),
        },
        shape: split.train.shape(),
        class_names: split.train.class_names().to_vec(),
        settings: json!({
            "k": config.k,
            "metric": config.metric.name(),
            "weights": config.weights.to_string(),
            "data": args.data.data,
            "test_accuracy": run.confusion.accuracy(),
        }),
    };
    model.save(&path)?;
    if args.json {
        let out = json!({
            "test_accuracy": run.confusion.accuracy(),
            "n_train": split.train.len(),
            "n_test": split.test.len(),
            "predict_seconds": run.predict_seconds,
            "model": path,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "k-NN (k={}, {}, {}): test accuracy {:.4} on {} images; stored {} training images in {}",
            config.k,
            config.metric,
            config.weights,
            run.confusion.accuracy(),
            split.test.len(),
            split.train.len(),
            path.display()
        );
    }
    Ok(())
}
