//! Exact integer distances between `u8` images, the hot loop of k-NN.
//!
//! The kernels return, for each (query, reference) pair, either `Σ|q−t|` (L1) or `q·t`
//! (L2 and cosine) as a `u32`; the caller turns these into ranking keys (`f64`, exact for
//! integers below 2⁵³): L1 as is, L2 as `‖q‖² + ‖t‖² − 2q·t`, cosine as
//! `1 − q·t / (‖q‖‖t‖)`.
//!
//! With AVX-512 the references are packed into panels so that one instruction serves many
//! pairs, a broadcast query word against one vector of reference words:
//! - L1: `vpsadbw` sums `|q−t|` over 8 bytes in each 64-bit lane: a panel holds 8 references.
//! - dot: `vpdpbusd` multiplies unsigned by signed bytes and adds groups of 4 into 32-bit
//!   lanes: a panel holds 16 references stored as `t − 128` (signed), and
//!   `q·t = q·(t − 128) + 128·Σq` restores the unsigned product. Sums wrap modulo 2³², which
//!   is exact because every true result fits in a `u32` (checked by [`MAX_DIM`]).
//!
//! Without AVX-512 (or with `DEEPDAY_NO_SIMD` set) plain loops over unpacked rows compute
//! the same numbers. Hand-written because no well-kept crate offers exact `u8` L1 or
//! `u8 × u8` dot-product matrices, and these loops decide k-NN's speed.

use super::Metric;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};

/// Largest image size (values per image) the kernels accept: `255² · 65,536 < 2³²`.
pub const MAX_DIM: usize = 65_536;

/// References are processed in tiles of this many (two dot panels, four L1 panels).
pub const REF_TILE: usize = 32;
/// Queries are processed in groups of this many.
pub const QUERY_TILE: usize = 4;

/// Rounds `x` up to a multiple of `m`.
fn round_up(x: usize, m: usize) -> usize {
    x.div_ceil(m) * m
}

/// A reference set prepared for one metric.
pub struct ExactIndex {
    metric: Metric,
    n: usize,
    dim: usize,
    /// Values per row after zero padding to a multiple of 8 (zeros change no distance).
    padded: usize,
    /// `‖t‖²` of each reference (L2, cosine).
    norms: Vec<u64>,
    store: Store,
}

enum Store {
    /// `round_up(n, REF_TILE)` rows of `padded` values.
    Rows(Vec<u8>),
    /// Panels laid out for the AVX-512 kernels (see the module docs).
    Packed(Vec<u8>),
}

/// Queries padded the same way as the references, with their norms and sums.
pub struct QueryBlock {
    n: usize,
    rows: Vec<u8>,
    norms: Vec<u64>,
    sums: Vec<u32>,
}

impl QueryBlock {
    /// Number of real (unpadded) queries.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when the block holds no query.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// True when this CPU runs the AVX-512 kernels (and `DEEPDAY_NO_SIMD` is unset).
pub fn simd_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::env::var_os("DEEPDAY_NO_SIMD").is_none()
            && is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512vnni")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl ExactIndex {
    /// Prepares `refs` `(n, dim)` for distances under `metric`, with the fastest kernels
    /// this CPU runs.
    pub fn new(metric: Metric, refs: ArrayView2<u8>) -> Result<Self> {
        Self::build(metric, refs, simd_available())
    }

    /// Like [`ExactIndex::new`] but always with the portable loops (the SIMD kernels' twin
    /// in tests).
    pub fn portable(metric: Metric, refs: ArrayView2<u8>) -> Result<Self> {
        Self::build(metric, refs, false)
    }

