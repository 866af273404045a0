// QR Code encoder (ISO/IEC 18004:2015), byte mode, versions 1–40, error-correction levels L/M/Q/H, mask chosen
// by the standard's penalty rules (§7.8.3). Written for the "present" screen's join link, so the page needs no
// outside library. Section numbers below are the standard's.

/** Error-correction levels: [format-bits value (§7.9.1, table 12)]. */
export const ECC = Object.freeze({ L: 1, M: 0, Q: 3, H: 2 });
const ECC_INDEX = { L: 0, M: 1, Q: 2, H: 3 };

// Table 9: error-correction codewords per block and number of blocks, per level (L, M, Q, H) and version.
const ECC_PER_BLOCK = [
  [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];
const BLOCKS = [
  [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

// GF(2⁸) with the primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), §7.5.2.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x; LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
const mul = (a, b) => (a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]]);

/** Generator polynomial of degree n (Annex A): coefficients after the leading 1, highest degree first. */
export function generatorPolynomial(n) {
  const poly = new Uint8Array(n);
  poly[n - 1] = 1;
  let root = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      poly[j] = mul(poly[j], root);
      if (j + 1 < n) poly[j] ^= poly[j + 1];
    }
    root = mul(root, 2);
  }
  return poly;
}

/** Reed–Solomon error-correction codewords of `data` (§7.5.2): the remainder of data·xⁿ by the generator. */
export function reedSolomon(data, n) {
  const gen = generatorPolynomial(n);
  const rem = new Uint8Array(n);
  for (const byte of data) {
    const factor = byte ^ rem[0];
    rem.copyWithin(0, 1);
    rem[n - 1] = 0;
    for (let i = 0; i < n; i++) rem[i] ^= mul(gen[i], factor);
  }
  return rem;
}

/** Codewords (data + error correction) a version holds (§7.1, table 1). */
function rawCodewords(version) {
  let bits = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    bits -= (25 * align - 10) * align - 55;
    if (version >= 7) bits -= 36;
  }
  return Math.floor(bits / 8);
}

/** Data codewords of a version at a level. */
export function dataCodewords(version, level) {
  const e = ECC_INDEX[level];
  return rawCodewords(version) - ECC_PER_BLOCK[e][version] * BLOCKS[e][version];
}

/** Centre coordinates of the alignment patterns (§6.3.6, Annex E). */
function alignmentPositions(version) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const result = [6];
  for (let pos = version * 4 + 10; result.length < count; pos -= step) result.splice(1, 0, pos);
  return result;
}

/** The data bit stream in byte mode (§7.4.5) padded to the capacity (§7.4.9–10). */
function dataBits(bytes, version, level) {
  const bits = [];
  const put = (value, length) => { for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  put(0b0100, 4);
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacity = dataCodewords(version, level) * 8;
  put(0, Math.min(4, capacity - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8);
  const codewords = new Uint8Array(bits.length / 8);
  for (let i = 0; i < bits.length; i++) codewords[i >> 3] |= bits[i] << (7 - (i & 7));
  return codewords;
}

/** Splits data into blocks, adds each block's error correction and interleaves them (§7.6). */
function interleave(data, version, level) {
  const e = ECC_INDEX[level];
  const blockCount = BLOCKS[e][version];
  const eccLength = ECC_PER_BLOCK[e][version];
  const raw = rawCodewords(version);
  const shortBlocks = blockCount - (raw % blockCount);
  const shortLength = Math.floor(raw / blockCount) - eccLength;
  const blocks = [];
  for (let i = 0, k = 0; i < blockCount; i++) {
    const length = shortLength + (i < shortBlocks ? 0 : 1);
    const part = data.slice(k, k + length);
    k += length;
    blocks.push({ data: part, ecc: reedSolomon(part, eccLength) });
  }
  const out = [];
  for (let i = 0; i <= shortLength; i++) {
    for (const b of blocks) if (i < b.data.length) out.push(b.data[i]);
  }
  for (let i = 0; i < eccLength; i++) for (const b of blocks) out.push(b.ecc[i]);
  return out;
}

/** Mask conditions (§7.8.2, table 10); x is the column, y the row. */
const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** A QR symbol: `size`×`size` modules, `modules[y*size+x]` 1 for dark. */
class Symbol {
  constructor(version) {
    this.version = version;
    this.size = version * 4 + 17;
    this.modules = new Uint8Array(this.size * this.size);
    this.isFunction = new Uint8Array(this.size * this.size);
  }

  get(x, y) { return this.modules[y * this.size + x]; }
  set(x, y, dark, isFunction = true) {
    this.modules[y * this.size + x] = dark ? 1 : 0;
    if (isFunction) this.isFunction[y * this.size + x] = 1;
  }

  /** Finder, separator, timing and alignment patterns, and reserved format/version areas (§6.3). */
  drawFunctionPatterns() {
    const n = this.size;
    for (let i = 0; i < n; i++) { this.set(6, i, i % 2 === 0); this.set(i, 6, i % 2 === 0); }
    for (const [cx, cy] of [[3, 3], [n - 4, 3], [3, n - 4]]) {
      for (let dy = -4; dy <= 4; dy++) {
        for (let dx = -4; dx <= 4; dx++) {
          const x = cx + dx, y = cy + dy;
          if (x < 0 || y < 0 || x >= n || y >= n) continue;
          const d = Math.max(Math.abs(dx), Math.abs(dy));
          this.set(x, y, d !== 2 && d !== 4);
        }
      }
    }
    const align = alignmentPositions(this.version);
    const last = align.length - 1;
    align.forEach((ax, i) => align.forEach((ay, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) this.set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }));
    this.drawFormat(0, 'L');
    this.drawVersion();
  }

  /** Format information: 5 bits (level, mask) with BCH(15,5) and the 0x5412 mask (§7.9). */
  drawFormat(mask, level) {
    const data = (ECC[level] << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i) => ((bits >>> i) & 1) === 1;
    const n = this.size;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(n - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, n - 15 + i, bit(i));
    this.set(8, n - 8, true); // the dark module
  }

  /** Version information for versions 7 and up: BCH(18,6) (§7.10). */
  drawVersion() {
    if (this.version < 7) return;
    let rem = this.version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (this.version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = this.size - 11 + (i % 3), b = Math.floor(i / 3);
      this.set(a, b, dark);
      this.set(b, a, dark);
    }
  }

  /** Places the codewords in the two-column zigzag from the bottom right (§7.7.3). */
  drawCodewords(codewords) {
    const n = this.size;
    let i = 0;
    for (let right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (let vert = 0; vert < n; vert++) {
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? n - 1 - vert : vert;
          if (this.isFunction[y * n + x]) continue;
          if (i < codewords.length * 8) {
            this.modules[y * n + x] = (codewords[i >>> 3] >>> (7 - (i & 7))) & 1;
            i++;
          }
        }
      }
    }
  }

  /** XORs mask `k` over the non-function modules (applying it twice undoes it). */
  applyMask(k) {
    const n = this.size, test = MASKS[k];
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (!this.isFunction[y * n + x] && test(x, y)) this.modules[y * n + x] ^= 1;
      }
    }
  }

  /** Penalty score of §7.8.3 (rules N1 = 3, N2 = 3, N3 = 40, N4 = 10). */
  penalty() {
    const n = this.size, m = this.modules;
    let score = 0;
    const line = new Uint8Array(n);
    for (let pass = 0; pass < 2; pass++) {
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) line[b] = pass === 0 ? m[a * n + b] : m[b * n + a];
        let run = 1;
        for (let b = 1; b <= n; b++) {
          if (b < n && line[b] === line[b - 1]) { run++; continue; }
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
        // 1:1:3:1:1 finder-like pattern with four light modules on one side (outside the symbol is light).
        const at = (b) => (b < 0 || b >= n ? 0 : line[b]);
        for (let b = -4; b < n; b++) {
          if (at(b) && !at(b + 1) && at(b + 2) && at(b + 3) && at(b + 4) && !at(b + 5) && at(b + 6)) {
            const before = !at(b - 1) && !at(b - 2) && !at(b - 3) && !at(b - 4);
            const after = !at(b + 7) && !at(b + 8) && !at(b + 9) && !at(b + 10);
            if (before) score += 40;
            if (after) score += 40;
          }
        }
      }
    }
    for (let y = 0; y < n - 1; y++) {
      for (let x = 0; x < n - 1; x++) {
        const c = m[y * n + x];
        if (c === m[y * n + x + 1] && c === m[(y + 1) * n + x] && c === m[(y + 1) * n + x + 1]) score += 3;
      }
    }
    let dark = 0;
    for (let i = 0; i < m.length; i++) dark += m[i];
    score += 10 * Math.max(0, Math.ceil(Math.abs(dark * 20 - m.length * 10) / m.length) - 1);
    return score;
  }
}

