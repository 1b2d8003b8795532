//! Training, saving, evaluating and using models through the real binary: `train`, `tune
//! linear`, `eval`, `predict`, `gradcheck`, and the mistakes users make with them.

mod common;

use common::{fails, is_png, json, ok};
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Trains a small softmax model on the sample into `dir` and returns its JSON summary.
/// Four epochs unless `extra` says otherwise.
fn train_small(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "train",
        "linear",
        "--data",
        "sample",
        "--train-limit",
        "2000",
        "--test-limit",
        "300",
        "--json",
        "--out",
        s(dir),
    ];
    if !extra.contains(&"--epochs") {
        args.extend(["--epochs", "4"]);
    }
    args.extend_from_slice(extra);
    json(&ok(&args))
}

/// A small trained softmax model in a fresh directory: the directory and the model's path.
fn small_model() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    train_small(dir.path(), &[]);
    let model = dir.path().join("model.safetensors");
    (dir, model)
}

/// A colour PNG of another size: `predict` must convert it to the model's input.
fn write_colour_png(path: &Path, bright: bool) {
    let img = image::RgbImage::from_fn(40, 50, |x, _| {
        let v = if bright && (8..32).contains(&x) {
            230
        } else {
            5
        };
        image::Rgb([v, v / 2, v])
    });
    img.save(path).unwrap();
}

#[test]
fn train_linear_writes_model_history_and_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let v = train_small(dir.path(), &["--validation", "0.1", "--patience", "3"]);
    let accuracy = v["test_accuracy"].as_f64().unwrap();
    assert!(accuracy > 0.7 && accuracy <= 1.0, "{v}");
    assert!(v["train_seconds"].as_f64().unwrap() > 0.0);
    assert_eq!(v["epochs"], 4);
    assert_eq!(v["n_test"], 300);
    for f in ["loss.png", "weights.png", "confusion.png"] {
        assert!(is_png(&dir.path().join(f)), "{f}");
    }
    let history: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("history.json")).unwrap()).unwrap();
    let epochs = history["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 4);
    assert!(epochs.iter().all(|e| e["validation_accuracy"].is_f64()));
    assert!(history["best_epoch"].is_u64());
    let first = epochs[0]["train_loss"].as_f64().unwrap();
    let last = epochs[3]["train_loss"].as_f64().unwrap();
    assert!(last < first, "the loss must fall: {first} → {last}");

    // The saved model gives the same accuracy through `eval`.
    let model = dir.path().join("model.safetensors");
    let e = json(&ok(&[
        "eval",
        s(&model),
        "--data",
        "sample",
        "--test-limit",
        "300",
        "--json",
    ]));
    assert_eq!(e["accuracy"], v["test_accuracy"]);
    assert_eq!(e["kind"], "linear");
    assert_eq!(e["settings"]["loss"], "softmax");
    let text = ok(&["eval", s(&model), "--data", "sample", "--test-limit", "300"]);
    assert!(
        text.contains("accuracy") && text.contains("Ankle boot"),
        "{text}"
    );
}

#[test]
fn predict_reads_any_image_and_ranks_classes() {
    let (dir, model) = small_model();
    let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
    write_colour_png(&a, true);
    write_colour_png(&b, false);
    let v = json(&ok(&["predict", s(&model), s(&a), s(&b), "--json"]));
    assert_eq!(v["score"], "probability");
    let predictions = v["predictions"].as_array().unwrap();
    assert_eq!(predictions.len(), 2);
    for p in predictions {
        let top = p["top"].as_array().unwrap();
        assert_eq!(top.len(), 3);
        let probs: Vec<f64> = top
            .iter()
            .map(|t| t["probability"].as_f64().unwrap())
            .collect();
        assert!(
            probs.windows(2).all(|w| w[0] >= w[1]) && probs[0] <= 1.0,
            "{probs:?}"
        );
    }
    let text = ok(&["predict", s(&model), s(&a), "--top", "2"]);
    assert!(
        text.contains("1. ") && text.contains("2. ") && !text.contains("3. "),
        "{text}"
    );

    assert!(fails(&["predict", s(&model), "/no/such.png"]).contains("/no/such.png"));
    let junk = dir.path().join("junk.png");
    std::fs::write(&junk, b"not an image").unwrap();
    assert!(fails(&["predict", s(&model), s(&junk)]).contains("junk.png"));
    fails(&["predict", s(&model), s(&a), "--top", "0"]);
}

