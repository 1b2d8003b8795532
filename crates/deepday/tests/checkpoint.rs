//! Model files: round trips for every kind, and every way a file can be damaged or foreign.

use deepday::checkpoint::{Classifier, SavedModel};
use deepday::classic::linear::{LinearClassifier, LinearConfig};
use deepday::classic::KnnConfig;
use deepday::distance::Metric;
use deepday::loss::Loss;
use deepday::metrics::top_k;
use deepday::{Error, Silent};
use serde_json::json;

fn sample_subset(n: usize) -> deepday::data::Split {
    let mut split = deepday::data::sample().unwrap();
    split.train = split.train.select(&(0..n).collect::<Vec<_>>());
    split.test = split.test.select(&(0..50).collect::<Vec<_>>());
    split
}

fn linear_model(loss: Loss) -> SavedModel {
    let split = sample_subset(500);
    let mut config = LinearConfig::default();
    config.train.objective.loss = loss;
    config.train.epochs = 2;
    let (classifier, _) = config.fit(&split.train, &Silent).unwrap();
    SavedModel {
        classifier: Classifier::Linear(classifier),
        shape: split.train.shape(),
        class_names: split.train.class_names().to_vec(),
        settings: json!({"epochs": 2}),
    }
}

fn knn_model() -> SavedModel {
    let split = sample_subset(300);
    SavedModel {
        classifier: Classifier::Knn {
            config: KnnConfig {
                k: 3,
                metric: Metric::L1,
                ..Default::default()
            },
            train: split.train.clone(),
        },
        shape: split.train.shape(),
        class_names: split.train.class_names().to_vec(),
        settings: json!({}),
    }
}

#[test]
fn every_kind_round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let test = sample_subset(10).test;
    for model in [
        linear_model(Loss::Softmax),
        linear_model(Loss::Svm),
        knn_model(),
    ] {
        let path = dir.path().join(format!("{}.safetensors", model.kind()));
        model.save(&path).unwrap();
        let loaded = SavedModel::load(&path).unwrap();
        assert_eq!(loaded, model);
        let a = model.scores(test.pixels(), &Silent).unwrap();
        let b = loaded.scores(test.pixels(), &Silent).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.dim(), (test.len(), 10));
        loaded.check_compatible(&test).unwrap();
    }
}

#[test]
fn softmax_models_give_probabilities_and_svm_models_scores() {
    let test = sample_subset(10).test;
    let soft = linear_model(Loss::Softmax);
    assert_eq!(soft.score_kind(), "probability");
    let p = soft.scores(test.pixels(), &Silent).unwrap();
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-5 && row.iter().all(|&v| v >= 0.0));
    }
    let Classifier::Linear(LinearClassifier { .. }) = &soft.classifier else {
        panic!()
    };
    assert_eq!(linear_model(Loss::Svm).score_kind(), "score");
    assert_eq!(knn_model().score_kind(), "vote share");
    assert_eq!(
        top_k(&[0.1, 0.5, 0.5, 0.2], 3),
        vec![(1, 0.5), (2, 0.5), (3, 0.2)]
    );
}

fn reason(bytes: &[u8]) -> String {
    SavedModel::from_bytes(bytes).expect_err("must be refused")
}

/// Rewrites the JSON header of a safetensors file with `edit`, keeping its length field right.
fn edit_header(bytes: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    edit(&mut header);
    let text = serde_json::to_vec(&header).unwrap();
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend(text);
    out.extend(&bytes[8 + n..]);
    out
}

