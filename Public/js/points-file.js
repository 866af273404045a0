// Reading and writing a point set as CSV (x,y[,weight] per line, optional header) or JSON ([[x,y],…],
// [{x,y},…] or {"points":[[x,y],…],"weights":[…]}). Every problem is a sentence naming the line or item.

export class PointsFileError extends Error {}

/** Parses `text` (from a file called `name`); returns { points: [[x,y],…], weights: [w,…] | null }. */
export function parsePoints(text, name = '', maxPoints = 20000) {
  const trimmed = text.trim();
  if (!trimmed) throw new PointsFileError('The file is empty.');
  const looksJSON = /\.json$/i.test(name) || trimmed.startsWith('[') || trimmed.startsWith('{');
  const result = looksJSON ? parseJSON(trimmed) : parseCSV(trimmed);
  if (!result.points.length) throw new PointsFileError('The file has no points in it.');
  if (result.points.length > maxPoints) {
    throw new PointsFileError(`The file has ${result.points.length.toLocaleString('en-US')} points; the lab takes at most ${maxPoints.toLocaleString('en-US')}.`);
  }
  if (result.weights && !result.weights.some((w) => w > 0)) throw new PointsFileError('Every weight is 0: at least one point needs a positive weight.');
  return result;
}

function check(where, x, y, w) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new PointsFileError(`${where}: expected two numbers x, y.`);
  for (const [axis, v] of [['x', x], ['y', y]]) {
    if (v < -1 || v > 1) throw new PointsFileError(`${where}: ${axis} = ${v} is outside the plot; points must lie between −1 and 1.`);
  }
  if (w !== undefined && (!Number.isFinite(w) || w < 0)) throw new PointsFileError(`${where}: the weight must be a number of 0 or more.`);
}

function parseCSV(text) {
  const points = [];
  const weights = [];
  let weighted = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = line.split(/[,;\t ]+/).filter(Boolean);
    const numbers = cells.map(Number);
    if (points.length === 0 && numbers.every((n) => !Number.isFinite(n))) return; // a header row such as "x,y"
    const where = `Line ${i + 1}`;
    if (cells.length < 2 || cells.length > 3) {
      throw new PointsFileError(`${where}: expected "x,y" or "x,y,weight", found "${line.slice(0, 40)}".`);
    }
    const [x, y, w] = numbers;
    check(where, x, y, cells.length === 3 ? w : undefined);
    points.push([x, y]);
    if (cells.length === 3) weighted = true;
    weights.push(cells.length === 3 ? w : 1);
  });
  return { points, weights: weighted ? weights : null };
}

function parseJSON(text) {
  let value;
  try { value = JSON.parse(text); } catch (error) { throw new PointsFileError(`This is not valid JSON (${error.message}).`); }
  let list = value, weights = null;
  if (value && !Array.isArray(value) && typeof value === 'object') {
    list = value.points;
    weights = value.weights ?? null;
    if (!Array.isArray(list)) throw new PointsFileError('Expected a list of points, or an object with a "points" list.');
  }
  if (!Array.isArray(list)) throw new PointsFileError('Expected a list of points such as [[0.1, 0.2], [0.3, -0.5]].');
  const points = list.map((p, i) => {
    const where = `Point ${i + 1}`;
    const x = Array.isArray(p) ? p[0] : p?.x, y = Array.isArray(p) ? p[1] : p?.y;
    if (typeof x !== 'number' || typeof y !== 'number') throw new PointsFileError(`${where}: expected [x, y] or {"x": …, "y": …}.`);
    check(where, x, y);
    return [x, y];
  });
  if (weights !== null) {
    if (!Array.isArray(weights) || weights.length !== points.length) {
      throw new PointsFileError(`"weights" must list one number per point (${points.length}).`);
    }
    weights.forEach((w, i) => check(`Weight ${i + 1}`, 0, 0, w));
  }
  return { points, weights };
}

/** CSV text of points (flat [x,y,…] or [[x,y],…]) with optional weights. */
export function pointsToCSV(points, weights = null) {
  const flat = Array.isArray(points[0]) ? points.flat() : points;
  const rows = [weights ? 'x,y,weight' : 'x,y'];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const x = Number(flat[i]).toFixed(4), y = Number(flat[i + 1]).toFixed(4);
    rows.push(weights ? `${x},${y},${weights[i >> 1]}` : `${x},${y}`);
  }
  return rows.join('\n') + '\n';
}

/** Starts a download of `text` (or a Blob) as `filename`. */
export function download(filename, content, type = 'text/csv') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
