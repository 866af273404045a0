// A small software rasteriser: the plot's and thumbnails' layers (decision field, manifold quads, hundreds of dots
// and arrows) and the charts' lines and bands, drawn by JavaScript into one reused RGBA buffer per canvas and copied
// to the canvas with a single putImageData.
//
// Why: in headless Chromium's software canvas every path fill or stroke costs microseconds of main-thread time
// before a pixel is touched (path building, edge sorting, anti-aliasing), so 500 dots cost about 1 ms, 400
// manifold quads about 1.9 ms and a 64² field scaled to the plot with smoothing 0.8 ms (docs/page.md). Here the
// cost is per pixel touched: a dot is one blend per pixel it covers, a quad a span per row.
//
// Coordinates are device pixels, pixel (x, y) covering [x, x+1) × [y, y+1). Anti-aliasing is by coverage of a
// one-pixel box: dots, rings, lines and rectangles are anti-aliased; manifold quads are not (neighbouring quads
// share their edges exactly, so a non-anti-aliased fill leaves no seams; only the manifold's outline is stepped).
// Dots are stamped from coverage computed once per shape (`Stamp`). Colours come from `colour()`; blending is
// source-over onto an opaque buffer, on pixels as little-endian RGBA words (as the palettes' field tables).

const cache = new Map();

/** { r, g, b, a } of a CSS colour in the forms the page uses: '#rgb', '#rrggbb', 'rgb(r,g,b)', 'rgba(r,g,b,a)'. */
export function colour(css) {
  let c = cache.get(css);
  if (c) return c;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const digits = hex[1].length === 3 ? hex[1].replace(/./g, '$&$&') : hex[1];
    const v = parseInt(digits, 16);
    c = packed(v >> 16, (v >> 8) & 255, v & 255, 1);
  } else {
    const m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(css);
    if (!m) throw new Error(`colour ${css} is not #rgb, #rrggbb, rgb() or rgba()`);
    c = packed(+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]);
  }
  cache.set(css, c);
  return c;
}

/** A colour with its channels also packed as blending wants them: red and blue in one word, green in another. */
function packed(r, g, b, a) {
  return { r, g, b, a, rb: (b << 16) | r, g8: g << 8 };
}

/** Length of the overlap of a pixel's footprint [d − ½, d + ½] with the band [−h, h] (h ≥ 0): line coverage. */
function band(d, h) {
  const c = (d + 0.5 < h ? d + 0.5 : h) - (d - 0.5 > -h ? d - 0.5 : -h);
  return c > 1 ? 1 : c > 0 ? c : 0;
}

/**
 * Blends packed colour (rb, g8) at opacity a8 (0…256) into the opaque pixel word w: each channel
 * d + (s − d)·a8/256, red and blue computed together in one word, green in another.
 */
function over(w, rb, g8, a8) {
  const ia = 256 - a8;
  return 0xff000000 | (((Math.imul(rb, a8) + Math.imul(w & 0xff00ff, ia)) >>> 8) & 0xff00ff)
    | (((Math.imul(g8, a8) + Math.imul(w & 0xff00, ia)) >>> 8) & 0xff00);
}

export class Raster {
  constructor() {
    this.width = 0;
    this.height = 0;
    this.image = null;
    /** The image's pixels as little-endian RGBA words: signed for blending, unsigned for the field's table. */
    this.words = null;
    this.unsigned = null;
    /** The field's per-column interpolation (reused): each source interval's first output column and its fraction. */
    this.starts = new Int32Array(0);
    this.fractions = new Float64Array(0);
    this.row = new Float64Array(0);
    this.cross = new Float64Array(4);
    this.edges = new Float64Array(16);
  }