/**
 * Encodes `text` (UTF-8, byte mode). `options`: level ('M'), minVersion (1), maxVersion (40), mask (-1: best),
 * boostLevel (true: use a higher level when it fits in the same version). Returns { version, level, mask,
 * size, modules } or throws when the text does not fit.
 */
export function encodeQR(text, options = {}) {
  const bytes = new TextEncoder().encode(text);
  let level = options.level || 'M';
  const minVersion = options.minVersion || 1, maxVersion = options.maxVersion || 40;
  let version = minVersion;
  const needBits = (v) => 4 + (v <= 9 ? 8 : 16) + 8 * bytes.length;
  while (version <= maxVersion && needBits(version) > dataCodewords(version, level) * 8) version++;
  if (version > maxVersion) throw new Error(`text of ${bytes.length} bytes does not fit in a QR code up to version ${maxVersion}`);
  if (options.boostLevel !== false) {
    for (const higher of ['M', 'Q', 'H']) {
      if (ECC_INDEX[higher] > ECC_INDEX[level] && needBits(version) <= dataCodewords(version, higher) * 8) level = higher;
    }
  }
  const symbol = new Symbol(version);
  symbol.drawFunctionPatterns();
  symbol.drawCodewords(interleave(dataBits(bytes, version, level), version, level));
  let mask = Number.isInteger(options.mask) && options.mask >= 0 ? options.mask : -1;
  if (mask < 0) {
    let best = Infinity;
    for (let k = 0; k < 8; k++) {
      symbol.applyMask(k);
      symbol.drawFormat(k, level);
      const score = symbol.penalty();
      if (score < best) { best = score; mask = k; }
      symbol.applyMask(k);
    }
  }
  symbol.applyMask(mask);
  symbol.drawFormat(mask, level);
  return { version, level, mask, size: symbol.size, modules: symbol.modules };
}

/** Draws a QR result on a canvas context at (x, y), `scale` pixels per module, with the 4-module quiet zone. */
export function drawQR(ctx, qr, x, y, scale) {
  const quiet = 4;
  ctx.fillStyle = '#fff';
  ctx.fillRect(x, y, (qr.size + 2 * quiet) * scale, (qr.size + 2 * quiet) * scale);
  ctx.fillStyle = '#000';
  for (let row = 0; row < qr.size; row++) {
    for (let col = 0; col < qr.size; col++) {
      if (qr.modules[row * qr.size + col]) ctx.fillRect(x + (col + quiet) * scale, y + (row + quiet) * scale, scale, scale);
    }
  }
}
