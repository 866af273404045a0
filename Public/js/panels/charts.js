// The metric charts: losses; JS and KL divergences, each on its own log axis with its estimator's noise floor as a
// band (a 0.02-bit floor is invisible on a linear axis that also holds 8 bits of early KL); modes missed (presets
// with modes); and the generator's gradient norm (where the saturating loss's vanishing gradient shows).
import { LineChart } from '../views/chart.js';
import { SERIES } from '../views/palette.js';
import { el } from '../dom.js';

const CHARTS = [
  { id: 'losses', title: 'Losses', note: 'At equilibrium both settle (log losses near ln 2 ≈ 0.69 for the generator).',
    series: (p) => [{ key: 'dLoss', label: 'D loss', colour: p.lossD }, { key: 'gLoss', label: 'G loss', colour: p.lossG }] },
  { id: 'js', title: 'How far fakes are from real: JS divergence (bits, log scale)',
    note: 'Measured on a grid. The grey band is what a perfect generator scores with this estimator: at or under it means converged.',
    series: () => [{ key: 'js', label: 'JS', colour: SERIES.js }],
    bands: [{ key: 'jsFloor', label: 'JS floor', fill: 'rgba(110,110,110,0.28)', edge: 'rgba(80,80,80,0.8)' }], bandLabel: 'noise floor',
    logY: true },
  { id: 'kl', title: 'KL divergence both ways (bits, log scale)',
    note: 'KL(real‖fake) grows when fakes miss real regions (mode collapse); KL(fake‖real) when fakes land where there is no real data. Tinted bands: each one’s noise floor.',
    series: () => [{ key: 'klRealFake', label: 'KL(real‖fake)', colour: SERIES.klRealFake },
      { key: 'klFakeReal', label: 'KL(fake‖real)', colour: SERIES.klFakeReal }],
    bands: [{ key: 'klRealFakeFloor', label: 'KL(real‖fake) floor', fill: 'rgba(230,159,0,0.22)', edge: 'rgba(190,120,0,0.8)' },
      { key: 'klFakeRealFloor', label: 'KL(fake‖real) floor', fill: 'rgba(204,121,167,0.22)', edge: 'rgba(170,80,130,0.8)' }],
    bandLabel: 'noise floors', logY: true },
  { id: 'modes', title: 'Modes missed', note: 'Known modes of the preset with (almost) no fakes: mode collapse shows here.',
    series: () => [{ key: 'modesMissed', label: 'modes missed', colour: SERIES.modesMissed }], integer: true, needsModes: true },
  { id: 'gradnorm', title: "Generator's gradient norm (log scale)",
    note: 'With the saturating loss this collapses when the discriminator wins: the vanishing gradient.',
    series: () => [{ key: 'gGradNorm', label: '‖∇G‖', colour: SERIES.gGradNorm }], logY: true },
];

export class Charts {
  /** `which`: chart ids to show (all by default). */
  constructor(root, model, palette, which = null) {
    this.root = root;
    this.model = model;
    this.charts = [];
    for (const spec of CHARTS) {
      if (which && !which.includes(spec.id)) continue;
      const canvas = el('canvas', { dataset: { chart: spec.id }, attrs: { role: 'img', 'aria-label': spec.title } });
      const box = el('div', { className: 'chart', dataset: { chart: spec.id } },
        el('h3', { textContent: spec.title }), canvas, el('p', { className: 'note', textContent: spec.note }));
      root.append(box);
      const chart = new LineChart(canvas, { series: spec.series(palette), bands: spec.bands, bandLabel: spec.bandLabel,
        logY: spec.logY, integer: spec.integer });
      chart.setHistory(model.history);
      this.charts.push({ spec, chart, box });
    }
    model.addEventListener('change', (e) => {
      if (e.detail === 'metrics' || e.detail === 'history') this.markDirty();
      if (e.detail === 'data') this.showModes();
    });
  }

  setPalette(palette) {
    for (const { spec, chart } of this.charts) chart.options.series = spec.series(palette);
    this.markDirty();
  }

  showModes() {
    const hasModes = (this.model.data?.modes || []).length > 0;
    for (const { spec, box } of this.charts) if (spec.needsModes) box.hidden = !hasModes;
  }

  markDirty() { for (const { chart } of this.charts) chart.dirty = true; }

  /** Reads every chart's size and font again (presenter mode changes the font without always resizing). */
  remeasure() { for (const { chart } of this.charts) { chart.measure(); chart.dirty = true; } }

  /** Redraws charts whose data changed; returns how many drew. */
  draw(force = false) {
    let n = 0;
    for (const { chart, box } of this.charts) {
      if (box.hidden) continue;
      if (force) chart.dirty = true;
      if (chart.drawIfDirty()) n++;
    }
    return n;
  }

  /** Points in the chart `id`'s first series (for tests and the read-out). */
  pointCount() { return this.model.history.count; }
}
