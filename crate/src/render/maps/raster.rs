//! A small RGBA rasteriser for the interactive map: filled discs, lines of a given width
//! (optionally dashed) and even-odd filled polygons, alpha-blended ("source over") into a
//! straight-alpha RGBA8 buffer that the page puts on a canvas with `putImageData`.
//!
//! ```
//! use borderless::render::maps::raster::{Raster, Rgba};
//! let mut r = Raster::new(10, 10, Rgba::rgb(255, 255, 255)).unwrap();
//! r.disc(5.0, 5.0, 2.0, Rgba::rgb(0, 0, 0));
//! assert_eq!(r.pixel(5, 5), [0, 0, 0, 255]);
//! assert_eq!(r.pixel(0, 0), [255, 255, 255, 255]);
//! ```

/// A colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba { r, g, b, a: 255 }
    }
    pub const fn with_alpha(self, a: u8) -> Rgba {
        Rgba { a, ..self }
    }
    /// Parses `#rrggbb`.
    pub fn hex(s: &str) -> Option<Rgba> {
        let s = s.strip_prefix('#')?;
        if s.len() != 6 {
            return None;
        }
        let v = u32::from_str_radix(s, 16).ok()?;
        Some(Rgba::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
    }
}

/// Errors of the rasteriser.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RasterError {
    #[error("a map of {width}×{height} pixels is not drawable (1 to 16384 pixels a side)")]
    Size { width: u32, height: u32 },
}

/// An RGBA8 image, row-major, 4 bytes a pixel.
#[derive(Debug, Clone)]
pub struct Raster {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl Raster {
    /// A `width`×`height` image filled with `background`.
    pub fn new(width: u32, height: u32, background: Rgba) -> Result<Raster, RasterError> {
        if width == 0 || height == 0 || width > 16_384 || height > 16_384 {
            return Err(RasterError::Size { width, height });
        }
        let mut r = Raster { width, height, data: vec![0; width as usize * height as usize * 4] };
        r.clear(background);
        Ok(r)
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    /// The RGBA bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
    pub fn into_data(self) -> Vec<u8> {
        self.data
    }

    /// Resizes (contents undefined until cleared) — keeps the allocation when it fits.
    pub fn resize(&mut self, width: u32, height: u32) -> Result<(), RasterError> {
        if width == 0 || height == 0 || width > 16_384 || height > 16_384 {
            return Err(RasterError::Size { width, height });
        }
        self.width = width;
        self.height = height;
        self.data.resize(width as usize * height as usize * 4, 0);
        Ok(())
    }

    pub fn clear(&mut self, c: Rgba) {
        for px in self.data.chunks_exact_mut(4) {
            px.copy_from_slice(&[c.r, c.g, c.b, c.a]);
        }
    }

    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        [self.data[i], self.data[i + 1], self.data[i + 2], self.data[i + 3]]
    }

    /// Blends `c` over the horizontal run [x0, x1) of row `y` (clipped).
    #[inline]
    fn span(&mut self, y: i32, x0: i32, x1: i32, c: Rgba) {
        if y < 0 || y >= self.height as i32 {
            return;
        }
        let x0 = x0.max(0);
        let x1 = x1.min(self.width as i32);
        if x0 >= x1 {
            return;
        }
        let row = y as usize * self.width as usize;
        let slice = &mut self.data[(row + x0 as usize) * 4..(row + x1 as usize) * 4];
        if c.a == 255 {
            for px in slice.chunks_exact_mut(4) {
                px.copy_from_slice(&[c.r, c.g, c.b, 255]);
            }
            return;
        }
        let a = c.a as u32;
        let na = 255 - a;
        for px in slice.chunks_exact_mut(4) {
            px[0] = ((c.r as u32 * a + px[0] as u32 * na + 127) / 255) as u8;
            px[1] = ((c.g as u32 * a + px[1] as u32 * na + 127) / 255) as u8;
            px[2] = ((c.b as u32 * a + px[2] as u32 * na + 127) / 255) as u8;
            px[3] = (a + (px[3] as u32 * na + 127) / 255) as u8;
        }
    }

