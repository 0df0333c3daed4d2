//! Text in PNG images, laid out as the font says.
//!
//! plotters 0.3.7 draws each glyph of a string at the integer part of the pen position
//! and without the glyph's left side bearing, so narrow letters (i, l, t) shift towards
//! their left neighbour and gaps open elsewhere ("percen tile"). [`PngBackend`] wraps the
//! bitmap backend and draws text itself: each glyph placed at its exact pen position
//! (with kerning), rasterised with its own bounds, anchored and rotated as plotters
//! would. Everything else is passed through. SVG text is laid out by the viewer.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The embedded font, parsed once.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(ttf_noto_sans::REGULAR).ok())
        .as_ref()
}

/// The bitmap backend with text drawn glyph by glyph at exact positions.
pub(crate) struct PngBackend<'a>(pub BitMapBackend<'a>);

type Error<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

/// Pixels `(x, y, coverage)` of `text` at `size` pixels, the pen starting at x = 0 with
/// the baseline at y = size / 2 (where plotters puts it), and the advance width.
pub(crate) fn glyph_pixels(text: &str, size: f32) -> (Vec<(i32, i32, f32)>, f32) {
    let Some(font) = font() else {
        return (Vec::new(), 0.0);
    };
    let scaled = font.as_scaled(PxScale::from(size));
    let mut pixels = Vec::new();
    let mut pen = 0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        prev = Some(id);
        let glyph = id.with_scale_and_position(PxScale::from(size), point(pen, size / 2.0));
        if let Some(outline) = scaled.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, a| {
                pixels.push((
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                    a,
                ));
            });
        }
        pen += scaled.h_advance(id);
    }
    (pixels, pen)
}

impl<'a> DrawingBackend for PngBackend<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<'a>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<'a>> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<'a>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), Error<'a>> {
        self.0.blit_bitmap(pos, size, src)
    }

    /// As plotters' own `draw_text` (the same layout box, anchor and rotation), with the
    /// glyphs placed by [`glyph_pixels`].
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), Error<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let (pixels, _) = glyph_pixels(text, style.size() as f32);
        for (x, y, a) in pixels {
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                self.0.draw_pixel(
                    (x, y),
                    BackendColor {
                        alpha: color.alpha * f64::from(a),
                        rgb: color.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gap between two letters does not depend on where the string starts: with
    /// the bearing kept, "ti" and "it" keep their letters apart by the font's spacing.
    #[test]
    fn glyphs_keep_their_bearing() {
        // The leftmost ink of "i" alone sits at its left bearing, not at 0.
        let (pixels, advance) = glyph_pixels("i", 30.0);
        let left = pixels.iter().map(|p| p.0).min().unwrap();
        assert!(left >= 1, "the bearing of i is kept: {left}");
        assert!(advance > 0.0);
        // "ll": the second l starts one advance after the first, to the pixel.
        let (one, adv) = glyph_pixels("l", 30.0);
        let (two, _) = glyph_pixels("ll", 30.0);
        let first = one.iter().map(|p| p.0).min().unwrap();
        let second = two
            .iter()
            .map(|p| p.0)
            .filter(|&x| x > first + 3)
            .min()
            .unwrap();
        assert!(
            ((second - first) as f32 - adv).abs() <= 1.0,
            "{second} {first} {adv}"
        );
    }
}
