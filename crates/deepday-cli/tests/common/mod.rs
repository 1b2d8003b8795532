//! Helpers shared by the CLI tests: run the real binary, check success or a clean failure.

#![allow(dead_code)] // each test file uses a different subset

use std::path::Path;
use std::process::{Command, Output};

pub fn deepday(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deepday"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn ok(args: &[&str]) -> String {
    let out = deepday(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "deepday {args:?} failed: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail; returns its message, checked to be one clear line.
pub fn fails(args: &[&str]) -> String {
    let out = deepday(args);
    assert!(!out.status.success(), "deepday {args:?} should fail");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{stderr}"
    );
    assert!(!stderr.trim().is_empty());
    stderr
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

pub fn is_png(path: &Path) -> bool {
    image::open(path).is_ok_and(|img| img.width() > 50 && img.height() > 50)
}