#[test]
fn damaged_and_foreign_files_are_refused_with_a_reason() {
    let good = linear_model(Loss::Softmax).to_bytes().unwrap();
    assert!(SavedModel::from_bytes(&good).is_ok());

    assert!(reason(&[]).contains("not a safetensors"));
    assert!(reason(b"hello, this is not a model").contains("not a safetensors"));
    assert!(
        reason(&good[..good.len() - 7]).contains("not a safetensors"),
        "truncated"
    );
    assert!(reason(&good[..20]).contains("not a safetensors"));

    // One flipped bit in the weights: only the checksum can tell.
    let mut flipped = good.clone();
    let last = flipped.len() - 100;
    flipped[last] ^= 0x10;
    assert!(reason(&flipped).contains("checksum"));

    let meta = |key: &str, value: &str| {
        let (key, value) = (key.to_string(), value.to_string());
        edit_header(&good, move |h| h["__metadata__"][&key] = json!(value))
    };
    assert!(reason(&meta("kind", "forest")).contains("unknown model kind `forest`"));
    assert!(reason(&meta("format", "other")).contains("not a deepday model"));
    assert!(reason(&meta("version", "9")).contains("version 9"));
    assert!(reason(&meta("image_shape", "1x28x29")).contains("shape"));
    assert!(reason(&meta("image_shape", "banana")).contains("image_shape"));
    assert!(
        reason(&meta("image_shape", "99999999999x99999999999x99999999999")).contains("image_shape")
    );
    assert!(reason(&meta("class_names", "[\"a\",\"b\"]")).contains("shape"));
    assert!(reason(&meta("class_names", "[]")).contains("no classes"));
    assert!(reason(&meta("loss", "perceptron")).contains("loss"));
    assert!(reason(&meta("checksum", "12")).contains("checksum"));
    let no_meta = edit_header(&good, |h| {
        h.as_object_mut().unwrap().remove("__metadata__");
    });
    assert!(reason(&no_meta).contains("no metadata"));
    let renamed = edit_header(&good, |h| {
        let t = h.as_object_mut().unwrap().remove("linear.bias").unwrap();
        h["linear.offset"] = t;
    });
    assert!(reason(&renamed).contains("linear.offset"));
    let retyped = edit_header(&good, |h| h["linear.bias"]["dtype"] = json!("I32"));
    assert!(reason(&retyped).contains("linear.bias"));

    let knn = knn_model().to_bytes().unwrap();
    assert!(SavedModel::from_bytes(&knn).is_ok());
    let meta = |key: &str, value: &str| {
        let (key, value) = (key.to_string(), value.to_string());
        edit_header(&knn, move |h| h["__metadata__"][&key] = json!(value))
    };
    assert!(reason(&meta("k", "0")).contains("k = 0"));
    assert!(reason(&meta("k", "301")).contains("k = 301"));
    assert!(reason(&meta("metric", "l7")).contains("l7"));
    assert!(reason(&meta("class_names", "[\"a\",\"b\"]")).contains("label"));
}

#[test]
fn non_finite_weights_are_refused() {
    let mut model = linear_model(Loss::Svm);
    if let Classifier::Linear(c) = &mut model.classifier {
        c.linear.w[[3, 2]] = f32::NAN;
    }
    assert!(reason(&model.to_bytes().unwrap()).contains("NaN"));
}

#[test]
fn missing_files_and_mismatched_data_are_errors() {
    let err = SavedModel::load(std::path::Path::new("/no/such/model.safetensors")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.safetensors");
    std::fs::write(&path, b"junk").unwrap();
    let err = SavedModel::load(&path).unwrap_err().to_string();
    assert!(err.contains("junk.safetensors"), "{err}");

    let model = linear_model(Loss::Softmax);
    let mut other = sample_subset(10).test;
    let mut names = other.class_names().to_vec();
    names[0] = "T-shirt".into();
    other = deepday::data::Dataset::new(
        other.pixels().to_owned(),
        other.labels().to_vec(),
        other.shape(),
        names,
    )
    .unwrap();
    assert!(model
        .check_compatible(&other)
        .unwrap_err()
        .to_string()
        .contains("classes"));
    let narrow = ndarray::Array2::<u8>::zeros((2, 100));
    assert!(model
        .scores(narrow.view(), &Silent)
        .unwrap_err()
        .to_string()
        .contains("expects"));
}
