// Decodes the binary frames of the live-lab protocol. The byte layout is docs/protocol.md §3 (header §3.1,
// sections §3.2); this file follows that table and does not restate it. Decoding writes into typed arrays
// that are allocated once and grown only when a frame carries more items than ever before, so a steady
// stream of frames allocates no big arrays.

/** Section ids of docs/protocol.md §3.2. */
export const Section = Object.freeze({
  fakes: 1, arrows: 2, dgrad: 3, field: 4, grid: 5, gridDgrad: 6, manifold: 7, metrics: 8, modes: 9, predictions: 10,
});

/** Metric slots of section 8, in wire order. */
export const METRIC_NAMES = Object.freeze([
  'dLoss', 'gLoss', 'gGradNorm', 'klRealFake', 'klFakeReal', 'js', 'jsFloor', 'klRealFakeFloor', 'klFakeRealFloor',
  'fractionOutside', 'modesMissed', 'modeCount', 'fractionOffModes',
]);
/** Index of each metric in `Frame.metrics`. */
export const Metric = Object.freeze(Object.fromEntries(METRIC_NAMES.map((name, i) => [name, i])));

/** Frame states of the header's `state` byte. */
export const FrameState = Object.freeze({ paused: 0, playing: 1, slowmo: 2, failed: 3 });

export const PROTOCOL_VERSION = 1;
const MAGIC = [0x47, 0x4c, 0x41, 0x42]; // "GLAB"
const HEADER_BYTES = 48;
const COORDINATE = 1 / 16384;
const PROBABILITY = 1 / 255;
const DENSITY = 1 / 16;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A frame that could not be decoded; `message` says why. */
export class FrameError extends Error {}

/** A growable Float32Array: `ensure(n)` keeps the storage when it is big enough. */
function ensure(array, length) {
  if (array.length >= length) return array;
  let capacity = Math.max(16, array.length);
  while (capacity < length) capacity *= 2;
  return new Float32Array(capacity);
}

/** One decoded frame. Arrays may be longer than their counts; read only the first `count` items. */
export class Frame {
  constructor() {
    this.epoch = 0; this.time = 0; this.sequence = 0; this.generation = 0; this.viewers = 0;
    this.epochsPerSecond = 0; this.state = 0; this.subStep = 0;
    /** Bit i set when section id i was present. */
    this.present = 0;
    this.fakeCount = 0; this.fakes = new Float32Array(0);           // x, y pairs
    this.arrowCount = 0; this.arrows = new Float32Array(0);         // dx, dy pairs (data units)
    this.dgradCount = 0; this.dgrad = new Float32Array(0);
    this.fieldResolution = 0; this.field = new Float32Array(0);     // probabilities, top row first
    this.gridResolution = 0; this.grid = new Float32Array(0);       // dx, dy pairs, top row first
    this.gridDgradResolution = 0; this.gridDgrad = new Float32Array(0);
    this.manifoldDimension = 0; this.manifoldCells = 0;
    this.manifoldPointCount = 0; this.manifoldPoints = new Float32Array(0);
    this.manifoldDensityCount = 0; this.manifoldDensities = new Float32Array(0);
    this.metrics = new Float64Array(METRIC_NAMES.length).fill(NaN);
    this.modeCount = 0; this.modes = new Float32Array(0);
    this.predictedFakeCount = 0; this.predictedRealCount = 0;
    this.predictedFakes = new Float32Array(0); this.predictedReal = new Float32Array(0);
  }

  /** Whether section `id` (see `Section`) came with this frame. */
  has(id) { return (this.present & (1 << id)) !== 0; }
}

/**
 * Decodes ArrayBuffers into `Frame`s. Keeps its own frame objects: `decode` returns one of them, valid until
 * the call after next (so a caller can hold the previous frame while the next is decoded).
 */
export class FrameDecoder {
  constructor() {
    this.frames = [new Frame(), new Frame()];
    this.next = 0;
  }

  /** Decodes `buffer` (an ArrayBuffer holding one binary message). Throws `FrameError` on a bad frame. */
  decode(buffer) {
    const frame = this.frames[this.next];
    decodeInto(buffer, frame);
    this.next = 1 - this.next;
    return frame;
  }
}

/** Decodes `buffer` into `frame` (reusing its arrays). Throws `FrameError`. */
export function decodeInto(buffer, frame) {
  const total = buffer.byteLength;
  if (total < HEADER_BYTES) throw new FrameError(`frame of ${total} bytes is shorter than its header`);
  const view = new DataView(buffer);
  for (let i = 0; i < 4; i++) {
    if (view.getUint8(i) !== MAGIC[i]) throw new FrameError('not a ganlab frame (bad magic)');
  }
  const version = view.getUint16(4, true);
  if (version !== PROTOCOL_VERSION) throw new FrameError(`frame version ${version}, this page knows ${PROTOCOL_VERSION}`);
  const headerBytes = view.getUint16(6, true);
  frame.epoch = view.getUint32(8, true) + view.getUint32(12, true) * 4294967296;
  frame.time = view.getFloat64(16, true);
  frame.sequence = view.getUint32(24, true);
  frame.generation = view.getUint32(28, true);
  frame.viewers = view.getUint32(32, true);
  frame.epochsPerSecond = view.getFloat32(36, true);
  frame.state = view.getUint8(40);
  frame.subStep = view.getUint8(41);
  const sectionCount = view.getUint16(42, true);
  if (headerBytes < HEADER_BYTES || headerBytes + 12 * sectionCount > total) {
    throw new FrameError('section table runs past the end of the frame');
  }
  frame.present = 0;
  frame.metrics.fill(NaN);
  for (let s = 0; s < sectionCount; s++) {
    const entry = headerBytes + 12 * s;
    const id = view.getUint16(entry, true);
    const offset = view.getUint32(entry + 4, true);
    const length = view.getUint32(entry + 8, true);
    if (offset % 4 !== 0 || offset + length > total) throw new FrameError(`section ${id} lies outside the frame`);
    if (decodeSection(view, buffer, id, offset, length, frame)) frame.present |= 1 << id;
  }
  return frame;
}

