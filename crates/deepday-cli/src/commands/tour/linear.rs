//! The tour's linear-classifier chapter: why gradients matter (random search, random local
//! search and gradient descent on the same budget), SVM against softmax, gradient checks,
//! and what the weights learned.

use super::save;
use crate::commands::train::fit_linear;
use crate::plot;
use crate::report::Report;
use anyhow::Result;
use deepday::classic::linear::LinearConfig;
use deepday::data::Split;
use deepday::gradcheck::check_all;
use deepday::loss::Loss;
use deepday::optim::{OptimizerConfig, Schedule};
use deepday::train::Strategy;
use std::path::Path;

/// Epochs for every run in the chapter: enough for Adam to settle on the sample.
const EPOCHS: usize = 10;

pub fn chapter(split: &Split, out: &Path, report: &mut Report) -> Result<()> {
    println!("4. Linear classifiers");
    report.heading("4. Linear classifiers: scores, losses, optimisation");
    let shape = split.train.shape();
    report.paragraph(&format!(
        "A linear classifier scores every class at once: scores = x·W + b, with x the {} preprocessed \
         pixels of an image (standardised with the training set's mean and deviation), W a {}×{} matrix with \
         one column per class, and b one bias per class. The class with the highest score wins. A loss says \
         how unhappy we are with the scores; training searches for the W that makes it small.",
        shape.len(),
        shape.len(),
        split.train.n_classes()
    ));

    // Same loss, same batches, same number of steps: only the search strategy differs.
    report.heading("4.1 Random search, random local search, gradient descent");
    let base = LinearConfig {
        train: deepday::train::TrainConfig {
            epochs: EPOCHS,
            schedule: Schedule::Cosine { epochs: EPOCHS },
            ..LinearConfig::default().train
        },
        ..LinearConfig::default()
    };
    let strategies = [
        ("random search", Strategy::RandomSearch),
        ("random local search", Strategy::RandomLocalSearch),
        (
            "gradient descent (SGD)",
            Strategy::Gradient(OptimizerConfig::Sgd),
        ),
        (
            "gradient descent (Adam)",
            Strategy::Gradient(OptimizerConfig::ADAM),
        ),
    ];
    let mut rows = Vec::new();
    let mut curves = Vec::new();
    let mut adam_run = None;
    for (name, strategy) in strategies {
        let mut config = base;
        config.train.strategy = strategy;
        config.train.learning_rate = strategy.default_learning_rate();
        let run = fit_linear(&config, &split.train, &split.test, name)?;
        let acc = run.confusion.accuracy();
        let loss = run.history.epochs.last().map_or(f64::NAN, |e| e.train_loss);
        println!("  {name}: final training loss {loss:.3}, test accuracy {acc:.4}");
        rows.push(vec![
            name.to_string(),
            format!("{}", config.train.learning_rate),
            format!("{loss:.3}"),
            format!("{acc:.4}"),
            format!("{:.2}", run.train_seconds),
        ]);
        curves.push((name.to_string(), run.history.step_losses.clone()));
        if matches!(strategy, Strategy::Gradient(OptimizerConfig::Adam { .. })) {
            adam_run = Some(run);
        }
    }
    let steps = curves[0].1.len();
    report.paragraph(&format!(
        "Each strategy below minimises the softmax loss with the same {steps} steps on the same minibatches of \
         {} images. Random search draws whole new random weights at every step and keeps them if the batch loss \
         is lower; random local search steps from the current weights in a random direction; gradient descent \
         steps along the analytic gradient, the direction of steepest descent. (For the searches, the \
         learning rate is the spread of what they draw.)",
        base.train.batch_size
    ));
    report.table(
        &[
            "strategy",
            "learning rate",
            "final training loss",
            "test accuracy",
            "seconds",
        ]
        .map(String::from),
        &rows,
    );
    save(
        &plot::compare_losses(&curves, "training loss, same steps, same batches", 10),
        &out.join("linear-strategies.png"),
        report,
        "Training loss per step (running mean over 10 steps) for each strategy",
    )?;
    report.paragraph(
        "Blind search barely leaves the starting loss: in 7,840 dimensions a random W is almost never better. \
         Local search improves slowly, one lucky direction at a time. The gradient points downhill at every \
         step, which is why every model from here on is trained by gradient descent.",
    );

    report.heading("4.2 Checking the gradient numerically");
    let checks = check_all(0, 1e-5);
    let rows: Vec<Vec<String>> = checks
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                format!("{:.2e}", c.max_relative_error),
                format!("{:.0e}", c.threshold),
                (if c.passed { "pass" } else { "FAIL" }).to_string(),
            ]
        })
        .collect();
    report.paragraph(
        "An analytic gradient is easy to get subtly wrong, so each one is compared with the numerical \
         gradient (f(x+h) − f(x−h)) / 2h, h = 1e-5, on small random inputs. Relative errors below 1e-7 mean \
         the formula is right; the SVM's hinge has kinks, where up to 1e-4 is normal. (`deepday gradcheck` \
         prints this table.)",
    );
    report.table(
        &["gradient", "max relative error", "threshold", "result"].map(String::from),
        &rows,
    );

    report.heading("4.3 Multiclass SVM against softmax");
    report.paragraph(
        "The SVM (hinge) loss wants the right class's score to beat every other by a margin of 1 and is \
         satisfied after that; softmax turns scores into probabilities and always wants the right one higher. \
         Both with Adam, the same regularisation and the same epochs:",
    );
    let mut rows = Vec::new();
    let mut softmax_run = None;
    for loss in [Loss::Svm, Loss::Softmax] {
        let mut config = base;
        config.train.objective.loss = loss;
        let run = fit_linear(&config, &split.train, &split.test, loss.name())?;
        let acc = run.confusion.accuracy();
        println!("  {}: test accuracy {acc:.4}", loss.name());
        rows.push(vec![
            loss.name().to_string(),
            format!(
                "{:.3}",
                run.history.epochs.last().map_or(f64::NAN, |e| e.train_loss)
            ),
            format!("{acc:.4}"),
        ]);
        if loss == Loss::Softmax {
            softmax_run = Some(run);
        }
    }
    report.table(
        &["loss", "final training loss", "test accuracy"].map(String::from),
        &rows,
    );

    report.heading("4.4 What the weights learned");
    let run = softmax_run.or(adam_run).expect("a softmax run");
    report.paragraph(
        "Each column of W is a template matched against the image: drawn as an image, red pixels are \
         evidence for the class, blue against. Trained weights look like the class they detect: trouser legs, \
         the outline of a bag, the sole of a shoe.",
    );
    save(
        &plot::weight_templates(
            run.classifier.linear.w.view(),
            shape,
            split.train.class_names(),
        ),
        &out.join("linear-weights.png"),
        report,
        "Softmax classifier: one weight template per class",
    )?;
    save(
        &plot::loss_curve(&run.history, "softmax loss, Adam"),
        &out.join("linear-loss.png"),
        report,
        "Training loss of the softmax classifier: every step and the mean of each epoch",
    )?;
    save(
        &plot::confusion_matrix(&run.confusion, split.test.class_names()),
        &out.join("linear-confusion.png"),
        report,
        "Softmax classifier on the test set",
    )?;
    report.paragraph(
        "One template per class cannot fit every shirt or every sneaker: shirts, T-shirts, pullovers and coats \
         share one silhouette and stay confused. Stacking layers that transform the space is the next chapter.",
    );
    Ok(())
}
