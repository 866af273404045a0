// Compare: two runs from the same seed and data that differ in one setting (by default the saturating minimax
// loss against the non-saturating one), side by side, each with its plot and charts, one set of buttons for both.
import * as api from './api.js';
import { LabSession } from './lab.js';
import { storeToken, tokenFor, showRunInURL, writeFlags } from './session.js';
import { PlotView } from './views/plot.js';
import { PALETTES } from './views/palette.js';
import { Charts } from './panels/charts.js';
import { explain, showError, clearError } from './errors.js';
import { el } from './dom.js';
import { installShortcuts } from './keyboard.js';

/** The dialog that creates a comparison from the open run. */
export class CompareSetup {
  constructor(session, flags) {
    this.session = session;
    this.flags = flags;
    this.dialog = document.getElementById('compare-dialog');
    this.body = document.getElementById('compare-body');
  }

  open() {
    const model = this.session.model;
    const settings = (model.hello?.settings || []).filter((s) => s.type === 'choice' || s.type === 'boolean');
    this.body.innerHTML = '';
    const key = el('select', { id: 'compare-key' });
    for (const s of settings) key.append(el('option', { value: s.key, textContent: this.session.labelOf(s.key) || s.key }));
    key.value = settings.some((s) => s.key === 'loss') ? 'loss' : settings[0]?.key;
    const a = el('select', { id: 'compare-a' });
    const b = el('select', { id: 'compare-b' });
    const fill = () => {
      const s = model.setting(key.value);
      const values = s?.type === 'boolean' ? [false, true] : s?.choices || [];
      for (const select of [a, b]) {
        select.innerHTML = '';
        values.forEach((v) => select.append(el('option', { value: JSON.stringify(v), textContent: String(v) })));
      }
      const isLoss = key.value === 'loss';
      a.value = JSON.stringify(isLoss && values.includes('saturating') ? 'saturating' : values[0]);
      b.value = JSON.stringify(isLoss && values.includes('non-saturating') ? 'non-saturating' : values[1] ?? values[0]);
    };
    key.addEventListener('change', fill);
    fill();
    const error = el('p', { className: 'error', role: 'alert' });
    error.dataset.errorFor = 'compare';
    const go = el('button', { type: 'button', className: 'primary', id: 'compare-go', textContent: 'Create both runs' });
    const cancel = el('button', { type: 'button', textContent: 'Cancel' });
    cancel.addEventListener('click', () => this.dialog.close());
    go.addEventListener('click', async () => {
      clearError(this.body, 'compare');
      go.disabled = true;
      try {
        const [codeA, codeB] = await this.create(key.value, JSON.parse(a.value), JSON.parse(b.value));
        location.assign(`/r/${codeA}${writeFlags({ ...this.flags, compare: codeB })}`);
      } catch (e) {
        showError(this.body, 'compare', explain(e, (k) => this.session.labelOf(k)));
        go.disabled = false;
      }
    });
    this.body.append(
      el('p', { textContent: 'Two new runs with this run’s data, settings and seed, differing only in:' }),
      el('div', { className: 'row' }, el('label', { htmlFor: 'compare-key', textContent: 'Setting' }), key),
      el('div', { className: 'row' }, el('label', { htmlFor: 'compare-a', textContent: 'Left' }), a,
        el('label', { htmlFor: 'compare-b', textContent: 'Right' }), b),
      error, el('div', { className: 'row' }, go, cancel));
    this.dialog.showModal();
  }

  /** Creates the two runs, paused; returns their codes. */
  async create(key, left, right) {
    const model = this.session.model;
    const base = { seed: model.state?.seed ?? 1, playing: false };
    const data = model.data;
    if (data?.kind === 'points' && Array.isArray(data.points)) {
      Object.assign(base, { points: data.points, jitter: data.jitter ?? 0.04 });
      if (data.weights) base.weights = data.weights;
    } else if (data?.preset) {
      base.preset = data.preset;
    }
    const codes = [];
    for (const value of [left, right]) {
      const created = await api.createRun({ ...base, config: { ...model.config, [key]: value } });
      storeToken(created.code, created.token);
      codes.push(created.code);
    }
    return codes;
  }
}

/** The combined connection state of several sessions: open only when all are; the first problem otherwise. */
export function combinedStatus(sessions) {
  const worst = ['closed', 'reconnecting', 'connecting'];
  for (const status of worst) {
    const side = sessions.find((s) => s.connection.status === status);
    if (side) return { status, reason: side.connection.reason ? `${side.code}: ${side.connection.reason}` : '' };
  }
  return { status: 'open', reason: '' };
}

