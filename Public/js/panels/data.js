// The data controls: a preset picker with thumbnails (all presets), the pretrained run, drawing your own
// distribution (brush size and weight, erase, clear, apply), and points from or to a CSV/JSON file. A bad file
// is explained by the file control and nothing is sent.
import { DrawingTool } from '../drawing.js';
import { parsePoints, pointsToCSV, download, PointsFileError } from '../points-file.js';
import { clearError, showError, explain } from '../errors.js';
import * as api from '../api.js';
import { el } from '../dom.js';

export class DataPanel extends EventTarget {
  constructor(root, session, plot) {
    super();
    this.root = root;
    this.session = session;
    this.model = session.model;
    this.samples = new Map();
    this.readOnly = false;
    this.build();
    this.drawing = new DrawingTool(document.getElementById('draw-layer'), plot, 20000);
    this.drawing.addEventListener('change', () => this.showCount());
    this.drawing.addEventListener('full', () => { this.count.textContent = '20,000 points: the most the lab takes.'; });
    this.model.addEventListener('change', (e) => {
      if (e.detail === 'hello') this.showPresets();
      if (e.detail === 'data' || e.detail === 'state') this.showSelection();
    });
    api.presets().then((body) => {
      for (const p of body.presets || []) this.samples.set(p.name, Float32Array.from(p.sample || []));
      this.showPresets();
    }).catch(() => { /* thumbnails stay blank; the picker still works from hello.presets */ });
  }

  build() {
    this.defaults = el('select', { id: 'preset-defaults' });
    this.defaults.append(el('option', { value: 'lab', textContent: 'the lab’s converging settings' }),
      el('option', { value: 'reference', textContent: 'GAN Lab’s exact settings' }),
      el('option', { value: 'keep', textContent: 'my current settings' }));
    this.defaults.setAttribute('aria-label', 'Settings to use with a preset');
    this.defaults.setAttribute('aria-describedby', 'preset-defaults-hint');
    // The person's choice sticks: `state` messages only fill the box until they pick (issue: Play used to undo it).
    this.defaultsChosen = false;
    this.defaults.addEventListener('change', () => { this.defaultsChosen = true; this.showDefaultsHint(); });
    this.defaultsHint = el('p', { className: 'hint-line', id: 'preset-defaults-hint' });
    this.reapply = el('button', { type: 'button', id: 'preset-reapply' });
    this.reapply.addEventListener('click', () => this.reapplyPreset());
    this.defaultsHintRow = el('div', { className: 'defaults-hint' }, this.defaultsHint, this.reapply);
    this.presetList = el('div', { className: 'presets', role: 'group' });
    this.presetList.setAttribute('aria-label', 'Presets');
    this.pretrained = el('button', { type: 'button', id: 'pretrained', textContent: 'Load the pretrained run',
      title: 'Open a run of this preset already trained to convergence (a new run with its own code)' });
    this.pretrained.addEventListener('click', () => this.loadPretrained());
    this.drawButton = el('button', { type: 'button', id: 'draw-button', textContent: 'Draw your own' });
    this.drawButton.addEventListener('click', () => this.startDrawing());

    this.brush = el('input', { type: 'range', id: 'brush-size', min: '0.01', max: '0.2', step: '0.01', value: '0.06' });
    this.weight = el('input', { type: 'range', id: 'brush-density', min: '1', max: '10', step: '1', value: '3' });
    this.eraseBox = el('input', { type: 'checkbox', id: 'erase' });
    this.count = el('span', { className: 'count', id: 'draw-count' });
    const apply = el('button', { type: 'button', id: 'draw-apply', className: 'primary', textContent: 'Apply: train on this' });
    const clear = el('button', { type: 'button', id: 'draw-clear', textContent: 'Clear' });
    const cancel = el('button', { type: 'button', id: 'draw-cancel', textContent: 'Cancel' });
    apply.addEventListener('click', () => this.applyDrawing());
    clear.addEventListener('click', () => this.drawing.clear());
    cancel.addEventListener('click', () => this.stopDrawing());
    this.brush.addEventListener('input', () => { this.drawing.brush = Number(this.brush.value); });
    this.weight.addEventListener('input', () => { this.drawing.density = Number(this.weight.value); });
    this.eraseBox.addEventListener('change', () => {
      this.drawing.mode = this.eraseBox.checked ? 'erase' : 'draw';
      this.drawing.canvas.dataset.mode = this.drawing.mode;
    });
    this.tools = el('div', { className: 'draw-tools', hidden: true },
      el('div', { className: 'row' },
        el('label', {}, 'Brush ', this.brush), el('label', {}, 'Density ', this.weight), el('label', {}, this.eraseBox, ' Erase')),
      el('div', { className: 'row' }, apply, clear, cancel, this.count),
      el('p', { className: 'error', role: 'alert' }));
    this.tools.lastChild.dataset.errorFor = 'points';

    this.file = el('input', { type: 'file', id: 'points-file', accept: '.csv,.json,.txt,text/csv,application/json' });
    this.file.dataset.control = 'points-file';
    this.file.addEventListener('change', () => this.importFile());
    const exportButton = el('button', { type: 'button', id: 'points-export', textContent: 'Export points (CSV)' });
    exportButton.addEventListener('click', () => this.exportPoints());
    const fileError = el('p', { className: 'error', role: 'alert', id: 'points-file-error' });
    fileError.dataset.errorFor = 'points-file';
    this.file.setAttribute('aria-describedby', 'points-file-error');

    const dataError = el('p', { className: 'error', role: 'alert' });
    dataError.dataset.errorFor = 'data';
    this.root.append(
      el('div', { className: 'row' }, el('label', { htmlFor: 'preset-defaults', textContent: 'Presets with' }), this.defaults),
      this.defaultsHintRow,
      this.presetList, dataError,
      el('div', { className: 'row' }, this.pretrained, this.drawButton),
      this.tools,
      el('div', { className: 'row' }, el('label', { className: 'file-label', htmlFor: 'points-file', textContent: 'Points from a file (CSV x,y or JSON):' }), this.file),
      fileError,
      el('div', { className: 'row' }, exportButton));
    this.pretrainedError = el('p', { className: 'error', role: 'alert' });
    this.pretrainedError.dataset.errorFor = 'pretrained';
    this.pretrained.after(this.pretrainedError);
  }