    /// A filled disc of radius `r` px centred at (`cx`, `cy`): pixels whose centres lie inside.
    pub fn disc(&mut self, cx: f32, cy: f32, r: f32, c: Rgba) {
        if cx + r < 0.0 || cy + r < 0.0 || cx - r > self.width as f32 || cy - r > self.height as f32 {
            return;
        }
        let r2 = r * r;
        let y0 = (cy - r - 0.5).ceil() as i32;
        let y1 = (cy + r - 0.5).floor() as i32;
        for y in y0..=y1 {
            let dy = y as f32 + 0.5 - cy;
            let h = r2 - dy * dy;
            if h < 0.0 {
                continue;
            }
            let w = h.sqrt();
            let x0 = (cx - w - 0.5).ceil() as i32;
            let x1 = (cx + w - 0.5).floor() as i32 + 1;
            self.span(y, x0, x1, c);
        }
    }

    /// A ring (disc outline) of width about 1 px.
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Rgba) {
        let n = ((r * 6.3).ceil() as usize).clamp(8, 256);
        let mut prev = (cx + r, cy);
        for k in 1..=n {
            let t = k as f32 / n as f32 * std::f32::consts::TAU;
            let p = (cx + r * t.cos(), cy + r * t.sin());
            self.line(prev.0, prev.1, p.0, p.1, 1.0, c);
            prev = p;
        }
    }

    /// A line of width `w` px from (x0, y0) to (x1, y1), drawn as square stamps along it
    /// (one per pixel step, so overlapping stamps of a translucent colour are blended once
    /// per row span).
    pub fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, w: f32, c: Rgba) {
        let (wd, ht) = (self.width as f32, self.height as f32);
        if (x0 < -w && x1 < -w) || (y0 < -w && y1 < -w) || (x0 > wd + w && x1 > wd + w) || (y0 > ht + w && y1 > ht + w)
        {
            return;
        }
        // Clip to a generous rectangle so huge zooms do not loop for ever.
        let Some((x0, y0, x1, y1)) = clip_segment(x0, y0, x1, y1, -w - 2.0, -w - 2.0, wd + w + 2.0, ht + w + 2.0)
        else {
            return;
        };
        let dx = x1 - x0;
        let dy = y1 - y0;
        let steps = dx.abs().max(dy.abs()).ceil().max(1.0) as i32;
        let half = (w / 2.0).max(0.5);
        if c.a == 255 {
            for k in 0..=steps {
                let t = k as f32 / steps as f32;
                let (x, y) = (x0 + dx * t, y0 + dy * t);
                let (xa, xb) = ((x - half).round() as i32, (x + half).round() as i32);
                for yy in (y - half).round() as i32..(y + half).round() as i32 {
                    self.span(yy, xa, xb, c);
                }
            }
            return;
        }
        // Translucent: fill the segment's rectangle once, so no pixel is blended twice.
        let len = (dx * dx + dy * dy).sqrt().max(1e-6);
        let (nx, ny) = (-dy / len * half, dx / len * half);
        let quad = vec![(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)];
        self.fill_polygon(&[quad], c);
    }

    /// A polyline; with `dash = Some((on, off))` px, dashed along its length.
    pub fn polyline(&mut self, pts: &[(f32, f32)], w: f32, c: Rgba, dash: Option<(f32, f32)>) {
        let Some((on, off)) = dash else {
            for s in pts.windows(2) {
                self.line(s[0].0, s[0].1, s[1].0, s[1].1, w, c);
            }
            return;
        };
        let period = on + off;
        let mut phase = 0.0f32;
        for s in pts.windows(2) {
            let (ax, ay, bx, by) = (s[0].0, s[0].1, s[1].0, s[1].1);
            let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
            if len == 0.0 {
                continue;
            }
            let mut t = 0.0f32;
            while t < len {
                let in_phase = phase % period;
                let (draw, rest) = if in_phase < on { (true, on - in_phase) } else { (false, period - in_phase) };
                let step = rest.min(len - t);
                if draw {
                    let (t0, t1) = (t / len, (t + step) / len);
                    self.line(ax + (bx - ax) * t0, ay + (by - ay) * t0, ax + (bx - ax) * t1, ay + (by - ay) * t1, w, c);
                }
                t += step;
                phase += step;
            }
        }
    }

    /// Fills the rings (even-odd rule: holes are rings inside rings) by scanlines through
    /// pixel centres, with an active-edge list (edges sorted by their top row), so the cost is
    /// O(E log E) plus the edges crossing each drawn row — not edges × rows.
    pub fn fill_polygon(&mut self, rings: &[Vec<(f32, f32)>], c: Rgba) {
        #[derive(Clone, Copy)]
        struct Edge {
            ytop: f32,
            ybot: f32,
            xtop: f32,
            dxdy: f32,
        }
        let h = self.height as f32;
        let mut edges: Vec<Edge> = Vec::new();
        for ring in rings {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if a.1 == b.1 {
                    continue;
                }
                let (t, u) = if a.1 < b.1 { (a, b) } else { (b, a) };
                if u.1 < 0.0 || t.1 > h {
                    continue;
                }
                edges.push(Edge { ytop: t.1, ybot: u.1, xtop: t.0, dxdy: (u.0 - t.0) / (u.1 - t.1) });
            }
        }
        if edges.is_empty() {
            return;
        }
        edges.sort_by(|a, b| a.ytop.total_cmp(&b.ytop));
        let ymin = edges[0].ytop;
        let ymax = edges.iter().map(|e| e.ybot).fold(f32::MIN, f32::max);
        let y0 = ((ymin - 0.5).ceil() as i32).max(0);
        let y1 = ((ymax - 0.5).floor() as i32).min(self.height as i32 - 1);
        let mut active: Vec<Edge> = Vec::new();
        let mut next = 0;
        let mut xs: Vec<f32> = Vec::new();
        for y in y0..=y1 {
            let yc = y as f32 + 0.5;
            while next < edges.len() && edges[next].ytop <= yc {
                active.push(edges[next]);
                next += 1;
            }
            active.retain(|e| e.ybot > yc);
            xs.clear();
            xs.extend(active.iter().map(|e| e.xtop + (yc - e.ytop) * e.dxdy));
            xs.sort_by(|a, b| a.total_cmp(b));
            for pair in xs.chunks_exact(2) {
                let xa = (pair[0] - 0.5).ceil() as i32;
                let xb = (pair[1] - 0.5).floor() as i32 + 1;
                self.span(y, xa, xb, c);
            }
        }
    }

    /// An axis-aligned filled rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgba) {
        let (xa, xb) = (x.round() as i32, (x + w).round() as i32);
        for yy in y.round() as i32..(y + h).round() as i32 {
            self.span(yy, xa, xb, c);
        }
    }
}

