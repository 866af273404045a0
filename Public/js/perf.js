// Main-thread drawing time, measured with performance.now() around each draw; reported, never asserted.

export class DrawTimer {
  constructor(capacity = 600) {
    this.samples = new Float64Array(capacity);
    this.count = 0;
    this.next = 0;
  }

  record(ms) {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
  }

  /** { count, mean, min, p5, median, p95, max } in milliseconds over the kept samples (p5 ≈ the cost when nothing
   * else took the CPU mid-draw, on a shared machine). */
  summary() {
    const values = Array.from(this.samples.subarray(0, this.count)).sort((a, b) => a - b);
    const at = (q) => (values.length ? values[Math.min(values.length - 1, Math.floor(q * values.length))] : NaN);
    const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
    return { count: values.length, mean, min: values.length ? values[0] : NaN, p5: at(0.05), median: at(0.5), p95: at(0.95),
      max: values.length ? values[values.length - 1] : NaN };
  }
}
