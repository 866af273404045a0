// Draws one run view on a canvas: the discriminator field, then real and fake samples.
// Data coordinates are the square [-1, 1]², y up (docs/engine.md).

/** ColorBrewer PRGn, purple (0: fake) to green (1: real), as in the reference tool. */
const PRGN = [
  [64, 0, 75], [118, 42, 131], [153, 112, 171], [194, 165, 207], [231, 212, 232], [247, 247, 247],
  [217, 240, 211], [166, 219, 160], [90, 174, 97], [27, 120, 55], [0, 68, 27],
];

/** The PRGn colour for p in [0, 1], lightened so the sample dots stay readable on top. */
export function fieldColor(p) {
  const t = Math.min(Math.max(p, 0), 1) * (PRGN.length - 1);
  const i = Math.min(Math.floor(t), PRGN.length - 2);
  const f = t - i;
  return PRGN[i].map((c, k) => Math.round(0.55 * (c + f * (PRGN[i + 1][k] - c)) + 0.45 * 255));
}

function drawField(ctx, size, field) {
  const n = field.resolution;
  const image = ctx.createImageData(n, n);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      // field.values is row-major with the top row (y near 1) first, like the image.
      const [r, g, b] = fieldColor(field.values[row * n + col]);
      const o = (row * n + col) * 4;
      image.data[o] = r; image.data[o + 1] = g; image.data[o + 2] = b; image.data[o + 3] = 255;
    }
  }
  const scratch = new OffscreenCanvas(n, n);
  scratch.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, size, size);
}

function drawPoints(ctx, size, points, color) {
  ctx.fillStyle = color;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = (points[i] + 1) * 0.5 * size;
    const y = (1 - points[i + 1]) * 0.5 * size;
    ctx.beginPath();
    ctx.arc(x, y, 2.2, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Draws `run` (the /api/run JSON) on `canvas`. */
export function drawView(canvas, run) {
  const ctx = canvas.getContext('2d');
  const size = canvas.width;
  ctx.clearRect(0, 0, size, size);
  if (run.field) drawField(ctx, size, run.field);
  drawPoints(ctx, size, run.real, 'rgba(0, 136, 55, 0.75)');
  drawPoints(ctx, size, run.fake, 'rgba(123, 50, 148, 0.85)');
}
