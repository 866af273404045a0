// The model overview graph: noise → generator → fake samples → discriminator ← real samples → losses, each
// with a live thumbnail, and the update flows drawn as dashed arrows that move while training. In slow motion
// the components of the current sub-step (docs/protocol.md §3.4) are lit and a one-line caption explains it.
import { PlotView } from './plot.js';
import { Metric, Frame } from '../protocol.js';
import { el } from '../dom.js';

const MORPH_MS = 2000;

// Positions in a 100 × 80 box (the SVG viewBox; nodes use the same numbers as percentages).
const NODES = [
  { id: 'noise', name: 'Noise', x: 1, y: 6, w: 13, layers: ['noise'] },
  { id: 'generator', name: 'Generator', sub: 'its manifold', x: 18, y: 2, w: 22, layers: ['manifold'], kind: 'gen' },
  { id: 'fakes', name: 'Fake samples', x: 45, y: 6, w: 13, layers: ['fakes'] },
  { id: 'real', name: 'Real samples', x: 45, y: 46, w: 13, layers: ['real'] },
  { id: 'discriminator', name: 'Discriminator', sub: 'its decision field', x: 62, y: 17, w: 22, layers: ['field'], kind: 'net' },
  { id: 'predFake', name: 'D on fakes', x: 87, y: 8, w: 12, layers: ['fakes', 'predictions'] },
  { id: 'predReal', name: 'D on real', x: 87, y: 36, w: 12, layers: ['real', 'predictions'] },
  { id: 'gradients', name: 'Gradients', sub: 'for the generator', x: 20, y: 44, w: 15, layers: ['fakes', 'arrows'] },
];
const FLOWS = [
  ['M14,12.5 L18,12.5', 'd-flow g-flow'],
  ['M40,12.5 L45,12.5', 'd-flow g-flow'],
  ['M58,12.5 C60,12.5 60,22 62,24', 'd-flow g-flow'],
  ['M58,52.5 C60,52.5 60,36 62,34', 'd-flow'],
  ['M84,24 L87,16', 'd-flow g-flow'],
  ['M84,34 L87,42', 'd-flow'],
  ['M93,55 L93,63', 'd-flow g-flow'],
  ['M68,63 L68,49', 'd-flow'],
  ['M62,70 C45,70 40,62 35,56', 'g-flow'],
  ['M27.5,44 L28,34', 'g-flow'],
];
/** Lit components and caption per slow-motion sub-step 1…10. */
const STEPS = [
  null,
  [['noise', 'generator', 'fakes'], 'D phase 1/5 · The generator turns a batch of noise into fake samples.'],
  [['fakes', 'real', 'discriminator', 'predFake', 'predReal'], 'D phase 2/5 · The discriminator scores real samples and fakes.'],
  [['predFake', 'predReal', 'losses'], "D phase 3/5 · The discriminator's loss: how wrong its scores were."],
  [['losses', 'discriminator'], "D phase 4/5 · Gradients: how each of the discriminator's weights should change."],
  [['discriminator'], "D phase 5/5 · The discriminator's weights move, so its field changes."],
  [['noise', 'generator', 'fakes'], 'G phase 1/5 · The generator makes a fresh batch of fakes.'],
  [['fakes', 'discriminator', 'predFake'], 'G phase 2/5 · The discriminator scores the fakes only.'],
  [['predFake', 'losses'], "G phase 3/5 · The generator's loss: how fake its samples still look to the discriminator."],
  [['losses', 'gradients', 'discriminator'], 'G phase 4/5 · Gradients flow back through the discriminator into the generator.'],
  [['generator', 'fakes', 'gradients'], "G phase 5/5 · The generator's weights move, so the fakes move."],
];

export class Overview {
  constructor(root) {
    this.root = root;
    root.classList.add('overview');
    root.innerHTML = '';
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 100 80');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.classList.add('flows');
    svg.setAttribute('aria-hidden', 'true');
    for (const [d, classes] of FLOWS) {
      const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      path.setAttribute('d', d);
      path.setAttribute('class', `flow ${classes}`);
      path.setAttribute('vector-effect', 'non-scaling-stroke');
      svg.append(path);
    }
    root.append(svg);
    this.svg = svg;
    this.views = [];
    this.nodes = new Map();
    for (const n of NODES) {
      const canvas = el('canvas', { dataset: { thumb: n.id }, attrs: { role: 'img', 'aria-label': n.name } });
      const node = el('div', { className: `node ${n.kind || ''}` }, canvas, el('span', { className: 'name', textContent: n.name }));
      Object.assign(node.style, { left: `${n.x}%`, top: `${(n.y / 80) * 100}%`, width: `${n.w}%` });
      if (n.sub) node.append(el('span', { className: 'sub', textContent: n.sub }));
      root.append(node);
      this.nodes.set(n.id, node);
      this.views.push({ id: n.id, view: new PlotView(canvas, { thumbnail: true }), layers: new Set(n.layers) });
    }
    const losses = document.createElement('div');
    losses.className = 'node losses';
    Object.assign(losses.style, { left: '60%', top: `${(62 / 80) * 100}%`, width: '39%', alignItems: 'stretch', textAlign: 'left' });
    losses.innerHTML = `
      <span class="name">Losses</span>
      <span class="sub">discriminator <b data-loss="d">–</b></span><div class="lossbar"><span data-bar="d"></span></div>
      <span class="sub">generator <b data-loss="g">–</b></span><div class="lossbar"><span data-bar="g"></span></div>`;
    root.append(losses);
    this.nodes.set('losses', losses);
    this.caption = document.createElement('p');
    this.caption.className = 'overview-caption';
    this.caption.setAttribute('aria-live', 'polite');
    root.after(this.caption);
    this.lastStep = -1;
    this.lossText = ['', ''];
    // As in the reference: pointing at the generator plays its noise grid warping into the manifold.
    this.morphStart = -Infinity;
    this.morphFrame = new Frame();
    const generator = this.nodes.get('generator');
    generator.title = 'Point here to watch the regular noise grid warp into the generator’s manifold';
    generator.addEventListener('pointerenter', () => { this.morphStart = performance.now(); });
  }