/** Runs the compare page for runs `codeA` and `codeB`. */
export function startCompare(codeA, codeB, flags) {
  document.getElementById('lab').hidden = true;
  document.body.classList.add('comparing');
  for (const id of ['banner']) document.getElementById(id).hidden = true;
  // One run's tools (present, share, compare, view options) do not apply to a pair.
  for (const id of ['present-button', 'share-button', 'compare-button', 'view-button']) document.getElementById(id).hidden = true;
  document.getElementById('help-button').addEventListener('click', () => document.getElementById('help-dialog').showModal());
  const root = document.getElementById('compare');
  root.hidden = false;
  document.getElementById('run-code').textContent = `${codeA} ⇄ ${codeB}`;
  const palette = PALETTES[flags.palette];
  const play = el('button', { type: 'button', id: 'compare-play', className: 'primary play', textContent: 'Play both',
    attrs: { 'aria-keyshortcuts': 'Space' } });
  const step = el('button', { type: 'button', id: 'compare-step', textContent: 'Step both', attrs: { 'aria-keyshortcuts': 'ArrowRight' } });
  const reset = el('button', { type: 'button', id: 'compare-reset', textContent: 'Reset both', attrs: { 'aria-keyshortcuts': 'r' } });
  const back = el('a', { href: `/r/${codeA}${writeFlags({ ...flags, compare: null })}`, textContent: 'Open the left run alone' });
  root.append(el('div', { className: 'compare-bar' }, play, step, reset, back));
  const grid = el('div', { className: 'compare-grid' });
  root.append(grid);
  let sides = [];
  const connection = document.getElementById('connection');
  const showConnection = () => {
    const { status, reason } = combinedStatus(sides.map((s) => s.session));
    connection.dataset.status = status;
    document.getElementById('connection-text').textContent =
      status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : reason || status;
  };
  const showViewers = () => {
    const n = sides.map((s) => s.session.model.viewers);
    document.getElementById('viewers').textContent = `${n.join(' · ')} watching`;
  };
  const showRoles = () => {
    const control = sides.map((s) => s.session.model.isController);
    document.getElementById('run-role').textContent = control.every(Boolean) ? 'you control both runs'
      : control.some(Boolean) ? `you control ${sides[control.indexOf(true)].code} only` : 'watching both · read-only';
  };
  sides = [codeA, codeB].map((code, index) => {
    const title = el('h2', { textContent: code });
    const meta = el('p', { className: 'meta', textContent: 'connecting…' });
    // Each side's errors appear on its own line (a refused command names the run it was refused by).
    const error = el('p', { className: 'error general', role: 'alert', dataset: { errorFor: 'general' } });
    const canvas = el('canvas', { className: 'plot' });
    canvas.dataset.code = code;
    const wrap = el('div', { className: 'plot-wrap' }, canvas);
    const chartsRoot = el('div', { className: 'charts' });
    const side = el('section', { className: 'compare-side', dataset: { side: index ? 'right' : 'left', code } },
      title, meta, error, wrap, chartsRoot);
    grid.append(side);
    const session = new LabSession(code, { token: tokenFor(code), errorRoot: side,
      subscription: { fps: 30, layers: ['fakes', 'arrows', 'field', 'modes'] } });
    const plot = new PlotView(canvas);
    const charts = new Charts(chartsRoot, session.model, palette, ['losses', 'gradnorm', 'js', 'kl']);
    session.model.addEventListener('change', (e) => {
      if (e.detail === 'viewers' || e.detail === 'state') showViewers();
      if (e.detail !== 'state') return;
      const s = session.model.state;
      const loss = s.config?.loss;
      title.textContent = `${code} · loss: ${loss ?? '?'}`;
      showRoles();
    });
    session.addEventListener('status', () => showConnection());
    return { code, session, plot, charts, meta, error };
  });
  for (const s of sides) s.session.start();
  const playing = () => sides.some((s) => s.session.model.state?.state === 'playing');
  const both = (type, fields) => Promise.all(sides.map((s) => s.session.command(type, fields, 'general')));
  const togglePlay = () => both(playing() ? 'pause' : 'play', {});
  const stepBoth = (what) => both('step', { what, count: 1 });
  play.addEventListener('click', togglePlay);
  step.addEventListener('click', () => stepBoth('epoch'));
  reset.addEventListener('click', () => both('reset', {}));
  installShortcuts({
    playPause: togglePlay,
    step: () => stepBoth('epoch'),
    stepD: () => stepBoth('d'),
    stepG: () => stepBoth('g'),
    slowmo: () => both('slowmo', { on: !sides.every((s) => s.session.model.state?.slowmo) }),
    reset: () => both('reset', {}),
    help: () => document.getElementById('help-dialog').showModal(),
  });
  const loop = (now) => {
    for (const s of sides) {
      const shown = s.session.motion.update(now);
      s.plot.draw(shown, { layers: new Set(['field', 'real', 'fakes', 'arrows', 'modes']), palette, real: s.session.model.real,
        realCount: s.session.model.realCount, modes: s.session.model.data?.modes || [], arrowSource: 'arrows' });
      s.charts.draw();
      if (shown) {
        const text = `epoch ${shown.epoch.toLocaleString('en-US')} · ${s.session.model.state?.state ?? ''} · ${s.session.model.isController ? 'you control it' : 'read-only'}`;
        if (s.meta.textContent !== text) s.meta.textContent = text;
      }
    }
    const label = playing() ? 'Pause both' : 'Play both';
    if (play.textContent !== label) play.textContent = label;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  showRunInURL(codeA, flags);
  showConnection();
  window.ganlab = { compare: sides };
}
