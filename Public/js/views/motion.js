// Smooth motion between frames: every animation frame shows a blend of the picture on screen when the newest
// frame arrived and that newest frame, so motion stays fluid at 60 fps whatever the server's frame rate, with no
// frame queue (a frame that arrives mid-blend starts a new blend from what is on screen). Never blends across a
// generation change (docs/protocol.md, "Words") or when a layer's size changes: those snap.
import { Frame } from '../protocol.js';

/** Per interpolated array: [array key, function giving its used length]. */
const BLENDED = [
  ['fakes', (f) => 2 * f.fakeCount, 'fakeCount', 1],
  ['arrows', (f) => 2 * f.arrowCount, 'arrowCount', 2],
  ['dgrad', (f) => 2 * f.dgradCount, 'dgradCount', 3],
  ['field', (f) => f.fieldResolution * f.fieldResolution, 'fieldResolution', 4],
  ['grid', (f) => 2 * f.gridResolution * f.gridResolution, 'gridResolution', 5],
  ['gridDgrad', (f) => 2 * f.gridDgradResolution * f.gridDgradResolution, 'gridDgradResolution', 6],
  ['manifoldPoints', (f) => 2 * f.manifoldPointCount, 'manifoldPointCount', 7],
  ['manifoldDensities', (f) => f.manifoldDensityCount, 'manifoldDensityCount', 7],
  ['modes', (f) => f.modeCount, 'modeCount', 9],
  ['predictedFakes', (f) => f.predictedFakeCount, 'predictedFakeCount', 10],
  ['predictedReal', (f) => f.predictedRealCount, 'predictedRealCount', 10],
];
const SCALARS = ['time', 'sequence', 'generation', 'viewers', 'epochsPerSecond', 'state', 'subStep', 'present',
  'manifoldDimension', 'manifoldCells'];
const COUNTS = BLENDED.map((entry) => entry[2]);

/** Copies `source`'s header, counts, metrics and arrays into `target`, growing target arrays only when needed. */
export function copyFrame(source, target) {
  for (const key of SCALARS) target[key] = source[key];
  for (const key of COUNTS) target[key] = source[key];
  target.epoch = source.epoch;
  target.metrics.set(source.metrics);
  for (const [key, used] of BLENDED) {
    const n = used(source);
    if (target[key].length < n) target[key] = new Float32Array(source[key].length);
    target[key].set(source[key].subarray(0, n));
  }
}

/** Blends frames for display. `shown` is what views draw. */
export class Motion {
  constructor() {
    this.from = new Frame();
    this.to = new Frame();
    this.shown = new Frame();
    this.hasFrame = false;
    this.startedAt = 0;
    this.duration = 0;
    /** Smoothed time between frame arrivals (ms): the length of each blend. */
    this.interval = 100;
    this.lastArrival = 0;
    this.epochFrom = 0;
  }

  /** Takes a freshly decoded frame (copied: the decoder may reuse it) that arrived at `now` (ms). */
  push(frame, now) {
    const snap = !this.hasFrame || frame.generation !== this.to.generation;
    if (this.lastArrival > 0) {
      const gap = Math.min(Math.max(now - this.lastArrival, 16), 2000);
      this.interval = 0.7 * this.interval + 0.3 * gap;
    }
    this.lastArrival = now;
    if (snap) {
      copyFrame(frame, this.to);
      copyFrame(frame, this.from);
      copyFrame(frame, this.shown);
      this.epochFrom = frame.epoch;
      this.hasFrame = true;
      this.duration = 0;
      return;
    }
    copyFrame(this.shown, this.from);
    this.epochFrom = this.shown.epoch;
    copyFrame(frame, this.to);
    this.startedAt = now;
    this.duration = Math.min(this.interval, 1500);
  }

  /** Drops the frames (a new run or a new generation announced by JSON before its first frame). */
  clear() { this.hasFrame = false; }

  /** Whether a blend is still under way at `now`. */
  isMoving(now) { return this.hasFrame && this.duration > 0 && now - this.startedAt < this.duration; }

  /** Updates and returns `shown` for time `now` (ms), or null before the first frame. */
  update(now) {
    if (!this.hasFrame) return null;
    const t = this.duration > 0 ? Math.min(Math.max((now - this.startedAt) / this.duration, 0), 1) : 1;
    const from = this.from, to = this.to, shown = this.shown;
    for (const key of SCALARS) shown[key] = to[key];
    shown.metrics.set(to.metrics);
    shown.epoch = t >= 1 ? to.epoch : Math.round(this.epochFrom + (to.epoch - this.epochFrom) * t);
    for (const [key, used, countKey, section] of BLENDED) {
      const n = used(to);
      shown[countKey] = to[countKey];
      if (shown[key].length < n) shown[key] = new Float32Array(to[key].length);
      const a = from[key], b = to[key], out = shown[key];
      const blend = t < 1 && from[countKey] === to[countKey] && from.has(section) && to.has(section);
      if (!blend) { out.set(b.subarray(0, n)); continue; }
      for (let i = 0; i < n; i++) out[i] = a[i] + (b[i] - a[i]) * t;
    }
    return shown;
  }
}
