// The dialog that creates a comparison: two new runs, paused, from the same seed and data, differing in one setting.
// By default it sets up the lecture's classic demonstration (DEMONSTRATION below); it can also start from the open
// run's own data and settings. Any setting of the server's table can differ: choices and booleans from a list,
// numbers typed in and checked against the table's range here, so a refused value is explained by its box and
// nothing is created.
import * as api from './api.js';
import { storeToken, writeFlags } from './session.js';
import { formatNumber } from './panels/settings.js';
import { explain, showError, clearError } from './errors.js';
import { el } from './dom.js';

/**
 * Compare's default: the saturating minimax loss against the non-saturating one, on the ring with GAN Lab's settings
 * but a strong discriminator, from seed 1. GAN Lab's own settings leave the two alike (its discriminator never gets
 * confident enough for the saturating gradient to vanish); with this discriminator seed 1 shows the classic result,
 * but seeds 2 and 3 do not, so the seed is part of the demonstration (docs/page.md, "Compare's default").
 */
export const DEMONSTRATION = {
  preset: 'ring', defaults: 'reference', seed: 1,
  config: { 'discriminator.optimizer': 'adam', 'discriminator.learningRate': 0.01 },
  key: 'loss', left: 'saturating', right: 'non-saturating',
  /** The epoch by which the measured difference is clear (the browser test checks it there). */
  checkEpochs: 1500,
  title: 'The classic demonstration: ring, seed 1, a strong discriminator (Adam, learning rate 0.01)',
};

/** Settings that make no sense to vary: the seed is what both runs share; the views' settings change no training. */
const EXCLUDED = (s) => s.key === 'seed' || s.group === 'views';

/** Reads `text` as a value of numeric setting `s`: `{ value }`, or `{ error }` saying what is allowed. */
export function parseSettingValue(s, text) {
  const range = `from ${formatNumber(s.min)} to ${formatNumber(s.max)}`;
  const what = s.type === 'integer' ? 'a whole number' : 'a number';
  const clean = String(text).trim().replace(',', '.');
  const value = Number(clean);
  if (clean === '' || !Number.isFinite(value)) return { error: `Type ${what} ${range}.` };
  if (s.type === 'integer' && !Number.isInteger(value)) return { error: `${clean} is not a whole number: type one ${range}.` };
  if (value < s.min || value > s.max) return { error: `${clean} is out of range: type ${what} ${range}.` };
  return { value };
}

/** A second value of numeric setting `s` that differs from `current`: double it (or halve it at the top), in range. */
export function otherNumber(s, current) {
  const up = s.type === 'integer' ? current + Math.max(1, Math.round(current)) : current * 2;
  const down = s.type === 'integer' ? Math.floor(current / 2) : current / 2;
  const next = up <= s.max && up !== current ? up : down >= s.min && down !== current ? down : s.min;
  return s.type === 'integer' ? next : Number(next.toPrecision(6));
}

export class CompareSetup {
  constructor(session, flags) {
    this.session = session;
    this.flags = flags;
    this.dialog = document.getElementById('compare-dialog');
    this.body = document.getElementById('compare-body');
  }