/// Liang–Barsky clipping of a segment to a rectangle; `None` when it misses.
#[allow(clippy::too_many_arguments)]
fn clip_segment(
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    xmin: f32,
    ymin: f32,
    xmax: f32,
    ymax: f32,
) -> Option<(f32, f32, f32, f32)> {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [(-dx, x0 - xmin), (dx, xmax - x0), (-dy, y0 - ymin), (dy, ymax - y0)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    Some((x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disc_area_is_close_to_pi_r_squared() {
        let mut r = Raster::new(100, 100, Rgba::rgb(255, 255, 255)).unwrap();
        r.disc(50.0, 50.0, 20.0, Rgba::rgb(0, 0, 0));
        let n = r.data().chunks_exact(4).filter(|p| p[0] == 0).count() as f64;
        let exact = std::f64::consts::PI * 400.0;
        assert!((n - exact).abs() / exact < 0.02, "{n}");
    }

    #[test]
    fn half_alpha_blends_to_the_midpoint() {
        let mut r = Raster::new(4, 4, Rgba::rgb(255, 255, 255)).unwrap();
        r.rect(0.0, 0.0, 4.0, 4.0, Rgba::rgb(0, 0, 0).with_alpha(128));
        assert_eq!(r.pixel(1, 1), [127, 127, 127, 255]);
    }

    #[test]
    fn square_fill_covers_its_area_and_holes_stay_empty() {
        let mut r = Raster::new(40, 40, Rgba::rgb(255, 255, 255)).unwrap();
        let outer = vec![(5.0, 5.0), (35.0, 5.0), (35.0, 35.0), (5.0, 35.0)];
        let hole = vec![(15.0, 15.0), (25.0, 15.0), (25.0, 25.0), (15.0, 25.0)];
        r.fill_polygon(&[outer, hole], Rgba::rgb(0, 0, 0));
        let n = r.data().chunks_exact(4).filter(|p| p[0] == 0).count();
        assert_eq!(n, 30 * 30 - 10 * 10);
        assert_eq!(r.pixel(20, 20), [255, 255, 255, 255]);
    }
}
