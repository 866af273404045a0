// The layered plot of the data square [-1, 1]² (y up): decision field, generator manifold, gradient vector
// field, real samples, known modes, gradient arrows at the fakes, fakes, and markers for fakes off the square.
// Draws from typed arrays (a `Frame` from motion.js plus the run's real samples); the same class draws the
// big plot and the model overview's thumbnails. Crisp on high-DPI screens: the backing store follows the
// element's CSS size times devicePixelRatio.
import { Section } from '../protocol.js';

/** Layers the plot can show, bottom to top (names as protocol §3.3 where they are subscribed). */
export const PLOT_LAYERS = ['field', 'manifold', 'grid', 'real', 'modes', 'arrows', 'fakes'];

/** Longest arrow drawn, in data units; longer gradients are compressed (tanh) so none leaves the plot. */
const ARROW_CAP = 0.3;
/** Data units per unit of gradient: the reference draws 0.15·∇D in its unit square, 0.6·∇D in ours. */
const ARROW_GAIN = { arrows: 0.3, dgrad: 0.6 };
const ALPHA_LEVELS = 9;

export class PlotView {
  /** `options.thumbnail` draws thinner marks; `options.square` keeps the canvas square. */
  constructor(canvas, options = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: false });
    this.thumbnail = !!options.thumbnail;
    this.fieldCanvas = document.createElement('canvas');
    this.fieldContext = this.fieldCanvas.getContext('2d');
    this.fieldImage = null;
    this.fieldWords = null;
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

  /**
   * Draws one picture. `frame`: the shown frame (or null); `scene`: { layers: Set of PLOT_LAYERS and 'noise',
   * 'predictions'; palette; real: Float32Array; realCount; modes: [{x,y,radius}]; arrowSource: 'arrows'|'dgrad';
   * noise: Float32Array of noise points; noiseCount; bold: presenter mode }.
   */
  draw(frame, scene) {
    const ctx = this.ctx;
    const size = this.size;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = '#f3f3f3';
    ctx.fillRect(0, 0, size, size);
    const layers = scene.layers;
    const palette = scene.palette;
    const dot = (this.thumbnail ? 1.1 : 2.4) * (scene.bold ? 1.5 : 1) * Math.max(1, size / 600);
    if (frame) {
      if (layers.has('field') && frame.has(Section.field)) this.drawField(frame, palette);
      if (layers.has('manifold') && frame.has(Section.manifold)) this.drawManifold(frame, palette);
      const gridKey = scene.arrowSource === 'dgrad' ? 'gridDgrad' : 'grid';
      const gridId = scene.arrowSource === 'dgrad' ? Section.gridDgrad : Section.grid;
      if (layers.has('grid') && frame.has(gridId)) {
        this.drawVectorField(frame[gridKey], frame[gridKey + 'Resolution'], palette.grid, scene.arrowSource);
      }
    }
    if (layers.has('noise') && scene.noise) this.drawCachedDots(scene.noise, scene.noiseCount, dot, 'rgba(60,60,60,0.7)');
    if (layers.has('real') && scene.real) {
      if (layers.has('predictions') && frame && frame.has(Section.predictions)) {
        this.drawPredictedDots(scene.real, Math.min(scene.realCount, frame.predictedRealCount), frame.predictedReal, dot, palette);
      } else {
        this.drawCachedDots(scene.real, scene.realCount, dot, palette.real);
      }
    }
    if (layers.has('modes') && scene.modes && scene.modes.length) this.drawModes(scene.modes, frame, palette);
    if (!frame) return;
    const arrowKey = scene.arrowSource === 'dgrad' ? 'dgrad' : 'arrows';
    const arrowId = scene.arrowSource === 'dgrad' ? Section.dgrad : Section.arrows;
    if (layers.has('arrows') && frame.has(arrowId) && frame.has(Section.fakes)) {
      this.drawArrows(frame.fakes, frame[arrowKey], Math.min(frame.fakeCount, arrowKey === 'dgrad' ? frame.dgradCount : frame.arrowCount),
        ARROW_GAIN[arrowKey], palette.arrow);
    }
    if (layers.has('fakes') && frame.has(Section.fakes)) {
      if (layers.has('predictions') && frame.has(Section.predictions)) {
        this.drawPredictedDots(frame.fakes, Math.min(frame.fakeCount, frame.predictedFakeCount), frame.predictedFakes, dot, palette);
      } else {
        this.drawDots(frame.fakes, frame.fakeCount, dot, palette.fake);
      }
      if (!this.thumbnail) this.drawOutsideMarkers(frame.fakes, frame.fakeCount, palette.fakeSolid);
    }
  }

  drawField(frame, palette) {
    const r = frame.fieldResolution;
    if (!this.fieldImage || this.fieldImage.width !== r) {
      this.fieldCanvas.width = r;
      this.fieldCanvas.height = r;
      this.fieldImage = this.fieldContext.createImageData(r, r);
      this.fieldWords = new Uint32Array(this.fieldImage.data.buffer);
    }
    const table = this.thumbnail ? palette.fieldStrong : palette.field;
    const words = this.fieldWords;
    const values = frame.field;
    for (let i = 0, n = r * r; i < n; i++) {
      const q = (values[i] * 255 + 0.5) | 0;
      words[i] = table[q < 0 ? 0 : q > 255 ? 255 : q];
    }
    this.fieldContext.putImageData(this.fieldImage, 0, 0);
    this.ctx.imageSmoothingEnabled = !this.thumbnail || r > 16;
    this.ctx.drawImage(this.fieldCanvas, 0, 0, this.size, this.size);
  }

  /** Manifold: 2-D noise as quads whose opacity encodes density (the reference's rule), 1-D as a curve. */
  drawManifold(frame, palette) {
    const ctx = this.ctx;
    const p = frame.manifoldPoints;
    const d = frame.manifoldDensities;
    const m = frame.manifoldCells;
    ctx.fillStyle = palette.manifold;
    ctx.strokeStyle = palette.manifold;
    if (frame.manifoldDimension === 2) {
      const row = m + 1;
      // A thumbnail merges cells in blocks of `step` × `step` (at most 10 × 10 quads, each at its cells' mean
      // density): at a few pixels per cell nothing finer shows, and the cost is per quad.
      const step = this.thumbnail ? Math.max(1, Math.ceil(m / 10)) : 1;
      // One path per opacity level instead of one fill per cell.
      for (let level = 0; level < ALPHA_LEVELS; level++) {
        ctx.beginPath();
        let any = false;
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
            if (alphaLevel(density) !== level) continue;
            const a = 2 * (j * row + i), b = 2 * (j * row + i1), c = 2 * (j1 * row + i1), e = 2 * (j1 * row + i);
            ctx.moveTo(this.px(p[a]), this.py(p[a + 1]));
            ctx.lineTo(this.px(p[b]), this.py(p[b + 1]));
            ctx.lineTo(this.px(p[c]), this.py(p[c + 1]));
            ctx.lineTo(this.px(p[e]), this.py(p[e + 1]));
            ctx.closePath();
            any = true;
          }
        }
        if (!any) continue;
        ctx.globalAlpha = (0.1 + 0.1 * level) * (this.thumbnail ? 1 : 0.8);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      ctx.strokeStyle = palette.manifoldLine;
      ctx.lineWidth = 0.5;
      ctx.beginPath();
      for (let j = 0; j <= m; j++) {
        for (let i = 0; i <= m; i++) {
          const a = 2 * (j * row + i);
          if (i === 0) ctx.moveTo(this.px(p[a]), this.py(p[a + 1])); else ctx.lineTo(this.px(p[a]), this.py(p[a + 1]));
        }
      }
      ctx.stroke();
    } else {
      ctx.lineWidth = this.thumbnail ? 1.5 : 3;
      ctx.lineCap = 'round';
      for (let s = 0; s < frame.manifoldPointCount - 1; s++) {
        ctx.globalAlpha = 0.1 + 0.1 * alphaLevel(d[s]);
        ctx.beginPath();
        ctx.moveTo(this.px(p[2 * s]), this.py(p[2 * s + 1]));
        ctx.lineTo(this.px(p[2 * s + 2]), this.py(p[2 * s + 3]));
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      ctx.fillStyle = 'rgba(48,48,48,0.5)';
      ctx.beginPath();
      for (let s = 0; s < frame.manifoldPointCount; s++) {
        ctx.moveTo(this.px(p[2 * s]) + 1.5, this.py(p[2 * s + 1]));
        ctx.arc(this.px(p[2 * s]), this.py(p[2 * s + 1]), 1.5, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
  }

  /** The gradient vector field on the coarse S×S grid (top row first). */
  drawVectorField(vectors, s, colour, source) {
    const cell = 2 / s;
    const gain = ARROW_GAIN[source === 'dgrad' ? 'dgrad' : 'arrows'];
    const cap = 0.45 * cell;
    const ctx = this.ctx;
    const heads = this.beginArrows(colour, this.thumbnail ? 0.6 : 1);
    for (let r = 0; r < s; r++) {
      const y = 1 - (r + 0.5) * cell;
      for (let c = 0; c < s; c++) {
        const x = -1 + (c + 0.5) * cell;
        const k = 2 * (r * s + c);
        this.arrowPath(x, y, vectors[k], vectors[k + 1], gain, cap, heads);
      }
    }
    ctx.stroke();
    this.fillHeads(heads);
  }

  /** Starts a path of arrow shafts in `colour`; returns the (reused) list their heads go into. */
  beginArrows(colour, width) {
    const ctx = this.ctx;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = width;
    const heads = this.heads || (this.heads = []);
    heads.length = 0;
    ctx.beginPath();
    return heads;
  }

  /** Appends one arrow's shaft to the current path; pushes its head's three points to `heads`. */
  arrowPath(x, y, dx, dy, gain, cap, heads) {
    const g = Math.hypot(dx, dy);
    if (!(g > 1e-9)) return;
    const length = cap * Math.tanh((gain * g) / cap);
    const ux = dx / g, uy = dy / g;
    const x0 = this.px(x), y0 = this.py(y);
    const x1 = this.px(x + ux * length), y1 = this.py(y + uy * length);
    this.ctx.moveTo(x0, y0);
    this.ctx.lineTo(x1, y1);
    const pixels = Math.hypot(x1 - x0, y1 - y0);
    const head = Math.min(this.thumbnail ? 2.5 : 5, pixels * 0.5);
    if (head < 1) return;
    // Screen direction (y flipped).
    const sx = ux, sy = -uy;
    heads.push(x1, y1, x1 - head * sx - 0.5 * head * sy, y1 - head * sy + 0.5 * head * sx,
      x1 - head * sx + 0.5 * head * sy, y1 - head * sy - 0.5 * head * sx);
  }

  /**
   * Arrow heads as open chevrons in the shafts' stroke: hundreds of tiny filled triangles cost the software
   * rasteriser about 0.8 ms per 500 arrows, the same heads stroked as hairlines about 0.2 ms (measured as the
   * renderer's CPU time in headless Chromium).
   */
  fillHeads(heads) {
    const ctx = this.ctx;
    ctx.beginPath();
    for (let i = 0; i < heads.length; i += 6) {
      ctx.moveTo(heads[i + 2], heads[i + 3]);
      ctx.lineTo(heads[i], heads[i + 1]);
      ctx.lineTo(heads[i + 4], heads[i + 5]);
    }
    ctx.stroke();
  }

  /**
   * Arrows at the fakes: where the generator's loss pushes each one. Shafts one CSS pixel wide: on a 1× screen
   * that is a hairline, which the browser's software rasteriser strokes about 4× faster than 1.2 px (500 arrows:
   * 0.2 ms instead of 0.8 ms, measured in headless Chromium).
   */
  drawArrows(points, vectors, n, gain, colour) {
    const ctx = this.ctx;
    const heads = this.beginArrows(colour, this.thumbnail ? 0.7 : 1);
    for (let i = 0; i < n; i++) {
      this.arrowPath(points[2 * i], points[2 * i + 1], vectors[2 * i], vectors[2 * i + 1], gain, ARROW_CAP, heads);
    }
    ctx.stroke();
    this.fillHeads(heads);
  }

  /** Dots that rarely change (the real samples): drawn once into a layer canvas, then copied. */
  drawCachedDots(points, n, radius, colour) {
    const key = `${this.canvas.width}:${n}:${radius}:${colour}`;
    if (!this.dotLayer) {
      this.dotLayer = document.createElement('canvas');
      this.dotContext = this.dotLayer.getContext('2d');
    }
    if (this.dotKey !== key || this.dotPoints !== points) {
      this.dotKey = key;
      this.dotPoints = points;
      this.dotLayer.width = this.canvas.width;
      this.dotLayer.height = this.canvas.height;
      const ctx = this.ctx;
      this.ctx = this.dotContext;
      this.ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      this.drawDots(points, n, radius, colour);
      this.ctx = ctx;
    }
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.drawImage(this.dotLayer, 0, 0);
    this.ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
  }

  drawDots(points, n, radius, colour) {
    const ctx = this.ctx;
    ctx.fillStyle = colour;
    ctx.beginPath();
    if (this.thumbnail) {
      for (let i = 0; i < n; i++) ctx.rect(this.px(points[2 * i]) - radius, this.py(points[2 * i + 1]) - radius, 2 * radius, 2 * radius);
    } else {
      for (let i = 0; i < n; i++) {
        const x = this.px(points[2 * i]), y = this.py(points[2 * i + 1]);
        ctx.moveTo(x + radius, y);
        ctx.arc(x, y, radius, 0, 2 * Math.PI);
      }
    }
    ctx.fill();
  }

  /** Dots coloured by D's output at each (the reference's prediction panels): one path per colour. */
  drawPredictedDots(points, n, predictions, radius, palette) {
    const ctx = this.ctx;
    if (!this.buckets || this.buckets.length < n) {
      this.buckets = new Uint8Array(Math.max(n, 1024));
      this.order = new Int32Array(Math.max(n, 1024));
    }
    const start = this.bucketStart || (this.bucketStart = new Int32Array(65));
    start.fill(0);
    // Thumbnails use 16 of the 64 colours: a few pixels per dot show no finer shades, and each colour is a pass.
    const shift = this.thumbnail ? 2 : 0;
    for (let i = 0; i < n; i++) {
      const b = (palette.predictionIndex(predictions[i]) >> shift) << shift;
      this.buckets[i] = b;
      start[b + 1]++;
    }
    for (let b = 0; b < 64; b++) start[b + 1] += start[b];
    const fill = this.bucketFill || (this.bucketFill = new Int32Array(64));
    fill.set(start.subarray(0, 64));
    for (let i = 0; i < n; i++) this.order[fill[this.buckets[i]]++] = i;
    const r = radius * 1.3;
    // An outline on every dot: near equilibrium D says 0.5 everywhere, whose neutral colour would vanish on
    // the plot's light background (the thumbnails especially) without one.
    ctx.strokeStyle = this.thumbnail ? 'rgba(0,0,0,0.55)' : 'rgba(0,0,0,0.35)';
    ctx.lineWidth = this.thumbnail ? 0.6 : 0.5;
    for (let b = 0; b < 64; b++) {
      if (start[b] === start[b + 1]) continue;
      ctx.fillStyle = palette.predictionColours[Math.min(63, b + (shift ? 2 : 0))];
      ctx.beginPath();
      for (let k = start[b]; k < start[b + 1]; k++) {
        const i = this.order[k];
        const x = this.px(points[2 * i]), y = this.py(points[2 * i + 1]);
        if (this.thumbnail) { ctx.rect(x - r, y - r, 2 * r, 2 * r); continue; }
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.stroke();
    }
  }

  /** Known modes as rings; a ring is drawn dashed and red when fakes miss its mode. */
  drawModes(modes, frame, palette) {
    const ctx = this.ctx;
    const covered = frame && frame.has(Section.modes) ? frame.modes : null;
    const expected = 1 / modes.length;
    ctx.lineWidth = this.thumbnail ? 0.8 : 1.5;
    for (let i = 0; i < modes.length; i++) {
      const m = modes[i];
      const share = covered && i < frame.modeCount ? covered[i] : expected;
      const missed = covered && share < 0.1 * expected;
      ctx.strokeStyle = missed ? 'rgba(200,30,30,0.9)' : palette.realSolid;
      ctx.globalAlpha = missed ? 1 : 0.35 + 0.65 * Math.min(1, share / expected);
      ctx.setLineDash(missed ? [4, 3] : []);
      ctx.beginPath();
      ctx.arc(this.px(m.x), this.py(m.y), (m.radius / 2) * this.size, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
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

/** Opacity level 0…8 (α = 0.1…0.9) of a manifold cell of relative density d: the reference's 0.9 − 0.4/d. */
function alphaLevel(density) {
  const alpha = density > 0 ? 0.9 - 0.4 / density : 0.1;
  const level = Math.round((Math.min(Math.max(alpha, 0.1), 0.9) - 0.1) * 10);
  return level;
}