  /** Whether the generator's morph animation is playing. */
  isMorphing(now) { return now - this.morphStart < MORPH_MS; }

  /** `frame` with its manifold blended from the regular noise lattice (t = 0) to the real manifold (t = 1). */
  morphed(frame, t) {
    const m = this.morphFrame;
    const p = frame.manifoldPointCount, cells = frame.manifoldCells;
    if (m.manifoldPoints.length < 2 * p) m.manifoldPoints = new Float32Array(2 * p);
    if (m.manifoldDensities.length < frame.manifoldDensityCount) m.manifoldDensities = new Float32Array(frame.manifoldDensityCount);
    const ease = t * t * (3 - 2 * t);
    const row = cells + 1;
    for (let k = 0; k < p; k++) {
      const i = frame.manifoldDimension === 2 ? k % row : k, j = frame.manifoldDimension === 2 ? Math.floor(k / row) : 0;
      const lx = -1 + (2 * i) / cells, ly = frame.manifoldDimension === 2 ? 1 - (2 * j) / cells : 0;
      m.manifoldPoints[2 * k] = lx + (frame.manifoldPoints[2 * k] - lx) * ease;
      m.manifoldPoints[2 * k + 1] = ly + (frame.manifoldPoints[2 * k + 1] - ly) * ease;
    }
    for (let k = 0; k < frame.manifoldDensityCount; k++) m.manifoldDensities[k] = 1 + (frame.manifoldDensities[k] - 1) * ease;
    m.present = frame.present;
    m.manifoldDimension = frame.manifoldDimension;
    m.manifoldCells = cells;
    m.manifoldPointCount = p;
    m.manifoldDensityCount = frame.manifoldDensityCount;
    return m;
  }

  /** Server layers the thumbnails need. */
  static get layers() { return ['fakes', 'field', 'manifold', 'predictions', 'arrows']; }

  draw(frame, scene) {
    const now = performance.now();
    for (const { id, view, layers } of this.views) {
      const shown = id === 'generator' && frame && frame.manifoldPointCount && this.isMorphing(now)
        ? this.morphed(frame, (now - this.morphStart) / MORPH_MS) : frame;
      view.draw(shown, { ...scene, layers });
    }
  }

  /** Loss bars, flow animation and the slow-motion highlight; cheap, called every frame. */
  update(frame, palette) {
    if (!frame) return;
    const d = frame.metrics[Metric.dLoss], g = frame.metrics[Metric.gLoss];
    this.setLoss(0, 'd', d, palette.lossD);
    this.setLoss(1, 'g', g, palette.lossG);
    const playing = frame.state === 1;
    this.root.classList.toggle('playing', playing);
    const step = frame.state === 2 ? frame.subStep : 0;
    if (step === this.lastStep) return;
    this.lastStep = step;
    this.root.classList.toggle('slowmo', step > 0);
    const lit = step > 0 && STEPS[step] ? new Set(STEPS[step][0]) : new Set();
    for (const [id, node] of this.nodes) node.classList.toggle('lit', lit.has(id));
    for (const path of this.svg.querySelectorAll('.flow')) {
      const phase = step >= 1 && step <= 5 ? 'd-flow' : step >= 6 ? 'g-flow' : null;
      path.classList.toggle('active', !!phase && path.classList.contains(phase));
    }
    this.caption.textContent = step > 0 && STEPS[step] ? STEPS[step][1] : (frame.state === 2 ? 'Slow motion: waiting for the next sub-step…' : '');
  }

  setLoss(i, which, value, colour) {
    const text = Number.isFinite(value) ? value.toFixed(3) : '–';
    if (text === this.lossText[i]) return;
    this.lossText[i] = text;
    this.root.querySelector(`[data-loss="${which}"]`).textContent = text;
    const bar = this.root.querySelector(`[data-bar="${which}"]`);
    bar.style.width = `${Number.isFinite(value) ? Math.min(100, Math.abs(value) * 50) : 0}%`;
    bar.style.background = colour;
  }

  /** Caption text for sub-step `step` (1…10), for the plot's slow-motion caption. */
  static caption(step) { return STEPS[step] ? STEPS[step][1] : ''; }
}
