// Colours: the reference's (green = real, purple = fake, PRGn decision field, pink arrows) and a
// colour-blind-safe alternative (blue = real, orange = fake, Okabe & Ito 2008), each with a 256-entry lookup
// table for the decision field so drawing a field is one table read per cell.

/** ColorBrewer PRGn, index 0 purple (D says fake) … 10 green (D says real). */
const PRGN = [
  [64, 0, 75], [118, 42, 131], [153, 112, 171], [194, 165, 207], [231, 212, 232], [247, 247, 247],
  [217, 240, 211], [166, 219, 160], [90, 174, 97], [27, 120, 55], [0, 68, 27],
];
/** Orange (fake) through neutral grey-white to blue (real): distinguishable with every common colour deficiency. */
const ORANGE_BLUE = [
  [127, 59, 8], [179, 88, 6], [224, 130, 20], [253, 184, 99], [254, 224, 182], [247, 247, 247],
  [209, 229, 240], [146, 197, 222], [67, 147, 195], [33, 102, 172], [5, 48, 97],
];

/** Builds a 256-entry RGBA table (packed for a little-endian Uint32 view of ImageData), lightened by `wash`. */
function fieldTable(stops, wash) {
  const table = new Uint32Array(256);
  const bytes = new Uint8Array(table.buffer);
  for (let q = 0; q < 256; q++) {
    const t = (q / 255) * (stops.length - 1);
    const i = Math.min(Math.floor(t), stops.length - 2);
    const f = t - i;
    for (let k = 0; k < 3; k++) {
      const c = stops[i][k] + f * (stops[i + 1][k] - stops[i][k]);
      bytes[4 * q + k] = Math.round((1 - wash) * c + wash * 255);
    }
    bytes[4 * q + 3] = 255;
  }
  return table;
}

/** Returns the CSS colour of `stops` at p ∈ [0, 1]. */
function cssAt(stops, p) {
  const t = Math.min(Math.max(p, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(t), stops.length - 2);
  const f = t - i;
  const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function makePalette(name, stops, colours) {
  const strong = fieldTable(stops, 0);
  const washed = fieldTable(stops, 0.45);
  // 64 pre-built CSS strings for prediction dots, so drawing them builds no strings.
  const dots = Array.from({ length: 64 }, (_, i) => cssAt(stops, i / 63));
  return {
    name, ...colours,
    /** RGBA table for the big plot's field (lightened so dots stay readable). */
    field: washed,
    /** RGBA table for thumbnails (full strength). */
    fieldStrong: strong,
    /** The 64 prediction colours, index 0 (D says fake) … 63 (D says real). */
    predictionColours: dots,
    /** Colour index 0…63 for a D output p, with the reference's contrast boost 0.5 + 0.5·sign(2p−1)·√|2p−1|. */
    predictionIndex(p) {
      const d = 2 * p - 1;
      const s = 0.5 + 0.5 * Math.sign(d) * Math.sqrt(Math.abs(d));
      return Math.max(0, Math.min(63, Math.round(s * 63)));
    },
  };
}

export const PALETTES = {
  reference: makePalette('reference', PRGN, {
    real: 'rgba(0,136,55,0.8)', realSolid: 'rgb(0,136,55)',
    fake: 'rgba(123,50,148,0.9)', fakeSolid: 'rgb(123,50,148)',
    arrow: 'rgba(196,20,219,0.75)', grid: 'rgba(80,80,80,0.55)',
    manifold: '#7b3294', manifoldLine: 'rgba(160,160,160,0.35)', discriminator: 'rgb(68,124,228)',
    lossD: 'rgb(68,124,228)', lossG: 'rgb(163,62,189)',
  }),
  colourblind: makePalette('colourblind', ORANGE_BLUE, {
    real: 'rgba(0,114,178,0.85)', realSolid: 'rgb(0,114,178)',
    fake: 'rgba(213,94,0,0.9)', fakeSolid: 'rgb(213,94,0)',
    arrow: 'rgba(0,0,0,0.7)', grid: 'rgba(60,60,60,0.6)',
    manifold: '#d55e00', manifoldLine: 'rgba(120,120,120,0.35)', discriminator: 'rgb(0,158,115)',
    lossD: 'rgb(0,114,178)', lossG: 'rgb(213,94,0)',
  }),
};

/** Series colours for charts (Okabe–Ito, safe in both palettes). */
export const SERIES = {
  klRealFake: 'rgb(230,159,0)', klFakeReal: 'rgb(204,121,167)', js: 'rgb(86,180,233)',
  modesMissed: 'rgb(213,94,0)', gGradNorm: 'rgb(0,158,115)',
};
