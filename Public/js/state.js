// What the page knows about one run: the JSON messages of docs/protocol.md §2.2 (hello, state, data,
// history) and the metrics history the charts draw (seeded by `history`, extended by every frame's metrics).
import { Metric } from './protocol.js';

/** Columns of the `history` message and of the charts. */
export const HISTORY_COLUMNS = ['epoch', 'dLoss', 'gLoss', 'gGradNorm', 'klRealFake', 'klFakeReal', 'js', 'jsFloor', 'modesMissed',
  'klRealFakeFloor', 'klFakeRealFloor'];

/**
 * Metrics over epochs in fixed typed columns. When full it keeps every other row and from then on records
 * rows at least twice as far apart, so memory stays bounded and points stay evenly spread.
 */
export class MetricsHistory {
  constructor(capacity = 2048) {
    this.capacity = capacity;
    this.columns = Object.fromEntries(HISTORY_COLUMNS.map((c) => [c, new Float64Array(capacity)]));
    this.count = 0;
    this.minGap = 0;
    this.version = 0;
    /** Per column, the extent of its finite values over the kept rows (kept up to date, so a chart's axes cost
     * nothing per row): least, greatest, and least positive (for log axes); ±Infinity while there are none. */
    this.extents = Object.fromEntries(HISTORY_COLUMNS.map((c) => [c, { min: Infinity, max: -Infinity, positive: Infinity }]));
  }

  /** The column `name` (a Float64Array; read the first `count` values) or undefined. */
  column(name) { return this.columns[name]; }

  /** The extent { min, max, positive } of column `name`'s finite values, or undefined for an unknown column. */
  extent(name) { return this.extents[name]; }

  clear() { this.count = 0; this.minGap = 0; this.version++; this.measure(); }

  /** Recomputes every column's extent from the kept rows. */
  measure() {
    for (const name of HISTORY_COLUMNS) {
      const e = this.extents[name];
      e.min = e.positive = Infinity;
      e.max = -Infinity;
      const col = this.columns[name];
      for (let i = 0; i < this.count; i++) widen(e, col[i]);
    }
  }

  /** Replaces everything with a `history` message's columns and rows (null meaning NaN). */
  replace(columns, rows) {
    this.clear();
    const index = HISTORY_COLUMNS.map((c) => columns.indexOf(c));
    for (const row of rows) {
      this.push((name, i) => {
        const k = index[i];
        const v = k >= 0 ? row[k] : null;
        return v === null || v === undefined ? NaN : Number(v);
      });
    }
  }

  /** Appends a frame's metrics at `epoch` unless the epoch is not newer or too close to the last row. */
  appendFrame(epoch, metrics) {
    if (this.count > 0) {
      const last = this.columns.epoch[this.count - 1];
      if (epoch <= last || epoch - last < this.minGap) return false;
    }
    this.push((name) => (name === 'epoch' ? epoch : metrics[Metric[name]]));
    return true;
  }

  push(valueOf) {
    if (this.count === this.capacity) this.halve();
    HISTORY_COLUMNS.forEach((name, i) => {
      const v = valueOf(name, i);
      this.columns[name][this.count] = v;
      widen(this.extents[name], v);
    });
    this.count++;
    this.version++;
  }

  halve() {
    const keep = this.capacity >> 1;
    for (const name of HISTORY_COLUMNS) {
      const col = this.columns[name];
      for (let i = 0; i < keep; i++) col[i] = col[2 * i + 1];
    }
    this.count = keep;
    const e = this.columns.epoch;
    this.minGap = keep > 1 ? (e[keep - 1] - e[0]) / (keep - 1) : 0;
    this.measure();
  }

  /** The newest value of `name`, or NaN. */
  latest(name) { return this.count ? this.columns[name][this.count - 1] : NaN; }
}

/** Widens extent `e` ({ min, max, positive }) to take in v if it is finite. */
function widen(e, v) {
  if (!Number.isFinite(v)) return;
  if (v < e.min) e.min = v;
  if (v > e.max) e.max = v;
  if (v > 0 && v < e.positive) e.positive = v;
}

/** One run as the page knows it. Fires 'change' events whose `detail` names what changed. */
export class RunModel extends EventTarget {
  constructor(code) {
    super();
    this.code = code;
    this.hello = null;
    this.state = null;
    this.data = null;
    this.real = new Float32Array(0);
    this.realCount = 0;
    this.noise = new Float32Array(0);
    this.noiseCount = 0;
    this.history = new MetricsHistory();
    this.historyGeneration = -1;
    this.role = 'viewer';
    this.viewers = 0;
    this.settingsByKey = new Map();
  }

  get isController() { return this.role === 'controller'; }
  get config() { return this.state ? this.state.config : {}; }

  emit(what) { this.dispatchEvent(new CustomEvent('change', { detail: what })); }

  /** Applies one JSON message from the server (hello, state, data, history). Returns true if it was one. */
  apply(message) {
    switch (message.type) {
      case 'hello':
        this.hello = message;
        this.settingsByKey = new Map((message.settings || []).map((s) => [s.key, s]));
        this.emit('hello');
        return true;
      case 'state':
        this.state = message;
        if (message.role) this.role = message.role;
        if (Number.isFinite(message.viewers)) this.viewers = message.viewers;
        this.emit('state');
        return true;
      case 'data':
        // The wire sends a drawing flat ([x, y, x, y, …], protocol §2.2); the page works with [x, y] pairs, as a
        // create or `data` command takes them.
        if (Array.isArray(message.points) && typeof message.points[0] === 'number') {
          const flat = message.points;
          message.points = Array.from({ length: flat.length >> 1 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
        }
        this.data = message;
        this.real = Float32Array.from(message.real || []);
        this.realCount = this.real.length >> 1;
        this.noise = Float32Array.from(message.noise?.shown || []);
        this.noiseCount = message.noise && message.noise.dimension === 1 ? this.noise.length : this.noise.length >> 1;
        if (message.noise && message.noise.dimension === 1) {
          // 1-D noise is drawn on a horizontal mid-line, as in the reference.
          const line = new Float32Array(2 * this.noise.length);
          for (let i = 0; i < this.noise.length; i++) { line[2 * i] = this.noise[i]; line[2 * i + 1] = 0; }
          this.noise = line;
        }
        this.emit('data');
        return true;
      case 'history':
        this.history.replace(message.columns || [], message.rows || []);
        this.historyGeneration = message.generation;
        this.emit('history');
        return true;
      default:
        return false;
    }
  }

  /** Records a frame's header values and metrics. */
  noteFrame(frame) {
    if (frame.viewers !== this.viewers) { this.viewers = frame.viewers; this.emit('viewers'); }
    if (frame.generation === this.historyGeneration && this.history.appendFrame(frame.epoch, frame.metrics)) {
      this.emit('metrics');
    }
  }

  /** The setting description of `key`, or undefined. */
  setting(key) { return this.settingsByKey.get(key); }

  /** The current preset's entry in hello.presets (or undefined). */
  presetInfo(name = this.data?.preset) {
    return (this.hello?.presets || []).find((p) => p.name === name);
  }
}
