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
    if (frame && layers.has('field') && frame.has(Section.field)) {
      raster.field(frame.field, frame.fieldResolution, this.thumbnail ? palette.fieldStrong : palette.field,
        !this.thumbnail || frame.fieldResolution > 16);
    } else {
      raster.clear(BACKGROUND);
    }
    if (frame) {
      if (layers.has('manifold') && frame.has(Section.manifold)) this.drawManifold(frame, palette);
      const gridKey = scene.arrowSource === 'dgrad' ? 'gridDgrad' : 'grid';
      const gridId = scene.arrowSource === 'dgrad' ? Section.gridDgrad : Section.grid;
      if (layers.has('grid') && frame.has(gridId)) {
        this.drawVectorField(frame[gridKey], frame[gridKey + 'Resolution'], colour(palette.grid), scene.arrowSource);
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
        this.drawArrows(frame.fakes, frame[arrowKey], Math.min(frame.fakeCount, arrowKey === 'dgrad' ? frame.dgradCount : frame.arrowCount),
          ARROW_GAIN[arrowKey], colour(palette.arrow));
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
  drawVectorField(vectors, s, c, source) {
    const cell = 2 / s;
    const gain = ARROW_GAIN[source === 'dgrad' ? 'dgrad' : 'arrows'];
    const cap = 0.45 * cell;
    const width = (this.thumbnail ? 0.6 : 1) * this.dpr;
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
    const width = (this.thumbnail ? 0.7 : 1) * this.dpr;
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

  /** Known modes as rings; a ring is drawn dashed and red when fakes miss its mode. */
  drawModes(modes, frame, palette) {
    const covered = frame && frame.has(Section.modes) ? frame.modes : null;
    const expected = 1 / modes.length;
    const k = this.dpr;
    const width = (this.thumbnail ? 0.8 : 1.5) * k;
    const dash = this.modeDash || (this.modeDash = [0, 0]);
    dash[0] = 4 * k;
    dash[1] = 3 * k;
    for (let i = 0; i < modes.length; i++) {
      const m = modes[i];
      const share = covered && i < frame.modeCount ? covered[i] : expected;
      const missed = covered && share < 0.1 * expected;
      this.raster.ring(this.dx(m.x), this.dy(m.y), (m.radius / 2) * this.canvas.width, width,
        colour(missed ? MISSED_MODE : palette.realSolid), missed ? 1 : 0.35 + 0.65 * Math.min(1, share / expected),
        missed ? dash : null);
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
