// A line chart on canvas: axes with round ticks, a legend, an optional band (the estimator's noise floor),
// and a hover read-out (pointer or touch). Reads columns of a MetricsHistory (state.js) directly.

const PAD = { left: 44, right: 10, top: 24, bottom: 26 };

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
    canvas.addEventListener('pointermove', (e) => this.hover(e));
    canvas.addEventListener('pointerdown', (e) => this.hover(e));
    canvas.addEventListener('pointerleave', () => {
      this.hoverX = null;
      this.readout = null;
      this.dirty = true;
      if (this.baseLabel !== null) canvas.setAttribute('aria-label', this.baseLabel);
    });
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
  }

  hover(event) {
    const rect = this.canvas.getBoundingClientRect();
    this.hoverX = event.clientX - rect.left;
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

  x(epoch) { return PAD.left + ((epoch - this.xLo) / (this.xHi - this.xLo)) * this.plotW; }

  draw() {
    this.dirty = false;
    const canvas = this.canvas;
    const cssW = this.cssW, cssH = this.cssH;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const o = this.options;
    const h = this.history;
    const n = h ? h.count : 0;
    this.plotW = cssW - PAD.left - PAD.right;
    this.plotH = cssH - PAD.top - PAD.bottom;
    this.top = PAD.top;
    const small = `${Math.max(10, this.fontPx * 0.85)}px system-ui, sans-serif`;
    ctx.font = small;
    ctx.textBaseline = 'middle';

    // Legend (also the title line).
    let lx = PAD.left;
    for (const s of o.series) {
      ctx.fillStyle = s.colour;
      ctx.fillRect(lx, 8, 12, 3);
      ctx.fillStyle = '#333';
      ctx.fillText(s.label, lx + 16, 10);
      lx += 22 + ctx.measureText(s.label).width;
    }
    const bands = o.bands || [];
    if (bands.length) {
      ctx.fillStyle = bands[0].fill;
      ctx.fillRect(lx, 4, 12, 10);
      ctx.fillStyle = '#333';
      ctx.fillText(o.bandLabel || bands[0].label, lx + 16, 10);
    }

    // Ranges.
    const epochs = h ? h.column('epoch') : null;
    this.xLo = n ? epochs[0] : 0;
    this.xHi = n ? Math.max(epochs[n - 1], this.xLo + 1) : 100;
    let lo = Infinity, hi = -Infinity, bandLo = Infinity;
    const keys = o.series.map((s) => s.key).concat(bands.map((b) => b.key));
    for (const key of keys) {
      const col = h ? h.column(key) : null;
      if (!col) continue;
      const isBand = bands.some((b) => b.key === key);
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (!Number.isFinite(v) || (o.logY && v <= 0)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (isBand && v < bandLo) bandLo = v;
      }
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

    // Axes and ticks.
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(PAD.left, PAD.top);
    ctx.lineTo(PAD.left, PAD.top + this.plotH);
    ctx.lineTo(PAD.left + this.plotW, PAD.top + this.plotH);
    ctx.stroke();
    ctx.fillStyle = '#555';
    ctx.textAlign = 'right';
    const yTicks = this.logY
      ? Array.from({ length: this.tHi - this.tLo + 1 }, (_, i) => Math.pow(10, this.tLo + i))
      : niceTicks(this.tLo, this.tHi, 4).filter((v) => !o.integer || Number.isInteger(v));
    ctx.strokeStyle = '#eee';
    for (const v of yTicks) {
      const y = this.logY ? this.top + (1 - (Math.log10(v) - this.tLo) / (this.tHi - this.tLo)) * this.plotH : this.y(v);
      ctx.beginPath(); ctx.moveTo(PAD.left + 1, y); ctx.lineTo(PAD.left + this.plotW, y); ctx.stroke();
      ctx.fillText(formatTick(v), PAD.left - 4, y);
    }
    ctx.textAlign = 'center';
    for (const v of niceTicks(this.xLo, this.xHi, Math.max(2, Math.floor(this.plotW / 70)))) {
      const x = this.x(v);
      ctx.fillText(formatTick(v), x, PAD.top + this.plotH + 12);
    }
    ctx.textAlign = 'right';
    ctx.fillText('epoch', PAD.left + this.plotW, cssH - 4);
    ctx.textAlign = 'left';
    if (!n) {
      ctx.fillStyle = '#888';
      ctx.fillText('waiting for the first epochs…', PAD.left + 8, PAD.top + this.plotH / 2);
      return;
    }

    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top - 2, this.plotW + 2, this.plotH + 4);
    ctx.clip();
    // Bands: from the axis up to each floor column (rows without a floor leave a gap), edged by a dashed line.
    for (const band of bands) {
      const col = h.column(band.key);
      if (col) this.drawBand(col, epochs, n, band);
    }
    ctx.lineWidth = 1.6;
    ctx.lineJoin = 'round';
    for (const s of o.series) {
      const col = h.column(s.key);
      if (!col) continue;
      ctx.strokeStyle = s.colour;
      ctx.beginPath();
      this.tracePolyline(col, epochs, n);
      ctx.stroke();
    }
    ctx.restore();

    if (this.hoverX !== null) this.drawReadout(h, n, epochs, cssW);
  }

  /** One band: filled runs of finite values from the axis up to the column, and a dashed edge along their top. */
  drawBand(col, epochs, n, band) {
    const ctx = this.ctx;
    const base = this.logY ? this.top + this.plotH : this.y(0);
    const runs = [];
    let start = -1;
    for (let i = 0; i <= n; i++) {
      const ok = i < n && Number.isFinite(col[i]) && !(this.logY && col[i] <= 0);
      if (ok && start < 0) start = i;
      if (!ok && start >= 0) { runs.push([start, i]); start = -1; }
    }
    ctx.fillStyle = band.fill;
    ctx.beginPath();
    for (const [a, b] of runs) {
      // A single row still gets a sliver two pixels wide.
      const x0 = this.x(epochs[a]), x1 = Math.max(this.x(epochs[b - 1]), x0 + 2);
      ctx.moveTo(x0, base);
      for (let i = a; i < b; i++) ctx.lineTo(this.x(epochs[i]), this.y(col[i]));
      ctx.lineTo(x1, this.y(col[b - 1]));
      ctx.lineTo(x1, base);
      ctx.closePath();
    }
    ctx.fill();
    ctx.strokeStyle = band.edge;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    for (const [a, b] of runs) {
      ctx.moveTo(this.x(epochs[a]), this.y(col[a]));
      for (let i = a + 1; i < b; i++) ctx.lineTo(this.x(epochs[i]), this.y(col[i]));
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /**
   * Adds a series to the current path. Long series are reduced to the first, lowest, highest and last value
   * per pixel column (the picture is the same; thousands of points cost no more than the chart's width).
   */
  tracePolyline(col, epochs, n) {
    const ctx = this.ctx;
    let pen = false;
    const point = (x, v) => {
      const y = this.y(v);
      if (pen) ctx.lineTo(x, y); else { ctx.moveTo(x, y); pen = true; }
    };
    if (n <= 2 * this.plotW) {
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (!Number.isFinite(v) || (this.logY && v <= 0)) { pen = false; continue; }
        point(this.x(epochs[i]), v);
      }
      return;
    }
    let column = -1, first = 0, last = 0, lo = 0, hi = 0, any = false;
    const flush = () => {
      if (!any) return;
      point(column, first);
      if (lo !== first) point(column, lo);
      if (hi !== lo) point(column, hi);
      if (last !== hi) point(column, last);
    };
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (!Number.isFinite(v) || (this.logY && v <= 0)) { flush(); any = false; pen = false; continue; }
      const x = Math.round(this.x(epochs[i]));
      if (x !== column) {
        flush();
        column = x; first = last = lo = hi = v; any = true;
        continue;
      }
      last = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    flush();
  }

  drawReadout(h, n, epochs, cssW) {
    const ctx = this.ctx;
    const o = this.options;
    const target = this.xLo + ((this.hoverX - PAD.left) / this.plotW) * (this.xHi - this.xLo);
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (epochs[mid] < target) lo = mid + 1; else hi = mid; }
    if (lo > 0 && Math.abs(epochs[lo - 1] - target) < Math.abs(epochs[lo] - target)) lo--;
    const x = this.x(epochs[lo]);
    ctx.strokeStyle = 'rgba(0,0,0,0.35)';
    ctx.beginPath(); ctx.moveTo(x, PAD.top); ctx.lineTo(x, PAD.top + this.plotH); ctx.stroke();
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
    ctx.fillRect(bx, PAD.top + 2, width, lines.length * lh + 6);
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(bx, PAD.top + 2, width, lines.length * lh + 6);
    ctx.fillStyle = '#222';
    lines.forEach((line, i) => ctx.fillText(line, bx + 6, PAD.top + 5 + lh / 2 + i * lh));
    const text = lines.join('; ');
    if (!this.readout || this.readout.join('; ') !== text) {
      this.canvas.setAttribute('aria-label', `${this.baseLabel ? this.baseLabel + '. ' : ''}${text}`);
    }
    this.readout = lines;
  }
}