  open() {
    const model = this.session.model;
    const settings = (model.hello?.settings || []).filter((s) => !EXCLUDED(s));
    const labelOf = (key) => this.session.labelOf(key) || key;
    this.body.innerHTML = '';
    const start = el('select', { id: 'compare-start' });
    start.append(el('option', { value: 'demonstration', textContent: DEMONSTRATION.title }),
      el('option', { value: 'run', textContent: 'This run’s data and settings' }));
    const key = el('select', { id: 'compare-key' });
    for (const s of settings) key.append(el('option', { value: s.key, textContent: labelOf(s.key) }));
    // Each side is a drop-down for choices and booleans, a text box for numbers; only one of each pair shows. Only
    // the box can be refused, so only it carries `data-control` (where showError marks the value invalid).
    const sides = ['a', 'b'].map((id) => ({
      id: `compare-${id}`,
      select: el('select', { id: `compare-${id}` }),
      input: el('input', { type: 'text', id: `compare-${id}-number`, autocomplete: 'off', spellcheck: false,
        dataset: { control: `compare-${id}` }, attrs: { 'aria-describedby': `compare-${id}-error compare-range` } }),
      error: el('p', { className: 'error', id: `compare-${id}-error`, role: 'alert', dataset: { errorFor: `compare-${id}` } }),
    }));
    const range = el('p', { className: 'range', id: 'compare-range' });
    // The demonstration's other values are its preset's (the page does not know them): a number starts from the
    // table's default there. Both runs are sent both values, so what the boxes show is what the runs get.
    const baseValue = (s) => (start.value === 'demonstration' ? DEMONSTRATION.config[s.key] : model.config[s.key]) ?? s.default;
    const fill = () => {
      const s = model.setting(key.value);
      const numeric = s?.type === 'integer' || s?.type === 'number';
      for (const side of sides) {
        clearError(this.body, side.id);
        side.select.hidden = numeric;
        side.input.hidden = !numeric;
        side.input.inputMode = s?.type === 'integer' ? 'numeric' : 'decimal';
      }
      range.textContent = numeric ? `Allowed ${formatNumber(s.min)} … ${formatNumber(s.max)}.` : '';
      if (numeric) {
        const current = baseValue(s);
        sides[0].input.value = formatNumber(current);
        sides[1].input.value = formatNumber(otherNumber(s, current));
        return;
      }
      const values = s?.type === 'boolean' ? [false, true] : s?.choices || [];
      for (const side of sides) {
        side.select.innerHTML = '';
        values.forEach((v) => side.select.append(el('option', { value: JSON.stringify(v), textContent: String(v) })));
      }
      const isLoss = key.value === 'loss';
      sides[0].select.value = JSON.stringify(isLoss && values.includes('saturating') ? 'saturating' : values[0]);
      sides[1].select.value = JSON.stringify(isLoss && values.includes('non-saturating') ? 'non-saturating' : values[1] ?? values[0]);
    };
    key.value = settings.some((s) => s.key === DEMONSTRATION.key) ? DEMONSTRATION.key : settings[0]?.key;
    key.addEventListener('change', fill);
    start.addEventListener('change', fill);
    for (const side of sides) side.input.addEventListener('input', () => clearError(this.body, side.id));
    fill();
    /** The two values, or null after showing why a typed number is refused. */
    const values = () => {
      const s = model.setting(key.value);
      if (s?.type !== 'integer' && s?.type !== 'number') return sides.map((side) => JSON.parse(side.select.value));
      const parsed = sides.map((side) => parseSettingValue(s, side.input.value));
      parsed.forEach((p, i) => { if (p.error) showError(this.body, sides[i].id, `${labelOf(s.key)}: ${p.error}`); });
      return parsed.some((p) => p.error) ? null : parsed.map((p) => p.value);
    };
    const error = el('p', { className: 'error', role: 'alert' });
    error.dataset.errorFor = 'compare';
    const go = el('button', { type: 'button', className: 'primary', id: 'compare-go', textContent: 'Create both runs' });
    const cancel = el('button', { type: 'button', textContent: 'Cancel' });
    cancel.addEventListener('click', () => this.dialog.close());
    go.addEventListener('click', async () => {
      clearError(this.body, 'compare');
      const chosen = values();
      if (!chosen) return;
      go.disabled = true;
      try {
        const [codeA, codeB] = await this.create(start.value === 'demonstration', key.value, chosen[0], chosen[1]);
        location.assign(`/r/${codeA}${writeFlags({ ...this.flags, compare: codeB })}`);
      } catch (e) {
        showError(this.body, 'compare', explain(e, (k) => this.session.labelOf(k)));
        go.disabled = false;
      }
    });
    const side = (label, s) => el('div', { className: 'compare-value' },
      el('label', { htmlFor: s.select.hidden ? s.input.id : s.id, textContent: label }), s.select, s.input, s.error);
    const left = side('Left', sides[0]);
    const right = side('Right', sides[1]);
    key.addEventListener('change', () => {
      for (const [box, s] of [[left, sides[0]], [right, sides[1]]]) box.querySelector('label').htmlFor = s.select.hidden ? s.input.id : s.id;
    });
    this.body.append(
      el('div', { className: 'row' }, el('label', { htmlFor: 'compare-start', textContent: 'Start from' }), start),
      el('p', { textContent: 'Two new runs with the same data, settings and seed, differing only in:' }),
      el('div', { className: 'row' }, el('label', { htmlFor: 'compare-key', textContent: 'Setting' }), key),
      el('div', { className: 'compare-values' }, left, right), range,
      error, el('div', { className: 'row' }, go, cancel));
    this.dialog.showModal();
  }

  /** Creates the two runs, paused, from the demonstration or from the open run; returns their codes. */
  async create(fromDemonstration, key, left, right) {
    const model = this.session.model;
    const base = { seed: model.state?.seed ?? 1, playing: false };
    let config = model.config;
    if (fromDemonstration) {
      Object.assign(base, { preset: DEMONSTRATION.preset, defaults: DEMONSTRATION.defaults, seed: DEMONSTRATION.seed });
      config = { ...DEMONSTRATION.config };
    } else {
      const data = model.data;
      if (data?.kind === 'points' && Array.isArray(data.points)) {
        Object.assign(base, { points: data.points, jitter: data.jitter ?? 0.04 });
        if (data.weights) base.weights = data.weights;
      } else if (data?.preset) {
        base.preset = data.preset;
      }
    }
    const codes = [];
    for (const value of [left, right]) {
      const created = await api.createRun({ ...base, config: { ...config, [key]: value } });
      storeToken(created.code, created.token);
      codes.push(created.code);
    }
    return codes;
  }
}
