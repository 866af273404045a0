// The bootstrap page: polls GET /api/run and draws the run's current view.
// The JSON shape is documented in docs/api.md. (The streaming binary protocol comes with the lab issue.)
import { drawView } from './draw.js';

const canvas = document.getElementById('field');
const playButton = document.getElementById('play');
const statusLine = document.getElementById('status');
let isRunning = true;

/** Formats a metric for the stats panel. */
function format(value, digits = 3) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function showRun(run) {
  document.getElementById('preset').textContent = run.preset;
  document.getElementById('epoch').textContent = run.epoch.toLocaleString('en-US');
  document.getElementById('d-loss').textContent = format(run.metrics.d_loss);
  document.getElementById('g-loss').textContent = format(run.metrics.g_loss);
  document.getElementById('js').textContent =
    `${format(run.metrics.js)} bits (floor ${format(run.metrics.js_floor)})`;
  document.getElementById('kl').textContent = `${format(run.metrics.kl_real_fake)} bits`;
  isRunning = run.running;
  playButton.textContent = isRunning ? 'Pause' : 'Play';
  statusLine.textContent = run.error ?? '';
  drawView(canvas, run);
}

async function poll() {
  try {
    const response = await fetch('/api/run', { cache: 'no-store' });
    if (!response.ok) throw new Error(`server answered ${response.status}`);
    showRun(await response.json());
  } catch (error) {
    statusLine.textContent = `Lost contact with the server (${error.message}); retrying…`;
  }
  setTimeout(poll, 200);
}

async function command(name) {
  const response = await fetch(`/api/run/${name}`, { method: 'POST' });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    statusLine.textContent = body.error?.message ?? `${name} failed (${response.status})`;
  }
}

playButton.addEventListener('click', () => command(isRunning ? 'pause' : 'play'));
document.getElementById('step').addEventListener('click', () => command('step'));
document.getElementById('reset').addEventListener('click', () => command('reset'));
poll();