#[test]
fn knn_models_go_through_the_same_eval_and_predict() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&ok(&[
        "train",
        "knn",
        "--data",
        "sample",
        "--train-limit",
        "1000",
        "--test-limit",
        "200",
        "--k",
        "3",
        "--json",
        "--out",
        s(dir.path()),
    ]));
    let model = dir.path().join("model.safetensors");
    let e = json(&ok(&[
        "eval",
        s(&model),
        "--data",
        "sample",
        "--test-limit",
        "200",
        "--json",
    ]));
    assert_eq!(e["kind"], "knn");
    assert_eq!(e["accuracy"], v["test_accuracy"]);
    let png = dir.path().join("a.png");
    write_colour_png(&png, true);
    let p = json(&ok(&["predict", s(&model), s(&png), "--json"]));
    assert_eq!(p["score"], "vote share");
    let shares: f64 = p["predictions"][0]["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["vote share"].as_f64().unwrap())
        .sum();
    assert!(shares > 0.0 && shares <= 1.0 + 1e-6);
}

#[test]
fn svm_and_every_optimizer_train_from_the_cli() {
    for opt in [
        "sgd",
        "momentum",
        "nesterov",
        "rmsprop",
        "adam",
        "random-search",
        "random-local-search",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let v = train_small(
            dir.path(),
            &["--loss", "svm", "--optimizer", opt, "--epochs", "2"],
        );
        let a = v["test_accuracy"].as_f64().unwrap();
        assert!(a > 0.05, "{opt}: {a}");
        assert_eq!(v["settings"]["optimizer"], opt);
    }
    let dir = tempfile::tempdir().unwrap();
    let v = train_small(
        dir.path(),
        &[
            "--optimizer",
            "sgd",
            "--batch-size",
            "full",
            "--epochs",
            "3",
        ],
    );
    assert_eq!(v["settings"]["batch_size"], "full");
}

#[test]
fn gradcheck_prints_a_passing_table() {
    let text = ok(&["gradcheck"]);
    assert_eq!(text.matches("pass").count(), 6, "{text}");
    assert!(text.contains("linear+svm dw") && text.contains("softmax loss dscores"));
    let v = json(&ok(&["gradcheck", "--json", "--seed", "4"]));
    assert_eq!(v["failed"], 0);
    for c in v["checks"].as_array().unwrap() {
        assert!(c["max_relative_error"].as_f64().unwrap() < c["threshold"].as_f64().unwrap());
    }
    // A step so large the centred difference is far off: reported as failures, exit non-zero.
    assert!(fails(&["gradcheck", "--h", "0.9"]).contains("failed"));
    fails(&["gradcheck", "--h", "0"]);
}

#[test]
fn tune_linear_searches_the_grid_and_keeps_the_best() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&ok(&[
        "tune",
        "linear",
        "--data",
        "sample",
        "--train-limit",
        "1500",
        "--test-limit",
        "200",
        "--epochs",
        "2",
        "--lr",
        "1e-3,1e30",
        "--reg",
        "1e-2,1e-1",
        "--optimizer",
        "sgd",
        "--json",
        "--out",
        s(dir.path()),
    ]));
    let scores = v["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 4);
    // An absurd learning rate diverges (the regularisation gradient overflows): recorded as
    // such, never chosen.
    let lr = |s: &serde_json::Value| s["learning_rate"].as_f64().unwrap() as f32;
    let huge: Vec<_> = scores.iter().filter(|s| lr(s) == 1e30).collect();
    assert_eq!(huge.len(), 2);
    assert!(
        huge.iter().all(|s| s["validation_accuracy"].is_null()),
        "{huge:?}"
    );
    assert_eq!(v["best"]["lr"].as_f64().unwrap() as f32, 1e-3);
    let best = scores
        .iter()
        .filter_map(|s| s["validation_accuracy"].as_f64())
        .fold(0.0, f64::max);
    assert_eq!(v["best"]["validation_accuracy"].as_f64().unwrap(), best);
    for f in [
        "validation.png",
        "tuning.json",
        "model.safetensors",
        "weights.png",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    assert!(is_png(&dir.path().join("validation.png")));
}

#[test]
fn bad_training_settings_fail_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "train",
        "linear",
        "--data",
        "sample",
        "--train-limit",
        "300",
        "--out",
        s(dir.path()),
    ];
    let run = |extra: &[&str]| fails(&[&base[..], extra].concat());
    assert!(run(&["--lr=-1"]).contains("learning rate"));
    assert!(run(&["--reg=-0.5"]).contains("regularisation"));
    assert!(run(&["--epochs", "0"]).contains("epochs"));
    assert!(run(&["--batch-size", "0"]).contains("batch"));
    assert!(run(&["--validation", "1.5"]).contains("--validation"));
    assert!(run(&["--loss", "perceptron"]).contains("perceptron"));
    assert!(run(&["--optimizer", "lbfgs"]).contains("lbfgs"));
    assert!(run(&["--patience", "0", "--validation", "0.1"]).contains("patience"));
    assert!(run(&["--patience", "3"]).contains("validation"));
    let diverged = run(&["--optimizer", "sgd", "--lr", "1e30"]);
    assert!(
        diverged.contains("diverged")
            && diverged.contains("step")
            && diverged.contains("smaller learning rate"),
        "{diverged}"
    );
    assert!(
        !dir.path().join("model.safetensors").exists(),
        "no model from a failed run"
    );
}