  showPresets() {
    const presets = this.model.hello?.presets || [];
    if (!presets.length) return;
    this.presetList.innerHTML = '';
    for (const p of presets) {
      const canvas = el('canvas', { width: 64, height: 64 });
      canvas.setAttribute('aria-hidden', 'true');
      const button = el('button', { type: 'button', className: 'preset', title: p.title }, canvas, el('span', { textContent: p.title }));
      button.dataset.preset = p.name;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => this.choosePreset(p.name));
      this.presetList.append(button);
      this.drawThumbnail(canvas, this.samples.get(p.name));
    }
    this.showSelection();
    this.setReadOnly(this.readOnly);
  }

  drawThumbnail(canvas, sample) {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#f6f6f6';
    ctx.fillRect(0, 0, 64, 64);
    if (!sample) return;
    ctx.fillStyle = getComputedStyle(document.body).getPropertyValue('--real') || 'green';
    for (let i = 0; i + 1 < sample.length; i += 2) ctx.fillRect((sample[i] + 1) * 32 - 1, (1 - sample[i + 1]) * 32 - 1, 2, 2);
  }

  showSelection() {
    const data = this.model.data;
    const name = data?.kind === 'preset' ? data.preset : null;
    for (const b of this.presetList.querySelectorAll('.preset')) b.setAttribute('aria-pressed', String(b.dataset.preset === name));
    const info = name ? this.model.presetInfo(name) : null;
    this.pretrained.disabled = this.readOnlyPretrained() || !info?.pretrained;
    this.pretrained.title = info?.pretrained ? `Open a converged run of "${info.title}" (a new run with its own code)` : 'No pretrained run for this data';
    if (this.model.state?.defaults && !this.defaultsChosen) this.defaults.value = this.model.state.defaults;
    this.showDefaultsHint();
  }

  /**
   * Says what "Presets with" applies to: the next preset picked. When the choice differs from the settings the
   * open run started from, it offers to restart the current preset with it (nothing changes until then).
   */
  showDefaultsHint() {
    const choice = this.defaults.value;
    const running = this.model.state?.defaults;
    const data = this.model.data;
    const preset = data?.kind === 'preset' ? this.model.presetInfo(data.preset) : null;
    const differs = choice !== 'keep' && running && choice !== running;
    this.defaultsHint.textContent = choice === 'keep'
      ? 'Applies to the next preset you pick: it keeps your current hyperparameters.'
      : differs
        ? `Applies to the next preset you pick. This run still uses ${running === 'reference' ? 'GAN Lab’s exact settings' : 'the lab’s converging settings'}.`
        : 'Applies to the next preset you pick.';
    this.reapply.hidden = !(differs && preset) || this.readOnly;
    if (preset) this.reapply.textContent = `Restart “${preset.title}” with these settings`;
  }

  /** Restarts the open preset with the chosen settings (new networks, epoch 0: the button says "restart"). */
  async reapplyPreset() {
    const name = this.model.data?.kind === 'preset' ? this.model.data.preset : null;
    if (name) await this.choosePreset(name);
  }

  readOnlyPretrained() { return false; } // anyone may open a pretrained run: it is a new run of their own

  async choosePreset(name) {
    clearError(this.root, 'data');
    if (this.drawingActive) this.stopDrawing();
    await this.session.command('data', { preset: name, defaults: this.defaults.value }, 'data');
  }

  async loadPretrained() {
    const name = this.model.data?.preset;
    clearError(this.root, 'pretrained');
    try {
      const created = await api.createRun({ pretrained: name });
      this.dispatchEvent(new CustomEvent('open-run', { detail: created }));
    } catch (error) {
      showError(this.root, 'pretrained', explain(error));
    }
  }

  get drawingActive() { return !this.tools.hidden; }

  startDrawing() {
    if (this.readOnly) return;
    const layer = this.drawing.canvas;
    layer.hidden = false;
    // The tools sit right under the drawing surface while drawing (on a phone the data panel is screens below the
    // plot), and go back to the panel afterwards; the surface and its tools are scrolled into view.
    const wrap = layer.closest('.plot-wrap');
    if (!this.toolsHome) this.toolsHome = document.createComment('drawing tools');
    if (wrap && this.tools.parentNode !== wrap.parentNode) {
      this.tools.replaceWith(this.toolsHome);
      wrap.after(this.tools);
    }
    this.tools.hidden = false;
    const strip = document.getElementById('status-strip')?.getBoundingClientRect().bottom || 0;
    if (wrap && (wrap.getBoundingClientRect().top < strip || this.tools.getBoundingClientRect().bottom > innerHeight)) {
      wrap.scrollIntoView({ block: 'start' });
    }
    this.drawButton.setAttribute('aria-pressed', 'true');
    const data = this.model.data;
    if (!this.drawing.count && data?.kind === 'points' && Array.isArray(data.points)) this.drawing.load(data.points, data.weights);
    this.drawing.render();
    this.showCount();
    this.dispatchEvent(new Event('drawing'));
  }

  stopDrawing() {
    this.drawing.canvas.hidden = true;
    this.tools.hidden = true;
    if (this.toolsHome && this.toolsHome.parentNode) this.toolsHome.replaceWith(this.tools);
    this.drawButton.setAttribute('aria-pressed', 'false');
    this.dispatchEvent(new Event('drawing'));
  }

  showCount() {
    this.count.textContent = `${this.drawing.count.toLocaleString('en-US')} points`;
  }

  async applyDrawing() {
    clearError(this.tools, 'points');
    if (!this.drawing.count) {
      showError(this.tools, 'points', 'Draw something first: the lab needs at least one point.');
      return;
    }
    const ack = await this.session.command('data', { points: this.drawing.points(), weights: this.drawing.weights(), jitter: 0.02 }, 'points');
    if (ack) this.stopDrawing();
  }

  async importFile() {
    clearError(this.root, 'points-file');
    const file = this.file.files[0];
    if (!file) return;
    try {
      if (file.size > 4 * 1024 * 1024) throw new PointsFileError('The file is larger than 4 MB; a point set of 20,000 points needs far less.');
      const { points, weights } = parsePoints(await file.text(), file.name, 20000);
      this.startDrawing();
      this.drawing.load(points, weights);
      this.count.textContent = `${points.length.toLocaleString('en-US')} points from ${file.name}: press Apply to train on them.`;
    } catch (error) {
      const message = error instanceof PointsFileError ? error.message : `Could not read the file (${error.message}).`;
      showError(this.root, 'points-file', `${file.name}: ${message} Nothing was sent.`);
    } finally {
      this.file.value = '';
    }
  }

  exportPoints() {
    const code = this.session.code;
    if (this.drawingActive && this.drawing.count) {
      download(`ganlab-${code}-drawing.csv`, pointsToCSV(this.drawing.points(), this.drawing.weights()));
      return;
    }
    const data = this.model.data;
    if (data?.kind === 'points' && Array.isArray(data.points)) download(`ganlab-${code}-points.csv`, pointsToCSV(data.points, data.weights));
    else download(`ganlab-${code}-real-samples.csv`, pointsToCSV(Array.from(this.model.real)));
  }

  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    for (const b of this.presetList.querySelectorAll('button')) b.disabled = readOnly;
    this.drawButton.disabled = readOnly;
    this.file.disabled = readOnly;
    this.defaults.disabled = readOnly;
    this.defaultsHintRow.hidden = readOnly;
    if (readOnly && this.drawingActive) this.stopDrawing();
  }
}
