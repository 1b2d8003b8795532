//! The real `deepday` binary on the bundled sample and small fixtures: outputs, files and
//! exit codes, including what users get wrong.

mod common;

use common::{fails, is_png, json, ok};

#[test]
fn data_info_counts_the_sample() {
    let v = json(&ok(&["data", "info", "sample", "--json"]));
    assert_eq!(v["train"]["images"], 5000);
    assert_eq!(v["test"]["per_class"][3], 100);
    assert_eq!(v["shape"]["height"], 28);
    assert_eq!(v["train"]["pixel_max"], 255);
    assert!(ok(&["data", "info", "sample"]).contains("Ankle boot"));
}

#[test]
fn knn_reports_accuracy_and_writes_predictions_and_gallery() {
    let dir = tempfile::tempdir().unwrap();
    let preds = dir.path().join("p.txt");
    let gallery = dir.path().join("g.png");
    let v = json(&ok(&[
        "knn",
        "--data",
        "sample",
        "--train-limit",
        "1000",
        "--test-limit",
        "200",
        "--k",
        "3",
        "--metric",
        "l1",
        "--weights",
        "distance",
        "--json",
        "--save-predictions",
        preds.to_str().unwrap(),
        "--gallery",
        gallery.to_str().unwrap(),
    ]));
    assert_eq!(
        (v["n_train"].as_u64(), v["n_test"].as_u64()),
        (Some(1000), Some(200))
    );
    let acc = v["accuracy"].as_f64().unwrap();
    assert!((0.6..0.95).contains(&acc), "{acc}");
    assert!(v["predict_seconds"].as_f64().unwrap() >= 0.0);
    let lines: Vec<usize> = std::fs::read_to_string(&preds)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(lines.len(), 200);
    assert!(lines.iter().all(|&l| l < 10));
    let cm: u64 = v["confusion_matrix"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(cm, 200);
    assert!(is_png(&gallery));
    let text = ok(&[
        "knn",
        "--data",
        "sample",
        "--train-limit",
        "500",
        "--test-limit",
        "50",
    ]);
    assert!(
        text.contains("accuracy") && text.contains("confusion matrix") && text.contains("Trouser")
    );
}

#[test]
fn knn_bad_input_fails_cleanly() {
    assert!(fails(&["knn", "--k", "0"]).contains("at least 1"));
    assert!(fails(&["knn", "--train-limit", "10", "--k", "11"])
        .contains("more than the 10 training images"));
    let e = fails(&["knn", "--metric", "hamming"]);
    assert!(
        e.contains("hamming") && e.contains("l1, l2 or cosine"),
        "{e}"
    );
    assert!(fails(&["knn", "--weights", "nearest"]).contains("nearest"));
    assert!(fails(&["knn", "--data", "/no/such/dir"]).contains("/no/such/dir"));
    let empty = tempfile::tempdir().unwrap();
    assert!(fails(&["knn", "--data", empty.path().to_str().unwrap()]).contains("no data set found"));
}

#[test]
fn corrupt_files_are_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    ok(&[
        "data",
        "subset",
        "sample",
        "--train",
        "30",
        "--test",
        "10",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let v = json(&ok(&[
        "data",
        "info",
        dir.path().to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(
        v["train"]["per_class"],
        serde_json::json!([3, 3, 3, 3, 3, 3, 3, 3, 3, 3])
    );
    let f = dir.path().join("t10k-images-idx3-ubyte.gz");
    let bytes = std::fs::read(&f).unwrap();
    std::fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
    let e = fails(&["knn", "--data", dir.path().to_str().unwrap()]);
    assert!(e.contains("t10k-images-idx3-ubyte.gz"), "{e}");
    std::fs::write(&f, b"plain text, not gzip").unwrap();
    assert!(fails(&["data", "info", dir.path().to_str().unwrap()]).contains("not a gzip file"));
}

#[test]
fn knn_runs_on_cifar_batches() {
    let dir = tempfile::tempdir().unwrap();
    let record = |label: u8, v: u8| {
        std::iter::once(label)
            .chain(std::iter::repeat_n(v, 3072))
            .collect::<Vec<u8>>()
    };
    let train: Vec<u8> = (0..20u8)
        .flat_map(|i| record(i % 2, if i % 2 == 0 { 10 + i } else { 200 - i }))
        .collect();
    std::fs::write(dir.path().join("data_batch_1.bin"), train).unwrap();
    std::fs::write(
        dir.path().join("test_batch.bin"),
        [record(0, 12), record(1, 190)].concat(),
    )
    .unwrap();
    let v = json(&ok(&[
        "knn",
        "--data",
        dir.path().to_str().unwrap(),
        "--k",
        "1",
        "--json",
    ]));
    assert_eq!(v["accuracy"], 1.0);
    assert_eq!(v["n_train"], 20);
}

#[test]
fn tune_writes_plot_and_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&[
        "tune",
        "knn",
        "--data",
        "sample",
        "--train-limit",
        "600",
        "--test-limit",
        "100",
        "--folds",
        "3",
        "--k",
        "1,3,7",
        "--metric",
        "l1,l2,cosine",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        out.contains("best: k=") && out.contains("test accuracy"),
        "{out}"
    );
    assert!(is_png(&dir.path().join("accuracy-vs-k.png")));
    let v = json(&std::fs::read_to_string(dir.path().join("cv.json")).unwrap());
    assert_eq!(v["scores"].as_array().unwrap().len(), 9);
    assert_eq!(v["scores"][0]["folds"].as_array().unwrap().len(), 3);
    assert!(fails(&["tune", "knn", "--folds", "1"]).contains("folds"));
    assert!(fails(&["tune", "knn", "--train-limit", "50", "--k", "100"]).contains("100"));
}

#[test]
fn data_show_draws_a_grid() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("grid.png");
    ok(&[
        "data",
        "show",
        "sample",
        "--out",
        png.to_str().unwrap(),
        "--per-class",
        "4",
    ]);
    assert!(is_png(&png));
    assert!(fails(&[
        "data",
        "show",
        "sample",
        "--out",
        png.to_str().unwrap(),
        "--split",
        "dev"
    ])
    .contains("dev"));
}

#[test]
fn tour_writes_a_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&["tour", "--out", dir.path().to_str().unwrap()]);
    let report = dir.path().join("report.html");
    assert!(out.contains(report.to_str().unwrap()), "{out}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.matches("data:image/png;base64,").count() >= 7);
    assert!(html.contains("cross-validation") && html.contains("Confusion matrix"));
    assert!(html.contains("Linear classifiers") && html.contains("random local search"));
    assert!(html.contains("linear+softmax dw") && !html.contains("FAIL"));
    for png in [
        "data-grid.png",
        "accuracy-vs-k.png",
        "gallery.png",
        "linear-strategies.png",
        "linear-weights.png",
        "linear-loss.png",
        "linear-confusion.png",
    ] {
        assert!(is_png(&dir.path().join(png)), "{png}");
    }
}

#[test]
fn oversized_images_are_refused_not_drawn_or_searched() {
    let dir = tempfile::tempdir().unwrap();
    let idx = |dims: &[u32], fill: usize| {
        let mut v = vec![0u8, 0, 8, dims.len() as u8];
        dims.iter()
            .for_each(|d| v.extend_from_slice(&d.to_be_bytes()));
        v.extend(std::iter::repeat_n(0u8, fill));
        v
    };
    let (h, w) = (2100u32, 40u32);
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(dir.path().join(name), bytes).unwrap();
    write(
        "train-images-idx3-ubyte",
        idx(&[2, h, w], 2 * (h * w) as usize),
    );
    write("train-labels-idx1-ubyte", idx(&[2], 2));
    write("t10k-images-idx3-ubyte", idx(&[1, h, w], (h * w) as usize));
    write("t10k-labels-idx1-ubyte", idx(&[1], 1));
    let d = dir.path().to_str().unwrap();
    let png = dir.path().join("g.png");
    assert!(
        fails(&["data", "show", d, "--out", png.to_str().unwrap()]).contains("too large to draw")
    );
    assert!(fails(&["knn", "--data", d, "--k", "1"]).contains("65536 values per image"));
    assert!(!png.exists());
}
