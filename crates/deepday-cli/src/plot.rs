//! Pictures: image grids, nearest-neighbour galleries and charts, drawn into an RGB
//! [`Canvas`] (images with `image`, text and charts with `plotters`) and saved as PNG.

use anyhow::{Context, Result};
use deepday::classic::Neighbors;
use deepday::data::{stratified_subset, Dataset, ImageShape};
use deepday::tune::CvScore;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

/// DejaVu Sans, bundled so that text renders the same on every machine with no system fonts.
const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bundled font is valid; failing here would only lose text, never crash.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// An RGB picture being drawn.
pub struct Canvas {
    width: u32,
    height: u32,
    buf: Vec<u8>,
}

impl Canvas {
    /// A white canvas.
    pub fn new(width: u32, height: u32) -> Self {
        register_font();
        Canvas {
            width,
            height,
            buf: vec![255; (width * height * 3) as usize],
        }
    }

    /// Draws a CHW image row at `(x, y)`, each pixel as a `scale × scale` square.
    pub fn image(&mut self, x: u32, y: u32, pixels: &[u8], shape: ImageShape, scale: u32) {
        let plane = shape.height * shape.width;
        for r in 0..shape.height {
            for c in 0..shape.width {
                let rgb: [u8; 3] = if shape.channels >= 3 {
                    std::array::from_fn(|ch| pixels[ch * plane + r * shape.width + c])
                } else {
                    [pixels[r * shape.width + c]; 3]
                };
                for dy in 0..scale {
                    for dx in 0..scale {
                        self.put(x + c as u32 * scale + dx, y + r as u32 * scale + dy, rgb);
                    }
                }
            }
        }
    }

    /// A rectangle outline `t` pixels thick.
    pub fn frame(&mut self, x: u32, y: u32, w: u32, h: u32, t: u32, rgb: [u8; 3]) {
        for i in 0..w {
            for d in 0..t {
                self.put(x + i, y + d, rgb);
                self.put(x + i, y + h - 1 - d, rgb);
            }
        }
        for j in 0..h {
            for d in 0..t {
                self.put(x + d, y + j, rgb);
                self.put(x + w - 1 - d, y + j, rgb);
            }
        }
    }

    fn put(&mut self, x: u32, y: u32, rgb: [u8; 3]) {
        if x < self.width && y < self.height {
            let i = ((y * self.width + x) * 3) as usize;
            self.buf[i..i + 3].copy_from_slice(&rgb);
        }
    }

    /// Writes `text` with its top-left corner at `(x, y)`.
    pub fn text(&mut self, x: i32, y: i32, text: &str, size: f64, rgb: [u8; 3]) {
        let (w, h) = (self.width, self.height);
        let root = BitMapBackend::with_buffer(&mut self.buf, (w, h)).into_drawing_area();
        let style = (FAMILY, size)
            .into_font()
            .color(&RGBColor(rgb[0], rgb[1], rgb[2]));
        // Text that cannot be drawn (no glyph) is left out rather than failing the picture.
        let _ = root.draw(&Text::new(text.to_string(), (x, y), style));
        let _ = root.present();
    }

    /// The canvas as a plotters drawing area, for charts.
    pub fn area(&mut self) -> DrawingArea<BitMapBackend<'_>, plotters::coord::Shift> {
        BitMapBackend::with_buffer(&mut self.buf, (self.width, self.height)).into_drawing_area()
    }

    /// PNG bytes of the picture.
    pub fn png(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut out);
        image::ImageEncoder::write_image(
            encoder,
            &self.buf,
            self.width,
            self.height,
            image::ExtendedColorType::Rgb8,
        )?;
        Ok(out)
    }

    /// Saves the picture as a PNG file, atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        deepday::io::write_atomic(path, &self.png()?)
            .with_context(|| format!("writing {}", path.display()))
    }
}

/// Largest image side the pictures draw; larger images would make canvases of gigabytes.
const MAX_SIDE: usize = 2048;

/// Checks that images of `shape` can be drawn.
pub fn drawable(shape: ImageShape) -> Result<()> {
    anyhow::ensure!(
        shape.height <= MAX_SIDE && shape.width <= MAX_SIDE,
        "images of {shape} are too large to draw (at most {MAX_SIDE} pixels a side)"
    );
    Ok(())
}

/// Integer scale that draws an image about `target` pixels tall.
fn scale_for(shape: ImageShape, target: usize) -> u32 {
    (target / shape.height.max(shape.width)).clamp(1, 8) as u32
}

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

const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// Cross-validation accuracy against k, one line per metric with ± 1 std error bars and each
/// fold's accuracy as a faint dot (cs231n's plot).
pub fn accuracy_vs_k(scores: &[CvScore], folds: usize) -> Canvas {
    let mut canvas = Canvas::new(900, 560);
    let lo = scores
        .iter()
        .flat_map(|s| s.fold_accuracies.iter().copied())
        .fold(1.0, f64::min);
    let hi = scores
        .iter()
        .flat_map(|s| s.fold_accuracies.iter().copied())
        .fold(0.0, f64::max);
    let k_max = scores.iter().map(|s| s.k).max().unwrap_or(1) as f64;
    let mut metrics: Vec<_> = scores.iter().map(|s| s.metric).collect();
    metrics.dedup();
    {
        let root = canvas.area();
        let _ = draw_cv_chart(
            &root,
            scores,
            &metrics,
            folds,
            (0.8, k_max * 1.25),
            (lo - 0.01, hi + 0.01),
        );
        let _ = root.present();
    }
    canvas
}

fn draw_cv_chart<'a>(
    root: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
    scores: &[CvScore],
    metrics: &[deepday::distance::Metric],
    folds: usize,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("k-NN: {folds}-fold cross-validation accuracy"),
            (FAMILY, 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x.0..x.1).log_scale(), y.0..y.1)?;
    chart
        .configure_mesh()
        .x_desc("k (log scale)")
        .y_desc("validation accuracy")
        .label_style((FAMILY, 13))
        .draw()?;
    for (m, metric) in metrics.iter().enumerate() {
        let color = PALETTE[m % PALETTE.len()];
        let series: Vec<&CvScore> = scores.iter().filter(|s| s.metric == *metric).collect();
        chart.draw_series(series.iter().flat_map(|s| {
            s.fold_accuracies
                .iter()
                .map(move |&a| Circle::new((s.k as f64, a), 2, color.mix(0.35).filled()))
        }))?;
        chart.draw_series(series.iter().map(|s| {
            ErrorBar::new_vertical(
                s.k as f64,
                s.mean() - s.std(),
                s.mean(),
                s.mean() + s.std(),
                color.filled(),
                8,
            )
        }))?;
        chart
            .draw_series(LineSeries::new(
                series.iter().map(|s| (s.k as f64, s.mean())),
                color.stroke_width(2),
            ))?
            .label(metric.name())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font((FAMILY, 14))
        .position(SeriesLabelPosition::LowerLeft)
        .draw()?;
    Ok(())
}
