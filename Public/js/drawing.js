// Drawing your own distribution on the plot with mouse, touch or pen (Pointer Events). The brush lays points
// at even spacing along the stroke (so density follows the brush, not how fast the pointer moves), each with
// the chosen weight; erase removes points under the brush. Coordinates are the data square [-1, 1]².

export class DrawingTool extends EventTarget {
  constructor(canvas, plot, maxPoints = 20000) {
    super();
    this.canvas = canvas;
    this.plot = plot;
    this.maxPoints = maxPoints;
    this.ctx = canvas.getContext('2d');
    this.xs = [];
    this.ys = [];
    this.ws = [];
    this.brush = 0.06;   // radius in data units
    this.density = 3;    // weight of each point laid
    this.mode = 'draw';
    this.active = null;  // pointerId of the stroke in progress
    this.last = null;
    this.carry = 0;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
  }

  get count() { return this.xs.length; }

  /** Replaces the drawing (e.g. with the run's current drawing or an imported file). */
  load(points, weights) {
    this.xs = points.map((p) => p[0]);
    this.ys = points.map((p) => p[1]);
    this.ws = weights ? weights.slice() : points.map(() => 1);
    this.render();
    this.changed();
  }

  clear() { this.xs = []; this.ys = []; this.ws = []; this.render(); this.changed(); }

  points() { return this.xs.map((x, i) => [Number(x.toFixed(4)), Number(this.ys[i].toFixed(4))]); }
  weights() { return this.ws.slice(); }

  changed() { this.dispatchEvent(new Event('change')); }

  position(e) {
    const rect = this.canvas.getBoundingClientRect();
    return [((e.clientX - rect.left) / rect.width) * 2 - 1, 1 - ((e.clientY - rect.top) / rect.height) * 2];
  }

  down(e) {
    if (this.active !== null) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.active = e.pointerId;
    const p = this.position(e);
    this.last = p;
    this.carry = 0;
    this.dab(p[0], p[1], e.pressure);
  }

  move(e) {
    if (e.pointerId !== this.active) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) this.strokeTo(this.position(ev), ev.pressure);
    this.render();
  }

  up(e) {
    if (e.pointerId !== this.active) return;
    this.active = null;
    this.last = null;
    this.render();
    this.changed();
  }

  /** Lays dabs every half brush radius along the segment from the last position to `p`. */
  strokeTo(p, pressure) {
    const spacing = this.brush * 0.5;
    const [x0, y0] = this.last;
    const length = Math.hypot(p[0] - x0, p[1] - y0);
    let t = spacing - this.carry;
    while (t <= length) {
      const f = t / length;
      this.dab(x0 + (p[0] - x0) * f, y0 + (p[1] - y0) * f, pressure);
      t += spacing;
    }
    this.carry = length - (t - spacing);
    this.last = p;
  }

  /** One brush dab: a few points spread over the brush disc, or erasing under it. */
  dab(x, y, pressure) {
    if (this.mode === 'erase') {
      const r2 = this.brush * this.brush;
      for (let i = this.xs.length - 1; i >= 0; i--) {
        if ((this.xs[i] - x) ** 2 + (this.ys[i] - y) ** 2 <= r2) {
          this.xs.splice(i, 1); this.ys.splice(i, 1); this.ws.splice(i, 1);
        }
      }
      return;
    }
    const n = 3;
    const weight = this.density * (pressure > 0 && pressure !== 0.5 ? 0.5 + pressure : 1);
    for (let k = 0; k < n && this.xs.length < this.maxPoints; k++) {
      const a = Math.random() * 2 * Math.PI, r = this.brush * Math.sqrt(Math.random());
      const px = Math.min(1, Math.max(-1, x + r * Math.cos(a))), py = Math.min(1, Math.max(-1, y + r * Math.sin(a)));
      this.xs.push(px); this.ys.push(py); this.ws.push(Number(weight.toFixed(2)));
    }
    if (this.xs.length >= this.maxPoints) this.dispatchEvent(new Event('full'));
  }

  /** Draws the drawing over the plot (a veil so the strokes stand out). */
  render() {
    const canvas = this.canvas;
    const css = canvas.clientWidth || 1;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    if (canvas.width !== Math.round(css * dpr)) { canvas.width = Math.round(css * dpr); canvas.height = canvas.width; }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, css, css);
    ctx.fillStyle = 'rgba(255,255,255,0.6)';
    ctx.fillRect(0, 0, css, css);
    ctx.fillStyle = getComputedStyle(document.body).getPropertyValue('--real') || 'green';
    ctx.globalAlpha = 0.7;
    ctx.beginPath();
    for (let i = 0; i < this.xs.length; i++) {
      const px = (this.xs[i] + 1) * 0.5 * css, py = (1 - this.ys[i]) * 0.5 * css;
      ctx.rect(px - 1.5, py - 1.5, 3, 3);
    }
    ctx.fill();
    ctx.globalAlpha = 1;
    if (!this.xs.length) {
      ctx.fillStyle = '#333';
      ctx.font = '15px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('Draw where the real samples should be', css / 2, css / 2);
      ctx.textAlign = 'left';
    }
  }
}
