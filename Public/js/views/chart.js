// A line chart on canvas: axes with round ticks, a legend, an optional band (the estimator's noise floor),
// and a hover read-out (pointer or touch). Reads columns of a MetricsHistory (state.js) directly. Lines and bands
// are drawn into a pixel buffer (raster.js), text with the canvas on top.
import { Raster, colour } from './raster.js';

// The plot area's margins (CSS pixels). Plain numbers rather than an object: an object read on every draw sent
// V8 into a slow path here (a 20-fold slower traceRuns in Chromium 156 until another object of the same shape
// existed), which numbers avoid.
const PAD_LEFT = 44, PAD_RIGHT = 10, PAD_TOP = 24, PAD_BOTTOM = 26;

/** Round tick values covering [lo, hi], about `count` of them. */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Short label of a tick value. */
export function formatTick(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
  if (a >= 1000) return (v / 1e3).toFixed(1) + 'k';
  if (a === 0) return '0';
  if (a < 0.01) return v.toExponential(0);
  return Number(v.toPrecision(3)).toString();
}

/** Read-out formatting for a value. */
export function formatValue(v) {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 2 : 3);
}

export class LineChart {
  /**
   * `options`: { title, series: [{ key, label, colour }], bands: [{ key, label, fill, edge }] (each filled from the
   * axis up to its column: an estimator's noise floor), bandLabel (the legend's word for the bands), logY,
   * integer (y ticks whole numbers) }.
   */
  constructor(canvas, options) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.options = options;
    this.history = null;
    this.hoverX = null;
    this.dirty = true;
    this.size = [0, 0];
    this.raster = new Raster();
    this.background = colour('#ffffff');
    canvas.addEventListener('pointermove', (e) => this.hover(e));
    canvas.addEventListener('pointerdown', (e) => this.hover(e));
    const leave = () => {
      this.hoverX = null;
      this.readout = null;
      this.dirty = true;
      if (this.baseLabel !== null) canvas.setAttribute('aria-label', this.baseLabel);
    };
    canvas.addEventListener('pointerleave', leave);
    // Keyboard: a focused chart moves its read-out with ← and → (Shift: ten times as far), Home and End.
    if (!canvas.hasAttribute('tabindex')) canvas.tabIndex = 0;
    canvas.addEventListener('keydown', (e) => this.key(e));
    canvas.addEventListener('blur', leave);
    /** The canvas's own label; while the pointer is over the chart the read-out is appended to it. */
    this.baseLabel = canvas.getAttribute('aria-label');
    this.measure();
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => { this.measure(); this.dirty = true; }).observe(canvas);
    }
  }

  /** Reads the element's size and font once per resize, so drawing never forces a layout. */
  measure() {
    this.cssW = Math.max(50, this.canvas.clientWidth);
    this.cssH = Math.max(50, this.canvas.clientHeight);
    this.fontPx = parseFloat(getComputedStyle(this.canvas).fontSize) || 11;
    this.background = colour(backgroundOf(this.canvas));
  }

  hover(event) {
    const rect = this.canvas.getBoundingClientRect();
    this.hoverX = event.clientX - rect.left;
    this.dirty = true;
  }

  /** Moves the read-out by keyboard (see the constructor); the keys do not reach the page's shortcuts. */
  key(event) {
    const left = PAD_LEFT, right = PAD_LEFT + this.plotW;
    const step = (this.plotW / 50) * (event.shiftKey ? 10 : 1);
    const at = this.hoverX === null ? right : this.hoverX;
    const next = { ArrowLeft: at - step, ArrowRight: at + step, Home: left, End: right }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    this.hoverX = Math.min(right, Math.max(left, next));
    this.dirty = true;
  }

  /** Points the chart at a history (a MetricsHistory); marks it for redraw. */
  setHistory(history) { this.history = history; this.dirty = true; }

  /** Redraws if something changed since the last draw. Returns whether it drew. */
  drawIfDirty() {
    if (!this.dirty) return false;
    this.draw();
    return true;
  }

  /** Value → y for the current scale. */
  y(v) {
    const t = this.logY ? Math.log10(Math.max(v, this.yLo)) : v;
    return this.top + (1 - (t - this.tLo) / (this.tHi - this.tLo)) * this.plotH;
  }

  x(epoch) { return PAD_LEFT + ((epoch - this.xLo) / (this.xHi - this.xLo)) * this.plotW; }

  draw() {
    this.dirty = false;
    const canvas = this.canvas;
    const cssW = this.cssW, cssH = this.cssH;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
    }
    this.dpr = dpr;
    const ctx = this.ctx;
    const o = this.options;
    const h = this.history;
    const n = h ? h.count : 0;
    this.plotW = cssW - PAD_LEFT - PAD_RIGHT;
    this.plotH = cssH - PAD_TOP - PAD_BOTTOM;
    this.top = PAD_TOP;
    const bands = o.bands || [];

    // Ranges.
    const epochs = h ? h.column('epoch') : null;
    this.xLo = n ? epochs[0] : 0;
    this.xHi = n ? Math.max(epochs[n - 1], this.xLo + 1) : 100;
    // The values' extent (the history keeps each column's; a log axis takes only positive values).
    let lo = Infinity, hi = -Infinity, bandLo = Infinity;
    for (const { key } of o.series.concat(bands)) {
      const e = n && h.column(key) ? h.extent(key) : null;
      if (!e || !(e.max >= e.min) || (o.logY && !(e.max > 0))) continue;
      const least = o.logY ? e.positive : e.min;
      if (least < lo) lo = least;
      if (e.max > hi) hi = e.max;
      if (bands.some((b) => b.key === key) && least < bandLo) bandLo = least;
    }
    this.logY = !!o.logY;
    if (!(hi >= lo)) { lo = o.logY ? 1e-3 : 0; hi = 1; }
    if (this.logY) {
      this.tLo = Math.floor(Math.log10(lo));
      // A band reaches up from the axis: keep at least a third of a decade of it in view.
      if (Number.isFinite(bandLo) && Math.log10(bandLo) - this.tLo < 0.33) this.tLo -= 1;
      this.tHi = Math.max(Math.ceil(Math.log10(hi)), this.tLo + 1);
      this.yLo = Math.pow(10, this.tLo);
    } else {
      lo = Math.min(0, lo);
      hi = hi <= lo ? lo + 1 : hi * 1.08;
      if (o.integer) hi = Math.max(Math.ceil(hi), 1);
      this.tLo = lo; this.tHi = hi; this.yLo = lo;
    }
    const yTicks = this.logY
      ? Array.from({ length: this.tHi - this.tLo + 1 }, (_, i) => Math.pow(10, this.tLo + i))
      : niceTicks(this.tLo, this.tHi, 4).filter((v) => !o.integer || Number.isInteger(v));
    const tickY = (v) => (this.logY
      ? this.top + (1 - (Math.log10(v) - this.tLo) / (this.tHi - this.tLo)) * this.plotH
      : this.y(v));

    // Pixels (raster.js: a polyline of thousands of points costs the canvas milliseconds, here a few columns'
    // worth of pixels): background, grid lines, axes, bands, series, in device pixels.
    const raster = this.raster;
    raster.resize(ctx, canvas.width, canvas.height);
    raster.clear(this.background);
    const grid = colour('#eee'), axis = colour('#bbb');
    // Lines one CSS pixel wide, centred on their coordinates as a canvas strokes them.
    const half = dpr / 2, left = PAD_LEFT * dpr, right = (PAD_LEFT + this.plotW) * dpr;
    const bottom = (PAD_TOP + this.plotH) * dpr;
    for (const v of yTicks) {
      const y = tickY(v) * dpr;
      raster.rect(left + dpr, y - half, right, y + half, grid, 1);
    }
    raster.rect(left - half, PAD_TOP * dpr, left + half, bottom, axis, 1);
    raster.rect(left, bottom - half, right, bottom + half, axis, 1);
    if (n) {
      // Bands: from the axis up to each floor column (rows without a floor leave a gap), edged by a dashed line.
      for (const band of bands) {
        const col = h.column(band.key);
        if (col) this.drawBand(col, epochs, n, band);
      }
      for (const s of o.series) {
        const col = h.column(s.key);
        if (col) this.drawPolyline(col, epochs, n, 1.6 * dpr, colour(s.colour));
      }
    }
    raster.put(ctx);

    // Text and legend on top, with the canvas's own drawing.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const small = `${Math.max(10, this.fontPx * 0.85)}px system-ui, sans-serif`;
    if (this.font !== small) { ctx.font = small; this.font = small; }
    ctx.textBaseline = 'middle';
    // Legend (also the title line), laid out once per width and font (`legendLayout`).
    const bandText = bands.length ? (o.bandLabel || bands[0].label) : '';
    const legend = this.legendLayout(ctx, small, cssW, o.series, bandText);
    if (legend.font !== small) ctx.font = legend.font;
    let lx = legend.start;
    o.series.forEach((s, i) => {
      ctx.fillStyle = s.colour;
      ctx.fillRect(lx, 8, 12, 3);
      ctx.fillStyle = '#333';
      ctx.fillText(s.label, lx + 16, 10);
      lx += legend.advances[i];
    });
    if (bands.length) {
      ctx.fillStyle = bands[0].fill;
      ctx.fillRect(lx, 4, 12, 10);
      ctx.fillStyle = '#333';
      ctx.fillText(bandText, lx + 16, 10);
    }
    if (legend.font !== small) ctx.font = small;
    ctx.fillStyle = '#555';
    ctx.textAlign = 'right';
    for (const v of yTicks) ctx.fillText(formatTick(v), PAD_LEFT - 4, tickY(v));
    ctx.textAlign = 'center';
    // Epochs are whole numbers: an empty or short chart has no 0.25-epoch ticks.
    for (const v of niceTicks(this.xLo, this.xHi, Math.max(2, Math.floor(this.plotW / 70)))) {
      if (!Number.isInteger(v)) continue;
      ctx.fillText(formatTick(v), this.x(v), PAD_TOP + this.plotH + 12);
    }
    ctx.textAlign = 'right';
    ctx.fillText('epoch', PAD_LEFT + this.plotW, cssH - 4);
    ctx.textAlign = 'left';
    if (!n) {
      ctx.fillStyle = '#888';
      ctx.fillText('waiting for the first epochs…', PAD_LEFT + 8, PAD_TOP + this.plotH / 2);
      return;
    }
    if (this.hoverX !== null) this.drawReadout(h, n, epochs, cssW);
  }

  /**
   * Where the legend starts, its font and each entry's advance, measured only when the width, the font, the series
   * (a new array on a palette change) or the band's label changed: from the plot's left edge, moved left and then set smaller where a narrow chart (a compare side on
   * a projector) would cut its last entry off. `ctx.font` must be `font` on entry; it is left so.
   */
  legendLayout(ctx, font, cssW, series, bandText) {
    const cached = this.legend;
    if (cached && cached.cssW === cssW && cached.baseFont === font && cached.bandText === bandText && cached.series === series) return cached;
    const widthAt = () => series.reduce((sum, s) => sum + 22 + ctx.measureText(s.label).width, 0)
      + (bandText ? 16 + ctx.measureText(bandText).width : 0);
    const natural = widthAt();
    let legendFont = font;
    if (natural > cssW - 4) {
      legendFont = `${Math.max(8, Math.floor(parseFloat(font) * (cssW - 4) / natural))}px system-ui, sans-serif`;
      ctx.font = legendFont;
    }
    const advances = series.map((s) => 22 + ctx.measureText(s.label).width);
    const width = legendFont === font ? natural : widthAt();
    ctx.font = font;
    this.legend = { cssW, baseFont: font, bandText, series, font: legendFont, advances,
                    start: Math.max(2, Math.min(PAD_LEFT, cssW - 2 - width)) };
    return this.legend;
  }

  /**
   * One band: under each run of finite values, every pixel column filled from the axis up to the highest point of
   * the line over that column, and the line itself dashed along its top. A run of a single row still gets a sliver
   * two pixels wide.
   */
  drawBand(col, epochs, n, band) {
    const raster = this.raster, dpr = this.dpr;
    const base = (this.logY ? this.top + this.plotH : this.y(0)) * dpr;
    const fill = colour(band.fill), edge = colour(band.edge);
    const dash = 4 * dpr, period = 7 * dpr;
    this.traceRuns(col, epochs, n, 2 * dpr, (first, last, tops, bottoms) => {
      for (let c = first; c <= last; c++) {
        if (tops[c] < base) raster.column(c, tops[c], base, fill, 1);
        if (c % period < dash) raster.column(c, tops[c] - dpr / 2, bottoms[c] + dpr / 2, edge, 1);
      }
    });
  }

  /** A series: its line `width` device pixels thick, one pixel column at a time (see `traceRuns`). */
  drawPolyline(col, epochs, n, width, c) {
    const raster = this.raster;
    this.traceRuns(col, epochs, n, 1, (first, last, tops, bottoms) => {
      for (let x = first; x <= last; x++) raster.column(x, tops[x] - width / 2, bottoms[x] + width / 2, c, 1);
    });
  }

  /**
   * Rasterises the line through the rows of `col` by pixel columns: for each run of finite values (missing values
   * break the line), the highest and lowest y (device pixels) the line reaches over each column it spans, taken
   * from the rows inside the column and the line's height where it crosses the column's edges. Then calls
   * `draw(first, last, tops, bottoms)` with the run's columns. Costs O(rows + columns), so a long history costs
   * no more than the chart's width; `minColumns` widens a run too short to see.
   */
  traceRuns(col, epochs, n, minColumns, draw) {
    const dpr = this.dpr, width = this.canvas.width;
    if (!this.tops || this.tops.length < width) {
      this.tops = new Float64Array(width);
      this.bottoms = new Float64Array(width);
    }
    const tops = this.tops, bottoms = this.bottoms;
    const xScale = (this.plotW / (this.xHi - this.xLo)) * dpr, xOffset = PAD_LEFT * dpr - this.xLo * xScale;
    // y in device pixels of a value: linear in the value or in its logarithm (as `y`).
    const logY = this.logY, yScale = -(this.plotH * dpr) / (this.tHi - this.tLo);
    const yOffset = (this.top + this.plotH) * dpr - this.tLo * yScale, yLo = this.yLo;
    const toY = (v) => (logY ? Math.log10(v < yLo ? yLo : v) : v) * yScale + yOffset;
    let start = -1;
    for (let i = 0; i <= n; i++) {
      const ok = i < n && Number.isFinite(col[i]) && !(logY && col[i] <= 0);
      if (ok && start < 0) start = i;
      if (ok || start < 0) continue;
      // Rows start … i−1 form a run. Column indices stay integers (| 0 of non-negative values).
      const first = Math.max(0, epochs[start] * xScale + xOffset) | 0;
      const end = Math.min(width - 1, Math.max(first, epochs[i - 1] * xScale + xOffset | 0));
      const last = Math.min(width - 1, Math.max(end, first + minColumns - 1));
      tops.fill(Infinity, first, last + 1);
      bottoms.fill(-Infinity, first, last + 1);
      // The column's lowest and highest value so far (rows inside one column need no y of their own: y is
      // monotonic in the value), and the previous row.
      let px = epochs[start] * xScale + xOffset, pv = col[start], column = first, lo = pv, hi = pv;
      for (let k = start + 1; k < i; k++) {
        const x = epochs[k] * xScale + xOffset, v = col[k];
        const c = Math.min(last, x | 0);
        if (c !== column) {
          // Leaving a column: its rows' extremes, then the segment from the previous row, whose height at each
          // column edge it crosses counts for both columns.
          include(tops, bottoms, column, toY(lo));
          include(tops, bottoms, column, toY(hi));
          const py = toY(pv), y = toY(v), slope = (y - py) / (x - px);
          for (let edge = (px | 0) + 1; edge <= c; edge++) {
            const at = py + (edge - px) * slope;
            include(tops, bottoms, edge - 1, at);
            include(tops, bottoms, edge, at);
          }
          column = c; lo = hi = v;
        } else if (v < lo) lo = v; else if (v > hi) hi = v;
        px = x; pv = v;
      }
      include(tops, bottoms, column, toY(lo));
      include(tops, bottoms, column, toY(hi));
      const py = toY(pv);
      // A widened run keeps its last height.
      for (let c = end + 1; c <= last; c++) {
        if (py < tops[c]) tops[c] = py;
        if (py > bottoms[c]) bottoms[c] = py;
      }
      draw(first, last, tops, bottoms);
      start = -1;
    }
  }

  drawReadout(h, n, epochs, cssW) {
    const ctx = this.ctx;
    const o = this.options;
    const target = this.xLo + ((this.hoverX - PAD_LEFT) / this.plotW) * (this.xHi - this.xLo);
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (epochs[mid] < target) lo = mid + 1; else hi = mid; }
    if (lo > 0 && Math.abs(epochs[lo - 1] - target) < Math.abs(epochs[lo] - target)) lo--;
    const x = this.x(epochs[lo]);
    ctx.strokeStyle = 'rgba(0,0,0,0.35)';
    ctx.beginPath(); ctx.moveTo(x, PAD_TOP); ctx.lineTo(x, PAD_TOP + this.plotH); ctx.stroke();
    const lines = [`epoch ${Math.round(epochs[lo]).toLocaleString('en-US')}`];
    for (const s of o.series) {
      const col = h.column(s.key);
      if (col) lines.push(`${s.label}: ${formatValue(col[lo])}`);
    }
    for (const band of o.bands || []) {
      if (h.column(band.key)) lines.push(`${band.label}: ${formatValue(h.column(band.key)[lo])}`);
    }
    const width = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 12;
    const lh = Math.max(14, Math.round(this.fontPx * 1.05));
    const bx = x + 8 + width > cssW ? Math.max(0, x - 8 - width) : x + 8;
    ctx.fillStyle = 'rgba(255,255,255,0.92)';
    ctx.fillRect(bx, PAD_TOP + 2, width, lines.length * lh + 6);
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(bx, PAD_TOP + 2, width, lines.length * lh + 6);
    ctx.fillStyle = '#222';
    lines.forEach((line, i) => ctx.fillText(line, bx + 6, PAD_TOP + 5 + lh / 2 + i * lh));
    const text = lines.join('; ');
    if (!this.readout || this.readout.join('; ') !== text) {
      this.canvas.setAttribute('aria-label', `${this.baseLabel ? this.baseLabel + '. ' : ''}${text}`);
    }
    this.readout = lines;
  }
}

/** The colour behind `element`: the background of its nearest ancestor that has one (white if none). */
function backgroundOf(element) {
  for (let e = element.parentElement; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

/** Widens column c's extent [tops[c], bottoms[c]] to take in y. */
function include(tops, bottoms, c, y) {
  if (y < tops[c]) tops[c] = y;
  if (y > bottoms[c]) bottoms[c] = y;
}
