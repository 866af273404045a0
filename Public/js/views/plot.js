// The layered plot of the data square [-1, 1]² (y up): decision field, generator manifold, gradient vector
// field, real samples, known modes, gradient arrows at the fakes, fakes, and markers for fakes off the square.
// Draws from typed arrays (a `Frame` from motion.js plus the run's real samples); the same class draws the
// big plot and the model overview's thumbnails. Crisp on high-DPI screens: the backing store follows the
// element's CSS size times devicePixelRatio. The layers are drawn in JavaScript into one pixel buffer (raster.js)
// and copied to the canvas at once; only the markers for fakes off the square use the canvas's own drawing.
import { Section } from '../protocol.js';
import { Raster, Stamp, colour } from './raster.js';

/** Layers the plot can show, bottom to top (names as protocol §3.3 where they are subscribed). */
export const PLOT_LAYERS = ['field', 'manifold', 'grid', 'real', 'modes', 'arrows', 'fakes'];

/** Longest arrow drawn, in data units; longer gradients are compressed (tanh) so none leaves the plot. */
const ARROW_CAP = 0.3;
/** Data units per unit of gradient: the reference draws 0.15·∇D in its unit square, 0.6·∇D in ours. */
const ARROW_GAIN = { arrows: 0.3, dgrad: 0.6 };
/** Auto scale: the longest arrow at the fakes is about this long (data units; 0.14 is 34 px on a 485 px plot). */
const AUTO_ARROW = 0.14;
/** Auto scale: the longest vector of the gradient field fills this much of its grid cell. */
const AUTO_GRID = 0.9;
/**
 * Auto contrast: the field's colours are stretched about 0.5 by the larger of two factors. The distance from 0.5
 * within which FIELD_COVER of the cells lie gets FIELD_REACH of the colour scale's half (a few outlying cells do not
 * set the stretch); and the median distance gets at least MEDIAN_REACH of it, so at least half the field is clearly
 * tinted whatever the spread's shape (with the 90 % rule alone, a field with a long tail left most cells white).
 * The stretch is at most MAX_FIELD_STRETCH. The frame sends D in steps of 1/255, so near equilibrium the field may
 * be just two levels (0.498 and 0.502): then it shows only where D leans real or fake, and the legend says how little
 * that is.
 */
const FIELD_REACH = 0.8;
/** Share of the field's cells the FIELD_REACH rule keeps inside the colour scale (the rest saturate). */
const FIELD_COVER = 0.9;
/** The median cell's distance from 0.5 reaches at least this share of the scale's half (0.6: clearly tinted on both sides). */
const MEDIAN_REACH = 0.6;
const MAX_FIELD_STRETCH = 200;

/** The largest 1, 2 or 5 × 10^k not above x: a scale a legend can state. */
export function niceScale(x) {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  const m = x / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** Largest length of the first n 2-D vectors in a flat array. */
function longest(vectors, n) {
  let max = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.hypot(vectors[2 * i], vectors[2 * i + 1]);
    if (g > max) max = g;
  }
  return max;
}
const BACKGROUND = colour('#f3f3f3');
const NOISE = 'rgba(60,60,60,0.7)';
const MANIFOLD_POINT = 'rgba(48,48,48,0.5)';
const MISSED_MODE = 'rgba(200,30,30,0.9)';

