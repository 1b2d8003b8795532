//! Image folders and format detection.

use deepday::data::{detect, load_folder, open, FolderOptions, Format};
use image::{Rgb, RgbImage};
use std::path::Path;

fn save(dir: &Path, split: &str, class: &str, name: &str, color: [u8; 3], size: u32) {
    let d = dir.join(split).join(class);
    std::fs::create_dir_all(&d).unwrap();
    RgbImage::from_pixel(size, size, Rgb(color))
        .save(d.join(name))
        .unwrap();
}

fn fixture(dir: &Path) {
    save(dir, "train", "red", "a.png", [255, 0, 0], 10);
    save(dir, "train", "red", "b.jpg", [250, 0, 0], 7);
    save(dir, "train", "blue", "c.png", [0, 0, 255], 5);
    save(dir, "test", "blue", "d.png", [0, 0, 250], 12);
}

#[test]
fn loads_resized_images_with_the_channels_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    assert_eq!(detect(dir.path()).unwrap(), Format::Folder);
    let rgb = load_folder(
        dir.path(),
        &FolderOptions {
            height: 4,
            width: 6,
            channels: 3,
        },
    )
    .unwrap();
    assert_eq!(rgb.train.class_names(), ["blue", "red"]);
    assert_eq!(rgb.train.labels(), [0, 1, 1]);
    assert_eq!(rgb.test.labels(), [0]);
    assert_eq!(rgb.train.pixels().ncols(), 3 * 4 * 6);
    let blue = rgb.train.pixels().row(0).to_vec();
    assert!(
        blue[..24].iter().all(|&v| v == 0) && blue[48..].iter().all(|&v| v == 255),
        "CHW planes"
    );
    let grey = load_folder(
        dir.path(),
        &FolderOptions {
            height: 4,
            width: 4,
            channels: 1,
        },
    )
    .unwrap();
    assert_eq!(grey.train.pixels().ncols(), 16);
    let red = grey.train.pixels()[[1, 0]];
    assert!((50..=90).contains(&red), "red as grey is dark-ish: {red}");
}

#[test]
fn unreadable_images_and_unknown_classes_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    std::fs::write(dir.path().join("train/red/broken.png"), b"not a png").unwrap();
    let e = load_folder(dir.path(), &FolderOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("broken.png") && e.contains("decode"), "{e}");
    std::fs::remove_file(dir.path().join("train/red/broken.png")).unwrap();
    save(dir.path(), "test", "green", "g.png", [0, 255, 0], 4);
    let e = load_folder(dir.path(), &FolderOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("green") && e.contains("not among the training classes"),
        "{e}"
    );
    let e = load_folder(
        dir.path(),
        &FolderOptions {
            height: 4,
            width: 4,
            channels: 2,
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("channels"));
}

#[test]
fn detection_reports_none_ambiguous_and_missing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(detect(dir.path())
        .unwrap_err()
        .to_string()
        .contains("no data set found"));
    fixture(dir.path());
    std::fs::write(dir.path().join("test_batch.bin"), [0u8; 3073]).unwrap();
    assert!(detect(dir.path())
        .unwrap_err()
        .to_string()
        .contains("ambiguous"));
    let missing = dir.path().join("nope");
    let e = open(missing.to_str().unwrap(), &FolderOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope") && e.contains("does not exist"), "{e}");
}
