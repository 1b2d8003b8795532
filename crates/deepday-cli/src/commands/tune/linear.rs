//! `deepday tune linear`: learning rate and regularisation chosen on a validation split (a
//! grid or random draws), then the best setting retrained on the training images and tested.

use crate::args::TuneLinearArgs;
use crate::commands::load;
use crate::commands::train::{fit_linear, linear_config, save_linear, settings};
use crate::{plot, progress::Bar};
use anyhow::{Context, Result};
use deepday::tune::{best_linear, grid, random_settings, tune_linear, LinearScore};
use serde_json::json;

pub fn linear(args: &TuneLinearArgs) -> Result<()> {
    let split = load(&args.data)?;
    plot::drawable(split.train.shape())?;
    let random = args.search == "random";
    let candidates = if random {
        let range = |v: &[f32]| {
            (
                v.iter().copied().fold(f32::MAX, f32::min),
                v.iter().copied().fold(f32::MIN, f32::max),
            )
        };
        random_settings(
            range(&args.lr),
            range(&args.reg),
            args.trials,
            args.data.seed,
        )?
    } else {
        grid(&args.lr, &args.reg)
    };
    let fraction = if args.training.validation > 0.0 {
        args.training.validation
    } else {
        0.1
    };
    let base = linear_config(&args.training, None, 0.0, args.data.seed)?;
    let n_fit = split.train.len() - (split.train.len() as f64 * fraction).round() as usize;
    let mut per_fit = base;
    per_fit.validation = None;
    let bar = Bar::new(
        (per_fit.steps(n_fit) * candidates.len()) as u64,
        &args.search,
    );
    let scores = tune_linear(&split.train, &base, &candidates, fraction, &bar)?;
    bar.finish();
    let chosen =
        *best_linear(&scores).context("every setting diverged: try smaller learning rates")?;
    let mut config = base;
    config.train.learning_rate = chosen.setting.learning_rate;
    config.train.objective.reg = chosen.setting.reg;
    let run = fit_linear(&config, &split.train, &split.test, "best setting")?;
    let test_accuracy = run.confusion.accuracy();
    let mut settings = settings(&config, &args.data.data);
    settings["test_accuracy"] = json!(test_accuracy);
    save_linear(&run, &split.test, settings.clone(), &args.out)?;
    let picture = if random {
        scatter(&scores)
    } else {
        heatmap(&scores, &args.lr, &args.reg)
    };
    picture.save(&args.out.join("validation.png"))?;
    let summary = json!({
        "search": args.search,
        "validation_fraction": fraction,
        "scores": scores,
        "best": { "lr": chosen.setting.learning_rate, "reg": chosen.setting.reg, "validation_accuracy": chosen.validation_accuracy },
        "test_accuracy": test_accuracy,
        "settings": settings,
    });
    let text = serde_json::to_string_pretty(&summary)?;
    deepday::io::write_atomic(&args.out.join("tuning.json"), text.as_bytes())?;
    if args.json {
        println!("{text}");
        return Ok(());
    }
    println!(
        "validation accuracy ({} loss, {}; {:.0}% of {} training images held out)\n",
        config.train.objective.loss.name(),
        config.train.strategy.name(),
        fraction * 100.0,
        split.train.len()
    );
    print!(
        "{}",
        if random {
            ranking_text(&scores)
        } else {
            grid_text(&scores, &args.lr, &args.reg)
        }
    );
    println!(
        "\nbest: lr {} reg {} (validation {:.4}); retrained with it: test accuracy {test_accuracy:.4}",
        chosen.setting.learning_rate,
        chosen.setting.reg,
        chosen.validation_accuracy.unwrap_or(0.0),
    );
    println!(
        "wrote validation.png, tuning.json and the best model to {}",
        args.out.display()
    );
    Ok(())
}

fn accuracy_text(a: Option<f64>) -> String {
    a.map_or("diverged".into(), |a| format!("{a:.4}"))
}

fn cell(scores: &[LinearScore], lr: f32, reg: f32) -> Option<f64> {
    scores
        .iter()
        .find(|s| s.setting.learning_rate == lr && s.setting.reg == reg)
        .and_then(|s| s.validation_accuracy)
}

/// Rows: learning rates; columns: regularisation.
fn grid_text(scores: &[LinearScore], lrs: &[f32], regs: &[f32]) -> String {
    let mut s = format!("{:>10}", "lr \\ reg");
    for r in regs {
        s += &format!("{r:>10}");
    }
    s.push('\n');
    for &lr in lrs {
        s += &format!("{lr:>10}");
        for &reg in regs {
            s += &format!("{:>10}", accuracy_text(cell(scores, lr, reg)));
        }
        s.push('\n');
    }
    s
}

/// Random draws, best first.
fn ranking_text(scores: &[LinearScore]) -> String {
    let mut sorted: Vec<&LinearScore> = scores.iter().collect();
    sorted.sort_by(|a, b| {
        b.validation_accuracy
            .partial_cmp(&a.validation_accuracy)
            .expect("no NaN accuracy")
    });
    let mut s = format!("{:>12} {:>12} {:>10}\n", "lr", "reg", "val acc");
    for t in sorted {
        s += &format!(
            "{:>12.3e} {:>12.3e} {:>10}\n",
            t.setting.learning_rate,
            t.setting.reg,
            accuracy_text(t.validation_accuracy)
        );
    }
    s
}

/// Colour scale for validation accuracies: the worst finite one light, the best dark.
fn shade(scores: &[LinearScore]) -> impl Fn(f64) -> f64 {
    let finite = || scores.iter().filter_map(|s| s.validation_accuracy);
    let (lo, hi) = (finite().fold(1.0, f64::min), finite().fold(0.0, f64::max));
    move |v| {
        if v.is_finite() {
            0.1 + 0.9 * (v - lo) / (hi - lo).max(1e-9)
        } else {
            0.0
        }
    }
}

/// The grid as a heat map.
fn heatmap(scores: &[LinearScore], lrs: &[f32], regs: &[f32]) -> plot::Canvas {
    let values: Vec<Vec<f64>> = lrs
        .iter()
        .map(|&lr| {
            regs.iter()
                .map(|&reg| cell(scores, lr, reg).unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let colour = shade(scores);
    plot::Heatmap {
        title: "validation accuracy".into(),
        row_title: "learning rate".into(),
        col_title: "regularisation".into(),
        rows: lrs.iter().map(|v| v.to_string()).collect(),
        cols: regs.iter().map(|v| v.to_string()).collect(),
        values: values.clone(),
    }
    .draw(
        |i, j| colour(values[i][j]),
        |v| {
            if v.is_finite() {
                format!("{v:.3}")
            } else {
                "div.".into()
            }
        },
    )
}

/// Random draws as points on log axes, coloured and labelled by validation accuracy.
fn scatter(scores: &[LinearScore]) -> plot::Canvas {
    let colour = shade(scores);
    let points: Vec<plot::ScatterPoint> = scores
        .iter()
        .map(|s| plot::ScatterPoint {
            x: f64::from(s.setting.learning_rate),
            y: f64::from(s.setting.reg),
            shade: s.validation_accuracy.map_or(0.0, &colour),
            label: accuracy_text(s.validation_accuracy),
        })
        .collect();
    plot::scatter_log(
        "validation accuracy of random draws",
        "learning rate",
        "regularisation",
        &points,
    )
}
