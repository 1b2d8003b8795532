//! Pictures: image grids, nearest-neighbour galleries, weight templates ([`images`]) and
//! charts ([`charts`]), drawn into an RGB [`Canvas`] (images by hand, text and charts with
//! `plotters`) and saved as PNG.

mod charts;
mod images;

pub use charts::*;
pub use images::*;

use anyhow::{Context, Result};
use deepday::data::ImageShape;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

/// DejaVu Sans, bundled so that text renders the same on every machine with no system fonts.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
pub(crate) const FAMILY: &str = "sans-serif";

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
pub(crate) fn scale_for(shape: ImageShape, target: usize) -> u32 {
    (target / shape.height.max(shape.width)).clamp(1, 8) as u32
}