  /** Matches the buffer to `width` × `height` device pixels; allocates only when the size changes. */
  resize(ctx, width, height) {
    if (this.image && width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.image = ctx.createImageData(width, height);
    this.words = new Int32Array(this.image.data.buffer);
    this.unsigned = new Uint32Array(this.image.data.buffer);
  }

  /** Fills the buffer with an opaque colour. */
  clear(c) {
    this.words.fill(0xff000000 | c.rb | c.g8);
  }

  /** Copies the buffer to the canvas's top-left corner (replacing its pixels). */
  put(ctx) { ctx.putImageData(this.image, 0, 0); }

  /**
   * The decision field: `values` (r × r probabilities, top row first) stretched over the whole buffer, each pixel
   * coloured by `table` (256 packed RGBA words) at its value. `smooth`: bilinear between cell centres (clamped at the
   * edges, as a canvas scales an image with smoothing on); otherwise nearest cell. A value v reads table entry
   * v·scale + offset (255 and 0: absolute 0…1; plot.js stretches a narrow range around 0.5 with them).
   */
  field(values, r, table, smooth, scale = 255, offset = 0) {
    const W = this.width, H = this.height, words = this.unsigned;
    if (!smooth || r < 2) {
      for (let y = 0, o = 0; y < H; y++) {
        const j = Math.min(r - 1, ((y * r) / H) | 0) * r;
        for (let x = 0; x < W; x++) {
          const q = (values[j + Math.min(r - 1, ((x * r) / W) | 0)] * scale + offset + 0.5) | 0;
          words[o++] = table[q < 0 ? 0 : q > 255 ? 255 : q];
        }
      }
      return;
    }
    if (this.starts.length < r + 1) {
      this.starts = new Int32Array(r + 1);
      this.fractions = new Float64Array(r);
      this.row = new Float64Array(r);
    }
    // Output column x samples the source at s = (x + ½)·r/W − ½; source interval i (columns i, i+1) covers
    // starts[i] ≤ x < starts[i+1]; columns before starts[0] and from starts[r−1] on are clamped to the edge.
    const kx = r / W, starts = this.starts, fractions = this.fractions;
    let x = 0;
    for (let i = 0; i < r - 1; i++) {
      while (x < W && (x + 0.5) * kx - 0.5 < i) x++;
      starts[i] = x;
      fractions[i] = (x + 0.5) * kx - 0.5 - i;
    }
    while (x < W && (x + 0.5) * kx - 0.5 < r - 1) x++;
    starts[r - 1] = x;
    // Rows in pairs: both rows of a pair take the field at the pair's middle, half a pixel from their own centres
    // (a 15th of a cell at 64 cells over 485 pixels), and the second is a copy, which halves the per-pixel work.
    // On fields from real runs this changed no channel by more than one level of 255.
    const ky = r / H, row = this.row;
    for (let y = 0; y < H; y += 2) {
      let s = (Math.min(y + 1, H - 0.5)) * ky - 0.5;
      s = s < 0 ? 0 : s > r - 1 ? r - 1 : s;
      const j = Math.min(r - 2, s | 0), f = s - j, a = j * r, b = a + r;
      // This output row's values along the source columns, as table indices (0…255.99).
      for (let i = 0; i < r; i++) {
        const v = (values[a + i] + (values[b + i] - values[a + i]) * f) * scale + offset + 0.5;
        row[i] = v < 0 ? 0 : v > 255.99 ? 255.99 : v;
      }
      const base = y * W;
      let o = base;
      const left = table[row[0] | 0];
      for (const end = base + starts[0]; o < end;) words[o++] = left;
      for (let i = 0; i < r - 1; i++) {
        const dv = (row[i + 1] - row[i]) * kx;
        let v = row[i] + (row[i + 1] - row[i]) * fractions[i];
        for (const end = base + starts[i + 1]; o < end; o++) { words[o] = table[v | 0]; v += dv; }
      }
      const right = table[row[r - 1] | 0];
      for (const end = base + W; o < end;) words[o++] = right;
      if (y + 1 < H) words.copyWithin(base + W, base, base + W);
    }
  }

  /**
   * A filled quadrilateral (x0, y0) … (x3, y3) in colour c at opacity `alpha` × c.a, not anti-aliased: the pixels
   * whose centres it covers (even–odd, so a folded quad still fills both lobes). Each edge's crossings are computed
   * from its upper end, so two quads sharing an edge split its pixels exactly: no gap, no double blend.
   */
  quad(x0, y0, x1, y1, x2, y2, x3, y3, c, alpha) {
    const a8 = (alpha * c.a * 256 + 0.5) | 0;
    if (a8 <= 0) return;
    const W = this.width, H = this.height, cross = this.cross, edges = this.edges, words = this.words;
    const rb = c.rb, g8 = c.g8;
    // Each edge as (first row, end row, x at the first row's centre, x step per row), from its upper end.
    let count = 0;
    count = edge(edges, count, x0, y0, x1, y1);
    count = edge(edges, count, x1, y1, x2, y2);
    count = edge(edges, count, x2, y2, x3, y3);
    count = edge(edges, count, x3, y3, x0, y0);
    if (count < 2) return;
    const top = Math.max(0, Math.min(edges[0], edges[4], count > 2 ? edges[8] : H, count > 3 ? edges[12] : H)) | 0;
    const bottom = Math.min(H, Math.max(edges[1], edges[5], count > 2 ? edges[9] : 0, count > 3 ? edges[13] : 0)) | 0;
    for (let y = top; y < bottom; y++) {
      let n = 0;
      for (let e = 0; e < 4 * count; e += 4) {
        if (y < edges[e] || y >= edges[e + 1]) continue;
        const v = edges[e + 2] + (y - edges[e]) * edges[e + 3];
        // Insertion keeps the (2 or 4) crossings sorted.
        let k = n - 1;
        while (k >= 0 && cross[k] > v) { cross[k + 1] = cross[k]; k--; }
        cross[k + 1] = v;
        n++;
      }
      for (let i = 0; i + 1 < n; i += 2) {
        const from = cross[i] > 0.5 ? Math.ceil(cross[i] - 0.5) | 0 : 0;
        const to = Math.min(W, Math.ceil(cross[i + 1] - 0.5)) | 0;
        for (let p = y * W + from, end = y * W + to; p < end; p++) words[p] = over(words[p], rb, g8, a8);
      }
    }
  }

  /**
   * An anti-aliased line from (x0, y0) to (x1, y1), `width` pixels wide, in colour c at opacity `alpha` × c.a.
   * Thin lines (up to 2 pixels: the plot's and the charts' on a 1× screen) are drawn a column at a time along the
   * longer axis: each column gets the line's thickness across it (width / cos θ) spread over the two or three
   * pixels it overlaps, with flat ends like a canvas's butt caps; consecutive segments of a polyline meet without
   * overlap. `dash` ([on, off] pixels, measured along x from x = 0) leaves gaps, for nearly level dashed lines.
   * Thicker lines go through `thickLine`.
   */
  line(x0, y0, x1, y1, width, c, alpha, dash = null) {
    if (width > 2) { this.thickLine(x0, y0, x1, y1, width, c, alpha); return; }
    const a = alpha * c.a * 256;
    if (!(a > 0)) return;
    const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
    // Major axis u (one step per pixel), minor axis v.
    let u0 = steep ? y0 : x0, u1 = steep ? y1 : x1, v0 = steep ? x0 : y0, v1 = steep ? x1 : y1;
    if (u0 > u1) { let t = u0; u0 = u1; u1 = t; t = v0; v0 = v1; v1 = t; }
    if (!(u1 - u0 > 1e-9)) return;
    const slope = (v1 - v0) / (u1 - u0);
    const half = (width * Math.sqrt(1 + slope * slope)) / 2;
    const W = this.width, uMax = steep ? this.height : W, vMax = steep ? W : this.height;
    const uStride = steep ? W : 1, vStride = steep ? 1 : W;
    const words = this.words, rb = c.rb, g8 = c.g8;
    const on = dash ? dash[0] : 0, period = dash ? dash[0] + dash[1] : 0;
    // Columns whose centres lie in [u0, u1). Integer loop bounds (| 0 of non-negative values) keep the loops in
    // integer arithmetic.
    const from = u0 > 0.5 ? Math.ceil(u0 - 0.5) | 0 : 0, to = Math.min(uMax, Math.ceil(u1 - 0.5)) | 0;
    for (let u = from; u < to; u++) {
      if (dash && !steep && u % period >= on) continue;
      const vc = v0 + (u + 0.5 - u0) * slope;
      const top = vc - half, bottom = vc + half;
      if (bottom <= 0 || top >= vMax) continue;
      const end = bottom < vMax ? (bottom | 0) + 1 : vMax;
      for (let v = top > 0 ? top | 0 : 0; v < end; v++) {
        if (dash && steep && v % period >= on) continue;
        const cover = (bottom < v + 1 ? bottom : v + 1) - (top > v ? top : v);
        const a8 = (a * (cover > 1 ? 1 : cover) + 0.5) | 0;
        if (a8 <= 0) continue;
        const p = u * uStride + v * vStride;
        words[p] = over(words[p], rb, g8, a8);
      }
    }
  }

  /**
   * Pixel column x filled from y = top down to y = bottom (top < bottom), the partly covered end pixels by the
   * covered fraction: an area under a curve, one column at a time.
   */
  column(x, top, bottom, c, alpha) {
    const W = this.width, H = this.height;
    if (x < 0 || x >= W || !(bottom > top) || bottom <= 0 || top >= H) return;
    if (top < 0) top = 0;
    if (bottom > H) bottom = H;
    const a = alpha * c.a * 256, words = this.words, rb = c.rb, g8 = c.g8;
    const first = top | 0, last = Math.ceil(bottom) - 1;
    if (first === last) {
      const a8 = (a * (bottom - top) + 0.5) | 0;
      if (a8 > 0) words[first * W + x] = over(words[first * W + x], rb, g8, a8);
      return;
    }
    let a8 = (a * (first + 1 - top) + 0.5) | 0;
    if (a8 > 0) words[first * W + x] = over(words[first * W + x], rb, g8, a8);
    const full = (a + 0.5) | 0;
    let p = (first + 1) * W + x;
    for (const end = last * W + x; p < end; p += W) words[p] = over(words[p], rb, g8, full);
    a8 = (a * (bottom - last) + 0.5) | 0;
    if (a8 > 0) words[p] = over(words[p], rb, g8, a8);
  }

  /**
   * The rectangle [x0, x1] × [y0, y1] (any real coordinates, x0 < x1, y0 < y1) filled in colour c at opacity
   * `alpha` × c.a, pixels along its edges by the share they cover: also a level or upright line of any width.
   */
  rect(x0, y0, x1, y1, c, alpha) {
    const W = this.width, H = this.height;
    if (!(x1 > x0) || !(y1 > y0) || x1 <= 0 || y1 <= 0 || x0 >= W || y0 >= H) return;
    const a = alpha * c.a * 256, words = this.words, rb = c.rb, g8 = c.g8;
    const left = x0 > 0 ? x0 | 0 : 0, right = x1 < W ? Math.ceil(x1) | 0 : W;
    const top = y0 > 0 ? y0 | 0 : 0, bottom = y1 < H ? Math.ceil(y1) | 0 : H;
    // Shares of the first and last columns (one column: both edges in it).
    const firstShare = right - left === 1 ? Math.min(x1, left + 1) - Math.max(x0, left) : left + 1 - Math.max(x0, left);
    const lastShare = Math.min(x1, right) - (right - 1);
    for (let y = top; y < bottom; y++) {
      const a8 = a * ((y1 < y + 1 ? y1 : y + 1) - (y0 > y ? y0 : y));
      const row = y * W;
      let e = (a8 * firstShare + 0.5) | 0;
      if (e > 0) words[row + left] = over(words[row + left], rb, g8, e);
      if (right - left === 1) continue;
      const full = (a8 + 0.5) | 0;
      for (let p = row + left + 1, end = row + right - 1; p < end; p++) words[p] = over(words[p], rb, g8, full);
      e = (a8 * lastShare + 0.5) | 0;
      if (e > 0) words[row + right - 1] = over(words[row + right - 1], rb, g8, e);
    }
  }

  /**
   * A line more than 2 pixels wide, with round ends: every pixel near it is covered by how far its centre lies
   * from the segment. Walks the longer axis and visits only the few pixels across the line at each step.
   */
  thickLine(x0, y0, x1, y1, width, c, alpha) {
    const dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
    const a = alpha * c.a * 256;
    if (!(length2 > 1e-12) || !(a > 0)) return;
    const h = width / 2, reach = h + 0.5, reach2 = reach * reach;
    const W = this.width, H = this.height, words = this.words, rb = c.rb, g8 = c.g8;
    const inverse = 1 / length2;
    // Walk the longer axis u one pixel at a time; across it (v) only the pixels whose centres lie within
    // `spread` of the line. Shallow lines walk columns (u = x), steep ones rows (u = y).
    const steep = Math.abs(dy) > Math.abs(dx);
    const u0 = steep ? y0 : x0, v0 = steep ? x0 : y0, du = steep ? dy : dx, dv = steep ? dx : dy;
    const uSize = steep ? H : W, vSize = steep ? W : H, uStride = steep ? W : 1, vStride = steep ? 1 : W;
    const spread = (reach * Math.sqrt(length2)) / Math.abs(du);
    const from = Math.max(0, Math.floor(Math.min(u0, u0 + du) - reach));
    const to = Math.min(uSize, Math.ceil(Math.max(u0, u0 + du) + reach));
    for (let u = from; u < to; u++) {
      const pu = u + 0.5 - u0;
      let t = pu / du;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const vc = v0 + t * dv;
      const end = Math.min(vSize, Math.floor(vc + spread + 0.5));
      for (let v = Math.max(0, Math.ceil(vc - spread - 0.5)); v < end; v++) {
        const pv = v + 0.5 - v0;
        let s = (pu * du + pv * dv) * inverse;
        s = s < 0 ? 0 : s > 1 ? 1 : s;
        const eu = pu - s * du, ev = pv - s * dv, d2 = eu * eu + ev * ev;
        if (d2 >= reach2) continue;
        const a8 = (a * band(Math.sqrt(d2), h) + 0.5) | 0;
        if (a8 > 0) { const p = u * uStride + v * vStride; words[p] = over(words[p], rb, g8, a8); }
      }
    }
  }

  /**
   * A dot: `stamp`'s shape centred at (cx, cy) in colour c at opacity `alpha` × c.a, and its outline (if the stamp
   * has one) in colour `line`. The stamp holds the shape's covered pixels at 4 × 4 positions within a pixel, so a
   * dot costs one blend per pixel it covers and no geometry (its centre is rounded to an eighth of a pixel).
   */
  dot(stamp, cx, cy, c, alpha, line = null) {
    const W = this.width, H = this.height, words = this.words, rb = c.rb, g8 = c.g8;
    const X = Math.floor(cx), Y = Math.floor(cy);
    const phase = (((cx - X) * STAMP_PHASES) | 0) + STAMP_PHASES * (((cy - Y) * STAMP_PHASES) | 0);
    const reach = stamp.reach, offsets = stamp.offsetsFor(W), fill = stamp.fill, ring = stamp.ring;
    const a = (alpha * c.a * 256 + 0.5) | 0, la = line ? (line.a * 256 + 0.5) | 0 : 0;
    const base = (Y - reach) * W + X - reach;
    const from = stamp.starts[phase], to = stamp.starts[phase + 1];
    if (X - reach < 0 || Y - reach < 0 || X + reach >= W || Y + reach >= H) {
      // Near the edge: only the pixels inside the buffer.
      const column = stamp.column, row = stamp.row;
      for (let k = from; k < to; k++) {
        const x = X - reach + column[k], y = Y - reach + row[k];
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        const p = y * W + x;
        if (fill[k] > 0) words[p] = over(words[p], rb, g8, (a * fill[k] + 128) >> 8);
        if (la > 0 && ring[k] > 0) words[p] = over(words[p], line.rb, line.g8, (la * ring[k] + 128) >> 8);
      }
      return;
    }
    if (la > 0) {
      for (let k = from; k < to; k++) {
        const p = base + offsets[k];
        if (fill[k] > 0) words[p] = over(words[p], rb, g8, (a * fill[k] + 128) >> 8);
        if (ring[k] > 0) words[p] = over(words[p], line.rb, line.g8, (la * ring[k] + 128) >> 8);
      }
    } else {
      for (let k = from; k < to; k++) {
        const p = base + offsets[k];
        words[p] = over(words[p], rb, g8, (a * fill[k] + 128) >> 8);
      }
    }
  }

  /**
   * An anti-aliased circle (ring) of radius `radius` at (cx, cy), `width` pixels wide, in colour c at opacity
   * `alpha` × c.a; `dash` ([on, off] in pixels along the circle) draws it dashed. Visits only the pixels near the
   * circle, row by row.
   */
  ring(cx, cy, radius, width, c, alpha, dash = null) {
    const h = width / 2, outer = radius + h + 0.5, inner = radius - h - 0.5;
    const H = this.height, a = alpha * c.a * 256;
    const y0 = Math.max(0, Math.floor(cy - outer)) | 0, y1 = Math.min(H, Math.ceil(cy + outer)) | 0;
    for (let y = y0; y < y1; y++) {
      const ey = y + 0.5 - cy;
      const xo = Math.sqrt(Math.max(0, outer * outer - ey * ey)) + 1;
      const xi = inner > Math.abs(ey) ? Math.sqrt(inner * inner - ey * ey) - 1 : 0;
      // Where the hole crosses this row, two spans (left and right of it); otherwise one.
      if (xi > 0) {
        this.ringSpan(y, cx - xo, cx - xi, cx, cy, radius, h, c, a, dash);
        this.ringSpan(y, cx + xi, cx + xo, cx, cy, radius, h, c, a, dash);
      } else {
        this.ringSpan(y, cx - xo, cx + xo, cx, cy, radius, h, c, a, dash);
      }
    }
  }

  /** The pixels of row y between x = from and x = to that a ring covers (see `ring`; `a` is opacity × 256). */
  ringSpan(y, from, to, cx, cy, radius, h, c, a, dash) {
    const W = this.width, words = this.words, ey = y + 0.5 - cy;
    const period = dash ? dash[0] + dash[1] : 0;
    for (let x = Math.max(0, Math.floor(from)) | 0, end = Math.min(W, Math.ceil(to)) | 0; x < end; x++) {
      const ex = x + 0.5 - cx;
      const a8 = (a * band(Math.abs(Math.sqrt(ex * ex + ey * ey) - radius), h) + 0.5) | 0;
      if (a8 <= 0) continue;
      if (dash && ((Math.atan2(ey, ex) + Math.PI) * radius) % period >= dash[0]) continue;
      const p = y * W + x;
      words[p] = over(words[p], c.rb, c.g8, a8);
    }
  }
}

/**
 * Appends edge (xa, ya)–(xb, yb) to `edges` as [first row, end row, x at the first row's centre, x per row] when it
 * crosses a row centre (rows y with ya ≤ y + ½ < yb, taken from its upper end so that a shared edge gives both of
 * its quads the same crossings); returns the edge count.
 */
function edge(edges, count, xa, ya, xb, yb) {
  if (ya > yb) { const tx = xa, ty = ya; xa = xb; ya = yb; xb = tx; yb = ty; }
  const first = Math.ceil(ya - 0.5), end = Math.ceil(yb - 0.5);
  if (end <= first) return count;
  const slope = (xb - xa) / (yb - ya), e = 4 * count;
  edges[e] = first;
  edges[e + 1] = end;
  edges[e + 2] = xa + (first + 0.5 - ya) * slope;
  edges[e + 3] = slope;
  return count + 1;
}

/** Sub-pixel positions per axis a stamp is computed at. */
const STAMP_PHASES = 4;

/**
 * The covered pixels of a dot, for `Raster.dot`: a disc of radius `size` or a square of half-side `size` (device
 * pixels), optionally with an outline `outline` pixels wide centred on its edge (a canvas stroke after a fill). For
 * each of STAMP_PHASES² positions of the centre within a pixel, the pixels with any coverage: their column and row
 * from the dot's corner (`reach` pixels up and left of the centre's pixel) and their fill and outline coverage
 * (0…256).
 */
export class Stamp {
  constructor(shape, size, outline = 0) {
    const w = outline / 2;
    this.shape = shape;
    this.size = size;
    this.outline = outline;
    this.reach = Math.ceil(shape === 'disc' ? size + 0.5 + w : size + w);
    const span = 2 * this.reach + 1;
    const column = [], row = [], fill = [], ring = [];
    this.starts = new Int32Array(STAMP_PHASES * STAMP_PHASES + 1);
    for (let py = 0; py < STAMP_PHASES; py++) {
      for (let px = 0; px < STAMP_PHASES; px++) {
        this.starts[py * STAMP_PHASES + px] = fill.length;
        // The centre's position within its pixel: the middle of this phase's sub-pixel interval.
        const ox = (px + 0.5) / STAMP_PHASES, oy = (py + 0.5) / STAMP_PHASES;
        for (let j = 0; j < span; j++) {
          for (let i = 0; i < span; i++) {
            const ex = i - this.reach + 0.5 - ox, ey = j - this.reach + 0.5 - oy;
            let f, r;
            if (shape === 'disc') {
              const d = Math.sqrt(ex * ex + ey * ey);
              f = Math.min(1, Math.max(0, size + 0.5 - d));
              r = outline > 0 ? band(Math.abs(d - size), w) : 0;
            } else {
              const ax = Math.abs(ex), ay = Math.abs(ey);
              f = band(ax, size) * band(ay, size);
              r = outline > 0 ? band(ax, size + w) * band(ay, size + w) - band(ax, size - w) * band(ay, size - w) : 0;
            }
            const f256 = Math.round(f * 256), r256 = Math.round(r * 256);
            if (f256 <= 0 && r256 <= 0) continue;
            column.push(i); row.push(j); fill.push(f256); ring.push(r256);
          }
        }
      }
    }
    this.starts[STAMP_PHASES * STAMP_PHASES] = fill.length;
    this.column = Int32Array.from(column);
    this.row = Int32Array.from(row);
    this.fill = Int32Array.from(fill);
    this.ring = Int32Array.from(ring);
    this.offsets = new Int32Array(fill.length);
    this.offsetsWidth = -1;
  }

  /** Each covered pixel's word offset from the dot's corner in a buffer `width` pixels wide. */
  offsetsFor(width) {
    if (this.offsetsWidth !== width) {
      for (let k = 0; k < this.offsets.length; k++) this.offsets[k] = this.row[k] * width + this.column[k];
      this.offsetsWidth = width;
    }
    return this.offsets;
  }

  /** Whether this stamp is `shape` at `size` with an outline `outline` wide (to reuse it). */
  matches(shape, size, outline = 0) { return this.shape === shape && this.size === size && this.outline === outline; }
}