#[test]
fn broken_and_mismatched_models_are_refused() {
    let (dir, model) = small_model();
    let bytes = std::fs::read(&model).unwrap();

    let truncated = dir.path().join("truncated.safetensors");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let msg = fails(&["eval", s(&truncated), "--data", "sample"]);
    assert!(
        msg.contains("truncated.safetensors") && msg.contains("not a safetensors"),
        "{msg}"
    );

    let mut tampered = bytes.clone();
    let at = bytes.len() - 10;
    tampered[at] ^= 0xff;
    let path = dir.path().join("tampered.safetensors");
    std::fs::write(&path, tampered).unwrap();
    assert!(fails(&["predict", s(&path), s(&model)]).contains("checksum"));

    // A header edited to another kind.
    let text =
        String::from_utf8_lossy(&bytes).replace("\"kind\":\"linear\"", "\"kind\":\"forest\"");
    let path = dir.path().join("forest.safetensors");
    std::fs::write(&path, text.as_bytes()).unwrap();
    let msg = fails(&["eval", s(&path), "--data", "sample"]);
    assert!(
        msg.contains("forest") || msg.contains("not a safetensors"),
        "{msg}"
    );

    assert!(fails(&["eval", "/no/model.safetensors"]).contains("/no/model.safetensors"));

    // A grey 28x28 model cannot score CIFAR-like colour images.
    let cifar = dir.path().join("cifar");
    std::fs::create_dir(&cifar).unwrap();
    let record = |label: u8| {
        std::iter::once(label)
            .chain(std::iter::repeat_n(9u8, 3072))
            .collect::<Vec<u8>>()
    };
    std::fs::write(
        cifar.join("data_batch_1.bin"),
        [record(0), record(1)].concat(),
    )
    .unwrap();
    std::fs::write(cifar.join("test_batch.bin"), record(1)).unwrap();
    let msg = fails(&["eval", s(&model), "--data", s(&cifar)]);
    assert!(msg.contains("1x28x28") && msg.contains("3x32x32"), "{msg}");

    // A colour model trains, draws its colour templates and evaluates on its own data.
    let colour = dir.path().join("colour");
    ok(&[
        "train",
        "linear",
        "--data",
        s(&cifar),
        "--epochs",
        "1",
        "--out",
        s(&colour),
    ]);
    assert!(is_png(&colour.join("weights.png")));
    let colour_model = colour.join("model.safetensors");
    let e = json(&ok(&[
        "eval",
        s(&colour_model),
        "--data",
        s(&cifar),
        "--json",
    ]));
    assert_eq!(e["n_test"], 1);
    let msg = fails(&["eval", s(&colour_model), "--data", "sample"]);
    assert!(msg.contains("3x32x32"), "{msg}");
}

#[test]
fn tune_linear_random_search_draws_in_the_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&ok(&[
        "tune",
        "linear",
        "--data",
        "sample",
        "--train-limit",
        "1000",
        "--test-limit",
        "100",
        "--epochs",
        "1",
        "--search",
        "random",
        "--trials",
        "5",
        "--lr",
        "1e-4,1e-2",
        "--reg",
        "1e-4,1e-1",
        "--json",
        "--out",
        s(dir.path()),
    ]));
    let scores = v["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 5);
    for t in scores {
        let (lr, reg) = (
            t["learning_rate"].as_f64().unwrap(),
            t["reg"].as_f64().unwrap(),
        );
        assert!(
            (0.99e-4..=1.01e-2).contains(&lr) && (0.99e-4..=1.01e-1).contains(&reg),
            "{t}"
        );
    }
    assert!(is_png(&dir.path().join("validation.png")));
    // Random draws are on a log scale: a zero bound is refused.
    let msg = fails(&[
        "tune",
        "linear",
        "--search",
        "random",
        "--reg",
        "0,1",
        "--out",
        s(dir.path()),
    ]);
    assert!(msg.contains("positive"), "{msg}");
}
