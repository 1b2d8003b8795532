//! IDX reader: round trips and every malformed input a user can hand it.

use deepday::data::{load_idx_dir, parse_idx, write_idx_dir, Dataset, ImageShape, Split};
use flate2::{write::GzEncoder, Compression};
use ndarray::Array2;
use std::io::Write;
use std::path::Path;

fn header(dims: &[u32]) -> Vec<u8> {
    let mut v = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v
}

fn idx(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = header(dims);
    v.extend_from_slice(data);
    v
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn err(path: &str, bytes: &[u8]) -> String {
    parse_idx(Path::new(path), bytes).unwrap_err().to_string()
}

#[test]
fn parses_raw_and_gzip_alike() {
    let raw = idx(&[2, 2, 3], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    let a = parse_idx(Path::new("x"), &raw).unwrap();
    let b = parse_idx(Path::new("x.gz"), &gz(&raw)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.dims, vec![2, 2, 3]);
    assert_eq!(a.data[11], 12);
}

#[test]
fn rejects_malformed_headers_and_payloads() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "truncated"),
        ("short header", vec![0, 0, 8], "truncated"),
        (
            "wrong magic",
            idx(&[1], &[0])
                .into_iter()
                .enumerate()
                .map(|(i, b)| if i == 0 { 7 } else { b })
                .collect(),
            "magic",
        ),
        (
            "float type",
            {
                let mut v = idx(&[1], &[0, 0, 0, 0]);
                v[2] = 0x0d;
                v
            },
            "not supported",
        ),
        ("zero dims", vec![0, 0, 8, 0], "dimensions"),
        (
            "truncated payload",
            idx(&[10, 28, 28], &[0; 100]),
            "truncated",
        ),
        ("trailing bytes", idx(&[2], &[1, 2, 3]), "trailing"),
        ("2^31 images", idx(&[1 << 31, 28, 28], &[0; 16]), "allowed"),
        (
            "2^24 x 2^24 pixels",
            idx(&[1, 1 << 24, 1 << 24], &[0; 16]),
            "allowed",
        ),
    ];
    for (name, bytes, expected) in cases {
        let e = err("f", &bytes);
        assert!(
            e.contains(expected),
            "{name}: `{e}` should mention `{expected}`"
        );
        assert!(e.starts_with("f:"), "{name}: `{e}` should name the file");
    }
}

#[test]
fn rejects_gzip_problems() {
    let raw = idx(&[4], &[1, 2, 3, 4]);
    assert!(err("a.gz", &raw).contains("not a gzip file"));
    let mut corrupt = gz(&raw);
    let n = corrupt.len();
    corrupt[n / 2] ^= 0xff;
    corrupt[n - 6] ^= 0xff; // damage the CRC too, whatever the flipped byte did
    let e = err("c.gz", &corrupt);
    assert!(e.contains("gzip") || e.contains("truncated"), "{e}");
    let truncated = &gz(&idx(&[1000], &[7; 1000]))[..20];
    assert!(
        err("t.gz", truncated).contains("c") && parse_idx(Path::new("t.gz"), truncated).is_err()
    );
    // A gzip stream cannot hold more than ~1032x its size: the header is not believed.
    let small = gz(&idx(&[1 << 29], &[]));
    assert!(err("b.gz", &small).contains("truncated"));
}

fn tiny_split(n_train: usize, n_test: usize) -> Split {
    let make = |n: usize, offset: usize| {
        let pixels = Array2::from_shape_fn((n, 4 * 3), |(i, j)| ((i + offset) * 7 + j) as u8);
        let labels = (0..n).map(|i| (i + offset) % 3).collect();
        let names = vec!["a".to_string(), "b".into(), "c".into()];
        Dataset::new(
            pixels,
            labels,
            ImageShape {
                channels: 1,
                height: 4,
                width: 3,
            },
            names,
        )
        .unwrap()
    };
    Split::new(make(n_train, 0), make(n_test, 100)).unwrap()
}

#[test]
fn directory_round_trip_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let split = tiny_split(9, 4);
    write_idx_dir(dir.path(), &split).unwrap();
    let back = load_idx_dir(dir.path()).unwrap();
    assert_eq!(back.train, split.train);
    assert_eq!(back.test, split.test);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn valid_dir(dir: &Path) {
    write(dir, "train-images-idx3-ubyte", &idx(&[3, 2, 2], &[0; 12]));
    write(dir, "train-labels-idx1-ubyte", &idx(&[3], &[0, 1, 2]));
    write(dir, "t10k-images-idx3-ubyte", &idx(&[2, 2, 2], &[9; 8]));
    write(dir, "t10k-labels-idx1-ubyte", &idx(&[2], &[1, 1]));
}

#[test]
fn directory_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    valid_dir(dir.path());
    assert!(load_idx_dir(dir.path()).is_ok());

    write(dir.path(), "train-labels-idx1-ubyte", &idx(&[2], &[0, 1]));
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("train-labels") && e.contains("2 labels for the 3 images"),
        "{e}"
    );

    valid_dir(dir.path());
    write(
        dir.path(),
        "train-labels-idx1-ubyte",
        &idx(&[3], &[0, 1, 10]),
    );
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("label 10") && e.contains("outside"), "{e}");

    valid_dir(dir.path());
    write(
        dir.path(),
        "t10k-images-idx3-ubyte",
        &idx(&[2, 3, 3], &[9; 18]),
    );
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("1x2x2") && e.contains("1x3x3"),
        "shape mismatch: {e}"
    );

    valid_dir(dir.path());
    write(dir.path(), "train-images-idx3-ubyte", &idx(&[0, 2, 2], &[]));
    write(dir.path(), "train-labels-idx1-ubyte", &idx(&[0], &[]));
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("empty"), "{e}");

    valid_dir(dir.path());
    std::fs::remove_file(dir.path().join("t10k-labels-idx1-ubyte")).unwrap();
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("t10k-labels-idx1-ubyte") && e.contains("missing"),
        "{e}"
    );

    valid_dir(dir.path());
    write(
        dir.path(),
        "train-labels-idx1-ubyte",
        &idx(&[3, 1], &[0, 1, 2]),
    );
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("1 dimension"), "{e}");
}

#[test]
fn class_names_come_from_classes_txt() {
    let dir = tempfile::tempdir().unwrap();
    valid_dir(dir.path());
    write(dir.path(), "classes.txt", b"x\ny\n");
    let e = load_idx_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("label 2") && e.contains("2 classes"), "{e}");
    write(dir.path(), "classes.txt", b"x\ny\nz\n");
    assert_eq!(
        load_idx_dir(dir.path()).unwrap().train.class_names(),
        ["x", "y", "z"]
    );
}

#[test]
fn bundled_sample_is_balanced_fashion_mnist() {
    let s = deepday::data::sample().unwrap();
    assert_eq!((s.train.len(), s.test.len()), (5000, 1000));
    assert_eq!(s.train.class_counts(), vec![500; 10]);
    assert_eq!(s.test.class_counts(), vec![100; 10]);
    assert_eq!(
        s.train.shape(),
        ImageShape {
            channels: 1,
            height: 28,
            width: 28
        }
    );
    assert_eq!(s.train.class_names()[9], "Ankle boot");
}
