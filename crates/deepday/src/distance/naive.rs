//! One pair at a time, straight from the definitions, in `f64`: the oracle the fast kernels
//! are tested against.

/// `Σ|a−b|`.
pub fn l1(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// `√Σ(a−b)²`.
pub fn l2(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// `1 − a·b / (‖a‖‖b‖)`, and 1 when either vector is zero.
pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        1.0
    } else {
        (1.0 - dot / (na * nb)).clamp(0.0, 2.0)
    }
}

/// The distance `metric` names.
pub fn distance(metric: super::Metric, a: &[f64], b: &[f64]) -> f64 {
    match metric {
        super::Metric::L1 => l1(a, b),
        super::Metric::L2 => l2(a, b),
        super::Metric::Cosine => cosine(a, b),
    }
}