    fn build(metric: Metric, refs: ArrayView2<u8>, simd: bool) -> Result<Self> {
        let (n, dim) = refs.dim();
        if dim == 0 || dim > MAX_DIM {
            return Err(Error::Data(format!(
                "images of {dim} values: the distance kernels take 1 to {MAX_DIM} values per image"
            )));
        }
        let padded = round_up(dim, 8);
        let norms = refs
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|&v| (v as u64).pow(2)).sum())
            .collect();
        let rows = pad_rows(refs, padded, round_up(n.max(1), REF_TILE));
        let store = if simd {
            Store::Packed(pack(metric, &rows, padded))
        } else {
            Store::Rows(rows)
        };
        Ok(ExactIndex {
            metric,
            n,
            dim,
            padded,
            norms,
            store,
        })
    }

    /// Number of references.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when there are no references.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Values per image.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The metric the index was built for.
    pub fn metric(&self) -> Metric {
        self.metric
    }

    /// Pads `queries` `(q, dim)` for [`ExactIndex::keys`].
    pub fn queries(&self, queries: ArrayView2<u8>) -> QueryBlock {
        assert_eq!(
            queries.ncols(),
            self.dim,
            "query dimension must match the references"
        );
        let n = queries.nrows();
        QueryBlock {
            n,
            rows: pad_rows(queries, self.padded, round_up(n.max(1), QUERY_TILE)),
            norms: queries
                .rows()
                .into_iter()
                .map(|r| r.iter().map(|&v| (v as u64).pow(2)).sum())
                .collect(),
            sums: queries
                .rows()
                .into_iter()
                .map(|r| r.iter().map(|&v| v as u32).sum())
                .collect(),
        }
    }

    /// Ranking keys of every query in `q` against references `start..start + width`
    /// (`start` a multiple of [`REF_TILE`]), into `keys` (`q.len() × width`, row-major).
    /// `raw` is scratch space. Keys past the last reference are `+∞`.
    pub fn keys(
        &self,
        q: &QueryBlock,
        start: usize,
        width: usize,
        raw: &mut Vec<u32>,
        keys: &mut [f64],
    ) {
        assert!(
            start.is_multiple_of(REF_TILE) && width.is_multiple_of(REF_TILE),
            "blocks are whole tiles"
        );
        assert_eq!(keys.len(), q.n * width);
        let rows_q = round_up(q.n.max(1), QUERY_TILE);
        raw.clear();
        raw.resize(rows_q * width, 0);
        let end = (start + width).min(round_up(self.n.max(1), REF_TILE));
        self.raw_block(q, start, end, width, raw);
        for i in 0..q.n {
            let out = &mut keys[i * width..(i + 1) * width];
            let r = &raw[i * width..(i + 1) * width];
            let valid = self.n.saturating_sub(start).min(width);
            let nq = q.norms[i] as f64;
            match self.metric {
                Metric::L1 => out.iter_mut().zip(r).for_each(|(k, &v)| *k = v as f64),
                Metric::L2 => {
                    let nt = &self.norms[start..start + valid];
                    out.iter_mut()
                        .zip(r)
                        .zip(nt)
                        .for_each(|((k, &v), &t)| *k = nq + t as f64 - 2.0 * v as f64)
                }
                Metric::Cosine => {
                    let nt = &self.norms[start..start + valid];
                    out.iter_mut()
                        .zip(r)
                        .zip(nt)
                        .for_each(|((k, &v), &t)| *k = cosine_key(v, nq, t as f64))
                }
            }
            out[valid..].fill(f64::INFINITY);
        }
    }

    /// Turns a ranking key into the metric's distance (the square root for L2).
    pub fn distance(&self, key: f64) -> f64 {
        match self.metric {
            Metric::L2 => key.sqrt(),
            _ => key,
        }
    }

    /// The full distance matrix `(q, n)` (for small sets: galleries and tests).
    pub fn distances(&self, queries: ArrayView2<u8>) -> Array2<f64> {
        let q = self.queries(queries);
        let width = round_up(self.n.max(1), REF_TILE);
        let mut keys = vec![0.0; q.n * width];
        self.keys(&q, 0, width, &mut Vec::new(), &mut keys);
        Array2::from_shape_fn((q.n, self.n), |(i, j)| self.distance(keys[i * width + j]))
    }

    fn raw_block(&self, q: &QueryBlock, start: usize, end: usize, stride: usize, raw: &mut [u32]) {
        let p = self.padded;
        match &self.store {
            Store::Rows(rows) => {
                for (i, qrow) in q.rows.chunks_exact(p).enumerate() {
                    for (j, t) in rows[start * p..end * p].chunks_exact(p).enumerate() {
                        raw[i * stride + j] = match self.metric {
                            Metric::L1 => sad(qrow, t),
                            _ => dot(qrow, t),
                        };
                    }
                }
            }
            #[cfg(target_arch = "x86_64")]
            Store::Packed(packed) => {
                for (qi, quad) in q.rows.chunks_exact(QUERY_TILE * p).enumerate() {
                    let first = qi * QUERY_TILE;
                    let sums: [u32; QUERY_TILE] =
                        std::array::from_fn(|i| q.sums.get(first + i).copied().unwrap_or(0));
                    for tile in (start..end).step_by(REF_TILE) {
                        let panels = &packed[tile * p..(tile + REF_TILE) * p];
                        let out = &mut raw[first * stride + (tile - start)..];
                        // SAFETY: `simd_available` checked the CPU features when the store
                        // was packed; slice lengths are asserted inside the kernels.
                        unsafe {
                            match self.metric {
                                Metric::L1 => avx512::sad_tile(quad, panels, p, out, stride),
                                _ => avx512::dot_tile(quad, panels, p, out, stride, sums),
                            }
                        }
                    }
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            Store::Packed(_) => unreachable!("packing needs x86-64"),
        }
    }
}

fn cosine_key(dot: u32, nq: f64, nt: f64) -> f64 {
    if nq == 0.0 || nt == 0.0 {
        1.0
    } else {
        (1.0 - dot as f64 / (nq.sqrt() * nt.sqrt())).clamp(0.0, 2.0)
    }
}

/// Copies rows into `count` rows of `padded` values, zero-filled.
fn pad_rows(x: ArrayView2<u8>, padded: usize, count: usize) -> Vec<u8> {
    let mut out = vec![0u8; count * padded];
    for (dst, row) in out.chunks_exact_mut(padded).zip(x.rows()) {
        for (d, &v) in dst.iter_mut().zip(row) {
            *d = v;
        }
    }
    out
}

/// Lays padded rows out in panels: for L1, 8 references × 8 bytes per 64-byte vector; for
/// dot products, 16 references × 4 bytes, stored as `t − 128`.
fn pack(metric: Metric, rows: &[u8], padded: usize) -> Vec<u8> {
    let (lanes, bytes, flip) = match metric {
        Metric::L1 => (8, 8, 0u8),
        _ => (16, 4, 0x80u8),
    };
    let mut out = vec![0u8; rows.len()];
    for (panel, src) in out
        .chunks_exact_mut(lanes * padded)
        .zip(rows.chunks_exact(lanes * padded))
    {
        for g in 0..padded / bytes {
            for lane in 0..lanes {
                for b in 0..bytes {
                    panel[g * lanes * bytes + lane * bytes + b] =
                        src[lane * padded + g * bytes + b] ^ flip;
                }
            }
        }
    }
    out
}

/// `Σ|a−b|` (portable; the compiler vectorises it).
pub fn sad(a: &[u8], b: &[u8]) -> u32 {
    a.iter().zip(b).map(|(&x, &y)| x.abs_diff(y) as u32).sum()
}

/// `a·b` (portable; the compiler vectorises it).
pub fn dot(a: &[u8], b: &[u8]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| x as u32 * y as u32)
        .fold(0u32, u32::wrapping_add)
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{QUERY_TILE, REF_TILE};
    use std::arch::x86_64::*;

    /// L1 between 4 queries and 4 panels of 8 references: 16 accumulators of 8 lanes.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub unsafe fn sad_tile(quad: &[u8], panels: &[u8], p: usize, out: &mut [u32], stride: usize) {
        assert!(quad.len() >= QUERY_TILE * p && panels.len() >= REF_TILE * p);
        assert!(out.len() >= (QUERY_TILE - 1) * stride + REF_TILE);
        let mut acc = [[_mm512_setzero_si512(); 4]; QUERY_TILE];
        let panel_len = 8 * p;
        let (q, t) = (quad.as_ptr(), panels.as_ptr());
        for g in 0..p / 8 {
            let v: [__m512i; 4] = std::array::from_fn(|j| {
                _mm512_loadu_si512(t.add(j * panel_len + g * 64) as *const _)
            });
            for (i, acc) in acc.iter_mut().enumerate() {
                let word = (q.add(i * p + g * 8) as *const i64).read_unaligned();
                let b = _mm512_set1_epi64(word);
                for j in 0..4 {
                    acc[j] = _mm512_add_epi64(acc[j], _mm512_sad_epu8(b, v[j]));
                }
            }
        }
        for (i, acc) in acc.iter().enumerate() {
            for (j, a) in acc.iter().enumerate() {
                let dst = out.as_mut_ptr().add(i * stride + j * 8);
                _mm256_storeu_si256(dst as *mut __m256i, _mm512_cvtepi64_epi32(*a));
            }
        }
    }

    /// `q·t` between 4 queries and 2 panels of 16 references: 8 accumulators of 16 lanes.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub unsafe fn dot_tile(
        quad: &[u8],
        panels: &[u8],
        p: usize,
        out: &mut [u32],
        stride: usize,
        sums: [u32; QUERY_TILE],
    ) {
        assert!(quad.len() >= QUERY_TILE * p && panels.len() >= REF_TILE * p);
        assert!(out.len() >= (QUERY_TILE - 1) * stride + REF_TILE);
        let mut acc = [[_mm512_setzero_si512(); 2]; QUERY_TILE];
        let panel_len = 16 * p;
        let (q, t) = (quad.as_ptr(), panels.as_ptr());
        for g in 0..p / 4 {
            let v0 = _mm512_loadu_si512(t.add(g * 64) as *const _);
            let v1 = _mm512_loadu_si512(t.add(panel_len + g * 64) as *const _);
            for (i, acc) in acc.iter_mut().enumerate() {
                let word = (q.add(i * p + g * 4) as *const i32).read_unaligned();
                let b = _mm512_set1_epi32(word);
                acc[0] = _mm512_dpbusd_epi32(acc[0], b, v0);
                acc[1] = _mm512_dpbusd_epi32(acc[1], b, v1);
            }
        }
        for (i, acc) in acc.iter().enumerate() {
            let shift = _mm512_set1_epi32((sums[i] as i32).wrapping_mul(128));
            for (j, a) in acc.iter().enumerate() {
                let dst = out.as_mut_ptr().add(i * stride + j * 16);
                _mm512_storeu_si512(dst as *mut _, _mm512_add_epi32(*a, shift));
            }
        }
    }
}
