//! CIFAR-10 binary batches, tested on files written in the exact format (3,073-byte
//! records: label, then 1,024 red, 1,024 green, 1,024 blue bytes).

use deepday::data::{detect, load_cifar10, Format};
use std::path::Path;

/// A record whose pixel values encode (image, channel, position), to check plane order.
fn record(label: u8, image: u8) -> Vec<u8> {
    let mut r = vec![label];
    for channel in 0..3u8 {
        r.extend((0..1024).map(|p| {
            image
                .wrapping_mul(31)
                .wrapping_add(channel * 80)
                .wrapping_add((p % 7) as u8)
        }));
    }
    r
}

fn batch(labels: &[u8], first: u8) -> Vec<u8> {
    labels
        .iter()
        .enumerate()
        .flat_map(|(i, &l)| record(l, first + i as u8))
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn reads_batches_in_order_with_planes_kept() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data_batch_1.bin", &batch(&[0, 1, 2], 0));
    write(dir.path(), "data_batch_2.bin", &batch(&[9, 3], 3));
    write(dir.path(), "test_batch.bin", &batch(&[5], 10));
    assert_eq!(detect(dir.path()).unwrap(), Format::Cifar10);
    let s = load_cifar10(dir.path()).unwrap();
    assert_eq!(s.train.labels(), [0, 1, 2, 9, 3]);
    assert_eq!(s.test.labels(), [5]);
    assert_eq!(s.train.shape().to_string(), "3x32x32");
    assert_eq!(s.train.class_names()[3], "cat");
    let row = s.train.pixels().row(4).to_vec();
    assert_eq!(row, record(3, 4)[1..].to_vec());
    assert_eq!(
        row[1024],
        4u8.wrapping_mul(31) + 80,
        "green plane starts at 1024"
    );
}

#[test]
fn meta_file_names_classes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data_batch_1.bin", &batch(&[0, 1], 0));
    write(dir.path(), "test_batch.bin", &batch(&[1], 0));
    write(dir.path(), "batches.meta.txt", b"plane\ncar\n\n");
    assert_eq!(
        load_cifar10(dir.path()).unwrap().train.class_names(),
        ["plane", "car"]
    );
    write(dir.path(), "test_batch.bin", &batch(&[2], 0));
    let e = load_cifar10(dir.path()).unwrap_err().to_string();
    assert!(e.contains("test_batch.bin") && e.contains("label 2"), "{e}");
}

#[test]
fn malformed_batches_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "test_batch.bin", &batch(&[1], 0));
    let e = load_cifar10(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("data_batch_1.bin") && e.contains("missing"),
        "{e}"
    );

    let mut truncated = batch(&[0, 1], 0);
    truncated.pop();
    write(dir.path(), "data_batch_1.bin", &truncated);
    let e = load_cifar10(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("data_batch_1.bin") && e.contains("whole number"),
        "{e}"
    );

    let mut trailing = batch(&[0], 0);
    trailing.push(0);
    write(dir.path(), "data_batch_1.bin", &trailing);
    assert!(load_cifar10(dir.path())
        .unwrap_err()
        .to_string()
        .contains("whole number"));

    write(dir.path(), "data_batch_1.bin", &[]);
    assert!(load_cifar10(dir.path())
        .unwrap_err()
        .to_string()
        .contains("empty"));

    write(dir.path(), "data_batch_1.bin", &batch(&[10], 0));
    assert!(load_cifar10(dir.path())
        .unwrap_err()
        .to_string()
        .contains("label 10"));

    write(dir.path(), "data_batch_1.bin", &batch(&[0], 0));
    std::fs::remove_file(dir.path().join("test_batch.bin")).unwrap();
    assert!(load_cifar10(dir.path())
        .unwrap_err()
        .to_string()
        .contains("test_batch.bin"));
}