/** Throws unless `need` bytes fit in a section of `length` bytes. */
function fits(id, need, length) {
  if (need > length) throw new FrameError(`section ${id} is ${length} bytes, needs ${need}`);
}

/** Reads `count` i16 coordinate pairs at `offset` into `out` (Float32Array of at least 2·count). */
function readCoordinates(view, buffer, offset, count, out) {
  if (LITTLE_ENDIAN_HOST && offset % 2 === 0) {
    const q = new Int16Array(buffer, offset, 2 * count);
    for (let i = 0; i < 2 * count; i++) out[i] = q[i] * COORDINATE;
  } else {
    for (let i = 0; i < 2 * count; i++) out[i] = view.getInt16(offset + 2 * i, true) * COORDINATE;
  }
}

/** Reads `count` i8 vector pairs with `scale` at `offset` into `out`. */
function readVectors(buffer, offset, count, scale, out) {
  const q = new Int8Array(buffer, offset, 2 * count);
  const unit = scale / 127;
  for (let i = 0; i < 2 * count; i++) out[i] = q[i] * unit;
}

/** Reads `count` u8 quantities at `offset` times `unit` into `out`. */
function readBytes(buffer, offset, count, unit, out) {
  const q = new Uint8Array(buffer, offset, count);
  for (let i = 0; i < count; i++) out[i] = q[i] * unit;
}

/** Decodes one section; returns false for ids this page does not know (skipped, §3). */
function decodeSection(view, buffer, id, offset, length, frame) {
  switch (id) {
    case Section.fakes: {
      fits(id, 4, length);
      const n = view.getUint32(offset, true);
      fits(id, 4 + 4 * n, length);
      frame.fakes = ensure(frame.fakes, 2 * n);
      readCoordinates(view, buffer, offset + 4, n, frame.fakes);
      frame.fakeCount = n;
      return true;
    }
    case Section.arrows:
    case Section.dgrad: {
      fits(id, 8, length);
      const n = view.getUint32(offset, true);
      const scale = view.getFloat32(offset + 4, true);
      fits(id, 8 + 2 * n, length);
      const key = id === Section.arrows ? 'arrows' : 'dgrad';
      frame[key] = ensure(frame[key], 2 * n);
      readVectors(buffer, offset + 8, n, scale, frame[key]);
      if (id === Section.arrows) frame.arrowCount = n; else frame.dgradCount = n;
      return true;
    }
    case Section.field: {
      fits(id, 4, length);
      const r = view.getUint16(offset, true);
      fits(id, 4 + r * r, length);
      frame.field = ensure(frame.field, r * r);
      readBytes(buffer, offset + 4, r * r, PROBABILITY, frame.field);
      frame.fieldResolution = r;
      return true;
    }
    case Section.grid:
    case Section.gridDgrad: {
      fits(id, 8, length);
      const s = view.getUint16(offset, true);
      const scale = view.getFloat32(offset + 4, true);
      fits(id, 8 + 2 * s * s, length);
      const key = id === Section.grid ? 'grid' : 'gridDgrad';
      frame[key] = ensure(frame[key], 2 * s * s);
      readVectors(buffer, offset + 8, s * s, scale, frame[key]);
      frame[key + 'Resolution'] = s;
      return true;
    }
    case Section.manifold: {
      fits(id, 12, length);
      const dimension = view.getUint8(offset);
      const cells = view.getUint16(offset + 2, true);
      const p = view.getUint32(offset + 4, true);
      const k = view.getUint32(offset + 8, true);
      fits(id, 12 + 4 * p + k, length);
      frame.manifoldPoints = ensure(frame.manifoldPoints, 2 * p);
      readCoordinates(view, buffer, offset + 12, p, frame.manifoldPoints);
      frame.manifoldDensities = ensure(frame.manifoldDensities, k);
      readBytes(buffer, offset + 12 + 4 * p, k, DENSITY, frame.manifoldDensities);
      frame.manifoldDimension = dimension;
      frame.manifoldCells = cells;
      frame.manifoldPointCount = p;
      frame.manifoldDensityCount = k;
      return true;
    }
    case Section.metrics: {
      fits(id, 4, length);
      const c = view.getUint16(offset, true);
      fits(id, 4 + 4 * c, length);
      const known = Math.min(c, METRIC_NAMES.length);
      for (let i = 0; i < known; i++) frame.metrics[i] = view.getFloat32(offset + 4 + 4 * i, true);
      return true;
    }
    case Section.modes: {
      fits(id, 4, length);
      const k = view.getUint16(offset, true);
      fits(id, 4 + k, length);
      frame.modes = ensure(frame.modes, k);
      readBytes(buffer, offset + 4, k, PROBABILITY, frame.modes);
      frame.modeCount = k;
      return true;
    }
    case Section.predictions: {
      fits(id, 8, length);
      const f = view.getUint32(offset, true);
      const r = view.getUint32(offset + 4, true);
      fits(id, 8 + f + r, length);
      frame.predictedFakes = ensure(frame.predictedFakes, f);
      frame.predictedReal = ensure(frame.predictedReal, r);
      readBytes(buffer, offset + 8, f, PROBABILITY, frame.predictedFakes);
      readBytes(buffer, offset + 8 + f, r, PROBABILITY, frame.predictedReal);
      frame.predictedFakeCount = f;
      frame.predictedRealCount = r;
      return true;
    }
    default:
      return false;
  }
}