export class PlotView {
  /** `options.thumbnail` draws thinner marks; `options.square` keeps the canvas square. */
  constructor(canvas, options = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: false });
    this.thumbnail = !!options.thumbnail;
    this.raster = new Raster();
    /** What the last draw's auto scales were (plot.js's legend note reads them): field range and stretch, arrow gains. */
    this.scales = { auto: true, fieldLow: NaN, fieldHigh: NaN, fieldStretch: 1, fieldSaturated: 0, arrowGain: NaN, arrowLongest: NaN, gridGain: NaN, gridLongest: NaN };
    this.size = 0;
    this.dpr = 1;
    this.resize();
    if (typeof ResizeObserver !== 'undefined') {
      this.observer = new ResizeObserver(() => { if (this.resize() && this.onresize) this.onresize(); });
      this.observer.observe(canvas);
    }
  }

  /** Matches the backing store to the element's size; returns true when it changed. */
  resize() {
    const css = Math.max(1, Math.round(this.canvas.clientWidth || this.canvas.width));
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const pixels = Math.round(css * dpr);
    if (pixels === this.canvas.width && css === this.size) return false;
    this.canvas.width = pixels;
    this.canvas.height = pixels;
    this.size = css;
    this.dpr = dpr;
    return true;
  }

  /** Canvas x of data x. */
  px(x) { return (x + 1) * 0.5 * this.size; }
  /** Canvas y of data y (y up). */
  py(y) { return (1 - y) * 0.5 * this.size; }
  /** Data coordinates of a canvas point in CSS pixels. */
  toData(cx, cy) { return [(cx / this.size) * 2 - 1, 1 - (cy / this.size) * 2]; }

  /** Device-pixel x of data x. */
  dx(x) { return (x + 1) * 0.5 * this.canvas.width; }
  /** Device-pixel y of data y (y up). */
  dy(y) { return (1 - y) * 0.5 * this.canvas.height; }

  /**
   * Draws one picture. `frame`: the shown frame (or null); `scene`: { layers: Set of PLOT_LAYERS and 'noise',
   * 'predictions'; palette; real: Float32Array; realCount; modes: [{x,y,radius}]; arrowSource: 'arrows'|'dgrad';
   * noise: Float32Array of noise points; noiseCount; bold: presenter mode }.
   *
   * Every layer but the edge markers is drawn by `Raster` into one pixel buffer, bottom to top in PLOT_LAYERS'
   * order, and copied to the canvas at once (raster.js says why); the markers and their caption go on top with
   * the canvas's own drawing.
   */
  draw(frame, scene) {
    const raster = this.raster;
    raster.resize(this.ctx, this.canvas.width, this.canvas.height);
    const layers = scene.layers;
    const palette = scene.palette;
    const k = this.dpr;
    // Dot radius (thumbnails: half the side of a square dot), in device pixels.
    const dot = (this.thumbnail ? 1.1 : 2.4) * (scene.bold ? 1.5 : 1) * Math.max(1, this.size / 600) * k;
    // Auto scale (the default): a converged D is within a few hundredths of 0.5 everywhere and its gradients are
    // tiny, which the absolute scales draw as a white field and arrows of a pixel or two. The field's colours are
    // stretched symmetrically about 0.5 (white stays "D = 0.5", green still means D > 0.5) and the arrows are
    // scaled by a stated 1-2-5 factor; `this.scales` says by how much, for the legend.
    const auto = scene.scale !== 'absolute';
    const scales = this.scales;
    scales.auto = auto;
    scales.fieldLow = scales.fieldHigh = NaN;
    scales.fieldSaturated = 0;
    scales.arrowGain = scales.gridGain = NaN;
    scales.arrowLongest = scales.gridLongest = NaN;
    if (frame && layers.has('field') && frame.has(Section.field)) {
      const r = frame.fieldResolution, values = frame.field;
      let low = Infinity, high = -Infinity;
      for (let i = 0; i < r * r; i++) { const v = values[i]; if (v < low) low = v; if (v > high) high = v; }
      scales.fieldLow = low;
      scales.fieldHigh = high;
      const stretch = auto ? this.autoFieldStretch(values, r * r) : 1;
      scales.fieldStretch = stretch;
      raster.field(values, r, this.thumbnail ? palette.fieldStrong : palette.field,
        !this.thumbnail || r > 16, 255 * stretch, 127.5 * (1 - stretch));
    } else {
      raster.clear(BACKGROUND);
    }
    if (frame) {
      if (layers.has('manifold') && frame.has(Section.manifold)) this.drawManifold(frame, palette);
      const gridKey = scene.arrowSource === 'dgrad' ? 'gridDgrad' : 'grid';
      const gridId = scene.arrowSource === 'dgrad' ? Section.gridDgrad : Section.grid;
      if (layers.has('grid') && frame.has(gridId)) {
        const res = frame[gridKey + 'Resolution'];
        const fixed = ARROW_GAIN[scene.arrowSource === 'dgrad' ? 'dgrad' : 'arrows'];
        scales.gridLongest = longest(frame[gridKey], res * res);
        scales.gridGain = auto ? niceScale((AUTO_GRID * 2 / res) / scales.gridLongest) : fixed;
        this.drawVectorField(frame[gridKey], res, colour(palette.grid), scales.gridGain, auto);
      }
    }
    if (layers.has('noise') && scene.noise) this.drawDots(scene.noise, scene.noiseCount, dot, colour(NOISE));
    if (layers.has('real') && scene.real) {
      if (layers.has('predictions') && frame && frame.has(Section.predictions)) {
        this.drawPredictedDots(scene.real, Math.min(scene.realCount, frame.predictedRealCount), frame.predictedReal, dot, palette);
      } else {
        this.drawDots(scene.real, scene.realCount, dot, colour(palette.real));
      }
    }
    if (layers.has('modes') && scene.modes && scene.modes.length) this.drawModes(scene.modes, frame, palette);
    const fakes = frame && layers.has('fakes') && frame.has(Section.fakes);
    if (frame) {
      const arrowKey = scene.arrowSource === 'dgrad' ? 'dgrad' : 'arrows';
      const arrowId = scene.arrowSource === 'dgrad' ? Section.dgrad : Section.arrows;
      if (layers.has('arrows') && frame.has(arrowId) && frame.has(Section.fakes)) {
        const n = Math.min(frame.fakeCount, arrowKey === 'dgrad' ? frame.dgradCount : frame.arrowCount);
        scales.arrowLongest = longest(frame[arrowKey], n);
        scales.arrowGain = auto ? niceScale(AUTO_ARROW / scales.arrowLongest) : ARROW_GAIN[arrowKey];
        this.drawArrows(frame.fakes, frame[arrowKey], n, scales.arrowGain, colour(palette.arrow));
      }
      if (fakes) {
        if (layers.has('predictions') && frame.has(Section.predictions)) {
          this.drawPredictedDots(frame.fakes, Math.min(frame.fakeCount, frame.predictedFakeCount), frame.predictedFakes, dot, palette);
        } else {
          this.drawDots(frame.fakes, frame.fakeCount, dot, colour(palette.fake));
        }
      }
    }
    raster.put(this.ctx);
    this.outsideCount = 0;
    if (fakes && !this.thumbnail) {
      this.ctx.setTransform(k, 0, 0, k, 0, 0);
      this.drawOutsideMarkers(frame.fakes, frame.fakeCount, palette.fakeSolid);
    }
  }

  /**
   * The auto stretch for a field (see FIELD_REACH and MEDIAN_REACH); also records in `scales.fieldSaturated` the
   * share of cells it pushes past the colour scale's ends. The median and FIELD_COVER distances from 0.5 come from a
   * 256-bin histogram (reused), exact because the frame's D comes in steps of 1/255.
   */
  autoFieldStretch(values, n) {
    const hist = this.fieldHistogram || (this.fieldHistogram = new Uint32Array(256));
    hist.fill(0);
    for (let i = 0; i < n; i++) {
      const q = (values[i] * 255 + 0.5) | 0;
      hist[q < 0 ? 0 : q > 255 ? 255 : q]++;
    }
    // Level 127 + ½ is D = 0.5; levels 127 − d and 128 + d lie (d + ½)/255 from it.
    let covered = hist[127] + hist[128];
    let d = 0, median = -1;
    for (;;) {
      if (median < 0 && covered >= 0.5 * n) median = d;
      if (covered >= FIELD_COVER * n || d >= 127) break;
      d++;
      covered += hist[127 - d] + hist[128 + d];
    }
    if (median < 0) median = d;
    const stretch = Math.min(MAX_FIELD_STRETCH, Math.max(1,
      (FIELD_REACH * 0.5 * 255) / (d + 0.5), (MEDIAN_REACH * 0.5 * 255) / (median + 0.5)));
    // The share of cells past the scale's ends, for the legend.
    let saturated = 0;
    for (let q = 0; q < 256; q++) if (Math.abs(q - 127.5) * stretch > 127.5) saturated += hist[q];
    this.scales.fieldSaturated = n > 0 ? saturated / n : 0;
    return stretch;
  }

  /** A dot stamp of this shape and size (device pixels), kept while the view draws the same dots. */
  stamp(shape, size, outline = 0) {
    const stamps = this.stamps || (this.stamps = []);
    let stamp = stamps.find((s) => s.matches(shape, size, outline));
    if (!stamp) {
      stamp = new Stamp(shape, size, outline);
      stamps.push(stamp);
      if (stamps.length > 8) stamps.shift();
    }
    return stamp;
  }

  /** Manifold: 2-D noise as quads whose opacity encodes density (the reference's rule), 1-D as a curve. */
  drawManifold(frame, palette) {
    const raster = this.raster;
    const p = frame.manifoldPoints;
    const d = frame.manifoldDensities;
    const m = frame.manifoldCells;
    const k = this.dpr;
    const fill = colour(palette.manifold);
    if (frame.manifoldDimension === 2) {
      const row = m + 1;
      if (!this.manifoldX || this.manifoldX.length < row * row) {
        this.manifoldX = new Float64Array(row * row);
        this.manifoldY = new Float64Array(row * row);
      }
      const xs = this.manifoldX, ys = this.manifoldY;
      for (let q = 0; q < row * row; q++) { xs[q] = this.dx(p[2 * q]); ys[q] = this.dy(p[2 * q + 1]); }
      const scale = this.thumbnail ? 1 : 0.8;
      // A thumbnail merges cells in blocks of `step` × `step` (at most 10 × 10 quads, each at its cells' mean
      // density): at a few pixels per cell nothing finer shows.
      const step = this.thumbnail ? Math.max(1, Math.ceil(m / 10)) : 1;
      for (let j = 0; j < m; j += step) {
        const j1 = Math.min(m, j + step);
        for (let i = 0; i < m; i += step) {
          const i1 = Math.min(m, i + step);
          let density = d[j * m + i];
          if (step > 1) {
            density = 0;
            for (let jj = j; jj < j1; jj++) for (let ii = i; ii < i1; ii++) density += d[jj * m + ii];
            density /= (j1 - j) * (i1 - i);
          }
          const a = j * row + i, b = j * row + i1, c = j1 * row + i1, e = j1 * row + i;
          raster.quad(xs[a], ys[a], xs[b], ys[b], xs[c], ys[c], xs[e], ys[e], fill, manifoldAlpha(density) * scale);
        }
      }
      // The noise grid's rows, faintly (a thumbnail's in segments across its merged cells).
      const line = colour(palette.manifoldLine);
      for (let j = 0; j <= m; j++) {
        for (let i = 0; i < m; i += step) {
          const a = j * row + i, b = j * row + Math.min(m, i + step);
          raster.line(xs[a], ys[a], xs[b], ys[b], 0.5 * k, line, 1);
        }
      }
    } else {
      const n = frame.manifoldPointCount;
      const width = (this.thumbnail ? 1.5 : 3) * k;
      for (let s = 0; s < n - 1; s++) {
        raster.line(this.dx(p[2 * s]), this.dy(p[2 * s + 1]), this.dx(p[2 * s + 2]), this.dy(p[2 * s + 3]), width, fill,
          manifoldAlpha(d[s]));
      }
      const point = colour(MANIFOLD_POINT);
      const stamp = this.stamp('disc', 1.5 * k);
      for (let s = 0; s < n; s++) raster.dot(stamp, this.dx(p[2 * s]), this.dy(p[2 * s + 1]), point, 1);
    }
  }

  /** The gradient vector field on the coarse S×S grid (top row first). */
  drawVectorField(vectors, s, c, gain, auto) {
    const cell = 2 / s;
    // Auto: the gain already makes the longest fill 0.9 of a cell, so the cap only guards against rounding.
    const cap = (auto ? 1 : 0.45) * cell;
    const width = (this.thumbnail ? 0.6 : 1.2) * this.dpr;
    for (let r = 0; r < s; r++) {
      const y = 1 - (r + 0.5) * cell;
      for (let col = 0; col < s; col++) {
        const x = -1 + (col + 0.5) * cell;
        const k = 2 * (r * s + col);
        this.arrow(x, y, vectors[k], vectors[k + 1], gain, cap, width, c);
      }
    }
  }

  /**
   * One arrow from data point (x, y) along (dx, dy): its length gain·|d| compressed by tanh to at most `cap`
   * (data units), a shaft and an open chevron head, `width` device pixels wide.
   */
  arrow(x, y, dx, dy, gain, cap, width, c) {
    const g = Math.hypot(dx, dy);
    if (!(g > 1e-9)) return;
    const length = cap * Math.tanh((gain * g) / cap);
    const ux = dx / g, uy = dy / g;
    const x0 = this.dx(x), y0 = this.dy(y);
    const x1 = this.dx(x + ux * length), y1 = this.dy(y + uy * length);
    const raster = this.raster;
    raster.line(x0, y0, x1, y1, width, c, 1);
    const pixels = Math.hypot(x1 - x0, y1 - y0);
    const head = Math.min((this.thumbnail ? 2.5 : 5) * this.dpr, pixels * 0.5);
    if (head < this.dpr) return;
    // Screen direction (y flipped).
    const sx = ux, sy = -uy;
    raster.line(x1, y1, x1 - head * sx - 0.5 * head * sy, y1 - head * sy + 0.5 * head * sx, width, c, 1);
    raster.line(x1, y1, x1 - head * sx + 0.5 * head * sy, y1 - head * sy - 0.5 * head * sx, width, c, 1);
  }

  /** Arrows at the fakes: where the generator's loss pushes each one. Shafts one CSS pixel wide. */
  drawArrows(points, vectors, n, gain, c) {
    const width = (this.thumbnail ? 0.7 : 1.3) * this.dpr;
    for (let i = 0; i < n; i++) {
      this.arrow(points[2 * i], points[2 * i + 1], vectors[2 * i], vectors[2 * i + 1], gain, ARROW_CAP, width, c);
    }
  }

  /** Dots of radius `radius` device pixels (thumbnails: squares of that half-side) in colour c. */
  drawDots(points, n, radius, c) {
    const raster = this.raster;
    const stamp = this.stamp(this.thumbnail ? 'square' : 'disc', radius);
    for (let i = 0; i < n; i++) raster.dot(stamp, this.dx(points[2 * i]), this.dy(points[2 * i + 1]), c, 1);
  }

  /**
   * Dots coloured by D's output at each (the reference's prediction panels), each with an outline: near
   * equilibrium D says 0.5 everywhere, whose neutral colour would vanish on the plot's light background (the
   * thumbnails especially) without one.
   */
  drawPredictedDots(points, n, predictions, radius, palette) {
    const raster = this.raster;
    const r = radius * 1.3;
    const line = colour(this.thumbnail ? 'rgba(0,0,0,0.55)' : 'rgba(0,0,0,0.35)');
    const stamp = this.stamp(this.thumbnail ? 'square' : 'disc', r, (this.thumbnail ? 0.6 : 0.5) * this.dpr);
    const colours = predictionColours(palette);
    for (let i = 0; i < n; i++) {
      const c = colours[palette.predictionIndex(predictions[i])];
      raster.dot(stamp, this.dx(points[2 * i]), this.dy(points[2 * i + 1]), c, 1, line);
    }
  }

  /**
   * Known modes as a marker at each component's mean: a small ring with a cross, fainter when fewer fakes cover it,
   * dashed and red when none do. `data.modes` gives only the mean and a capture radius (3 × the component's RMS σ,
   * protocol.md §2.3), so a circle of that radius would draw a tall narrow Gaussian as a huge disc off the plot; the
   * real samples already show each mode's shape.
   */
  drawModes(modes, frame, palette) {
    const covered = frame && frame.has(Section.modes) ? frame.modes : null;
    const expected = 1 / modes.length;
    const k = this.dpr;
    const width = (this.thumbnail ? 0.8 : 1.6) * k;
    const radius = (this.thumbnail ? 2.5 : 7) * k;
    const dash = this.modeDash || (this.modeDash = [0, 0]);
    dash[0] = 3 * k;
    dash[1] = 2.5 * k;
    const solid = colour(palette.realSolid), red = colour(MISSED_MODE);
    for (let i = 0; i < modes.length; i++) {
      const m = modes[i];
      const share = covered && i < frame.modeCount ? covered[i] : expected;
      const missed = covered && share < 0.1 * expected;
      const c = missed ? red : solid;
      const alpha = missed ? 1 : 0.45 + 0.55 * Math.min(1, share / expected);
      const x = this.dx(m.x), y = this.dy(m.y);
      this.raster.ring(x, y, missed ? radius * 1.3 : radius, width, c, alpha, missed ? dash : null);
      const arm = radius * 0.55;
      this.raster.line(x - arm, y, x + arm, y, width, c, alpha);
      this.raster.line(x, y - arm, x, y + arm, width, c, alpha);
    }
  }

  /** Fakes outside the square: a small triangle on the edge pointing to where the fake is. */
  drawOutsideMarkers(points, n, colour) {
    const ctx = this.ctx;
    const s = this.size;
    let outside = 0;
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const x = points[2 * i], y = points[2 * i + 1];
      if (x >= -1 && x <= 1 && y >= -1 && y <= 1) continue;
      outside++;
      const cx = Math.min(Math.max(this.px(x), 4), s - 4);
      const cy = Math.min(Math.max(this.py(y), 4), s - 4);
      const ux = x < -1 ? -1 : x > 1 ? 1 : 0, uy = y > 1 ? -1 : y < -1 ? 1 : 0;
      const len = Math.hypot(ux, uy) || 1;
      const ax = ux / len, ay = uy / len;
      ctx.moveTo(cx + 4 * ax, cy + 4 * ay);
      ctx.lineTo(cx - 3 * ax - 3 * ay, cy - 3 * ay + 3 * ax);
      ctx.lineTo(cx - 3 * ax + 3 * ay, cy - 3 * ay - 3 * ax);
      ctx.closePath();
    }
    ctx.fill();
    this.outsideCount = outside;
    if (outside > 0) {
      ctx.font = '12px system-ui, sans-serif';
      ctx.fillStyle = 'rgba(0,0,0,0.75)';
      ctx.textAlign = 'right';
      ctx.fillText(`${outside} fake${outside === 1 ? '' : 's'} outside the square ▸ edge marks`, s - 8, s - 8);
      ctx.textAlign = 'left';
    }
  }
}

const parsedPredictionColours = new WeakMap();

/** The palette's 64 prediction colours as raster colours (parsed once per palette). */
function predictionColours(palette) {
  let colours = parsedPredictionColours.get(palette);
  if (!colours) parsedPredictionColours.set(palette, (colours = palette.predictionColours.map(colour)));
  return colours;
}

/** Opacity (0.1…0.9) of a manifold cell of relative density d: the reference's 0.9 − 0.4/d. */
function manifoldAlpha(density) {
  const alpha = density > 0 ? 0.9 - 0.4 / density : 0.1;
  return Math.min(Math.max(alpha, 0.1), 0.9);
}
