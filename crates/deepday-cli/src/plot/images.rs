//! Pictures made of images: class grids, nearest-neighbour galleries, weight templates.

use super::{scale_for, Canvas};
use deepday::classic::Neighbors;
use deepday::data::{stratified_subset, Dataset};

/// `per_class` random images of each class, one row per class, the class name on the left.
pub fn class_grid(set: &Dataset, per_class: usize, seed: u64) -> Canvas {
    let shape = set.shape();
    let scale = scale_for(shape, 56);
    let (cw, ch) = (shape.width as u32 * scale, shape.height as u32 * scale);
    let label_w = 130;
    let pad = 4;
    let n_classes = set.n_classes() as u32;
    let mut canvas = Canvas::new(
        label_w + per_class as u32 * (cw + pad) + pad,
        n_classes * (ch + pad) + pad,
    );
    let chosen = stratified_subset(set.labels(), set.len(), seed);
    for class in 0..set.n_classes() {
        let y = pad + class as u32 * (ch + pad);
        canvas.text(
            6,
            (y + ch / 2) as i32 - 8,
            &set.class_names()[class],
            14.0,
            [0, 0, 0],
        );
        let rows = chosen
            .iter()
            .filter(|&&i| set.labels()[i] == class)
            .take(per_class);
        for (col, &i) in rows.enumerate() {
            let x = label_w + col as u32 * (cw + pad);
            canvas.image(
                x,
                y,
                set.pixels().row(i).as_slice().expect("row-major"),
                shape,
                scale,
            );
        }
    }
    canvas
}

/// For the first `n_queries` test images: the query, then its nearest training images with
/// their label and distance, framed green when the label matches the query's, red if not.
pub fn gallery(test: &Dataset, train: &Dataset, nb: &Neighbors, n_queries: usize) -> Canvas {
    let shape = test.shape();
    let scale = scale_for(shape, 64);
    let (cw, ch) = (shape.width as u32 * scale, shape.height as u32 * scale);
    let k = nb.k.min(10) as u32;
    let (cell_w, cell_h) = ((cw + 16).max(96), ch + 40);
    let n = n_queries.min(test.len()) as u32;
    let gap = 24;
    let mut canvas = Canvas::new(cell_w * (k + 1) + gap + 8, cell_h * n + 8);
    let names = test.class_names();
    for q in 0..n as usize {
        let y = 4 + q as u32 * cell_h;
        let truth = test.labels()[q];
        canvas.image(
            4,
            y,
            test.pixels().row(q).as_slice().expect("row-major"),
            shape,
            scale,
        );
        canvas.frame(2, y.saturating_sub(2), cw + 4, ch + 4, 2, [40, 40, 40]);
        canvas.text(
            4,
            (y + ch + 4) as i32,
            &format!("query: {}", names[truth]),
            11.0,
            [0, 0, 0],
        );
        for j in 0..k as usize {
            let i = nb.indices[q * nb.k + j];
            let x = cell_w + gap + j as u32 * cell_w;
            canvas.image(
                x,
                y,
                train.pixels().row(i).as_slice().expect("row-major"),
                shape,
                scale,
            );
            let ok = train.labels()[i] == truth;
            let color = if ok { [30, 150, 60] } else { [210, 40, 40] };
            canvas.frame(
                x.saturating_sub(2),
                y.saturating_sub(2),
                cw + 4,
                ch + 4,
                2,
                color,
            );
            canvas.text(
                x as i32,
                (y + ch + 4) as i32,
                &names[train.labels()[i]],
                11.0,
                color,
            );
            let d = nb.distances[q * nb.k + j];
            canvas.text(
                x as i32,
                (y + ch + 18) as i32,
                &format_distance(d),
                10.0,
                [90, 90, 90],
            );
        }
    }
    canvas
}

/// Integer distances (L1, L2 on pixels often) without decimals, others with four.
fn format_distance(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("d={d:.0}")
    } else if d >= 100.0 {
        format!("d={d:.1}")
    } else {
        format!("d={d:.4}")
    }
}

/// Each class's weights drawn as an image (cs231n: trained weights look like the class they
/// detect). `w` is `(d, C)` over CHW pixels of `shape`. Grey images use a diverging map
/// (red: evidence for the class, blue: against, white: 0) on one scale for all classes;
/// colour images map the weights' range to 0–255 per channel, as cs231n does.
pub fn weight_templates(
    w: ndarray::ArrayView2<f32>,
    shape: deepday::data::ImageShape,
    names: &[String],
) -> Canvas {
    let scale = scale_for(shape, 112);
    let (iw, ih) = (shape.width as u32 * scale, shape.height as u32 * scale);
    let per_row = 5.min(names.len().max(1)) as u32;
    let rows = (names.len() as u32).div_ceil(per_row);
    let (cell_w, cell_h) = ((iw + 20).max(130), ih + 34);
    let mut canvas = Canvas::new(per_row * cell_w + 20, rows * cell_h + 20);
    let max_abs = w
        .iter()
        .fold(0f32, |m, v| m.max(v.abs()))
        .max(f32::MIN_POSITIVE);
    let (lo, hi) = w
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let plane = shape.height * shape.width;
    for (j, name) in names.iter().enumerate() {
        let (cx, cy) = (
            10 + (j as u32 % per_row) * cell_w,
            10 + (j as u32 / per_row) * cell_h,
        );
        let column = w.column(j);
        let mut rgb = vec![0u8; 3 * plane];
        for p in 0..plane {
            let px: [u8; 3] = if shape.channels >= 3 {
                std::array::from_fn(|c| {
                    (255.0 * (column[c * plane + p] - lo) / (hi - lo).max(f32::MIN_POSITIVE)) as u8
                })
            } else {
                diverging(column[p] / max_abs)
            };
            for (c, v) in px.into_iter().enumerate() {
                rgb[c * plane + p] = v;
            }
        }
        let colour = deepday::data::ImageShape {
            channels: 3,
            ..shape
        };
        let x = cx + (cell_w - iw) / 2;
        canvas.image(x, cy, &rgb, colour, scale);
        canvas.text(x as i32, (cy + ih + 6) as i32, name, 15.0, [0, 0, 0]);
    }
    canvas
}

/// Blue (−1) through white (0) to red (+1).
fn diverging(t: f32) -> [u8; 3] {
    let t = t.clamp(-1.0, 1.0);
    let fade = |a: f32| (255.0 * (1.0 - a)) as u8;
    if t >= 0.0 {
        [255, fade(t), fade(t)]
    } else {
        [fade(-t), fade(-t), 255]
    }
}
