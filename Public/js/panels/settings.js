// Every hyperparameter, built from the settings table the server sends (`hello.settings`, docs/protocol.md §4):
// grouped, ordered and labelled by hand where that helps a student, so settings the engine adds later appear
// without page changes. Live settings apply at once; settings that rebuild the networks ask first. Values are
// checked by the server (the same ranges it enforces); its error appears under the control.
import { clearError } from '../errors.js';

const GROUPS = [
  ['generator', 'Generator'], ['discriminator', 'Discriminator'], ['training', 'Training'],
  ['noise', 'Noise (the generator’s input)'], ['stabilizers', 'Stabilisers'], ['views', 'What the views show'],
];
/** Hand order inside a group (lower first); keys not listed keep the table's order after these. */
const ORDER = {
  loss: 1, discriminatorSteps: 2, generatorSteps: 3, batchSize: 4, labelSmoothing: 5, smoothedRealLabel: 6, weightClip: 7, seed: 20,
  'noise.kind': 1, 'noise.dimension': 2,
};
const LABELS = {
  discriminatorSteps: 'D updates per epoch (k_D)', generatorSteps: 'G updates per epoch (k_G)',
  'noise.dimension': 'Noise dimensions', generatorOutput: 'Output layer',
};
const CHOICES = {
  relu: 'ReLU', 'leaky-relu': 'Leaky ReLU', tanh: 'tanh (inside the square)', linear: 'linear (unbounded)',
  'gan-lab': 'GAN Lab: N(0, 1/fan-in)', xavier: 'Xavier', he: 'He', sgd: 'SGD', momentum: 'Momentum', adam: 'Adam',
  rmsprop: 'RMSProp', saturating: 'Saturating: min log(1 − D)', 'non-saturating': 'Non-saturating: min −log D',
  'least-squares': 'Least squares', hinge: 'Hinge', wasserstein: 'Wasserstein (clipped)', uniform: 'Uniform', gaussian: 'Gaussian',
};

/** Short text of a number for an input. */
export function formatNumber(v) {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

const titleCase = (s) => s.charAt(0).toUpperCase() + s.slice(1).replace(/([A-Z])/g, ' $1').toLowerCase();

export class SettingsPanel {
  constructor(root, session, hidden = new Set()) {
    this.root = root;
    this.session = session;
    this.hidden = hidden;
    this.rows = new Map();
    this.readOnly = false;
    session.model.addEventListener('change', (e) => {
      if (e.detail === 'hello') this.build();
      if (e.detail === 'state') this.showValues();
    });
  }

  build() {
    const settings = this.session.model.hello?.settings || [];
    this.root.innerHTML = '';
    this.rows.clear();
    const groups = new Map(GROUPS.map(([id, title]) => [id, { title, items: [] }]));
    settings.forEach((s, index) => {
      if (!groups.has(s.group)) groups.set(s.group, { title: titleCase(s.group), items: [] });
      groups.get(s.group).items.push({ s, rank: ORDER[s.key] ?? 10 + index / 1000 });
    });
    for (const [id, group] of groups) {
      if (!group.items.length) continue;
      const details = document.createElement('details');
      details.className = 'panel settings-group';
      details.dataset.group = id;
      details.dataset.hide = `settings.${id}`;
      details.open = id === 'generator' || id === 'discriminator' || id === 'training';
      const summary = document.createElement('summary');
      summary.textContent = group.title;
      details.append(summary);
      group.items.sort((a, b) => a.rank - b.rank);
      for (const { s } of group.items) details.append(this.row(s));
      if (this.hidden.has(`settings.${id}`) || this.hidden.has('settings')) details.classList.add('hidden-by-lesson');
      this.root.append(details);
    }
    this.showValues();
    this.setReadOnly(this.readOnly);
  }

  row(s) {
    const row = document.createElement('div');
    row.className = 'setting';
    row.dataset.setting = s.key;
    if (this.hidden.has(s.key)) row.classList.add('hidden-by-lesson');
    const id = `set-${s.key.replace(/[^a-zA-Z0-9]/g, '-')}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = LABELS[s.key] || s.label;
    label.title = s.help || '';
    if (s.effect === 'rebuild') {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'restarts';
      badge.title = 'Changing this builds new networks from the seed; training restarts at epoch 0.';
      label.append(badge);
    }
    const value = document.createElement('div');
    value.className = 'value';
    const control = this.control(s, id, row);
    value.append(...control.elements);
    row.append(label, value);
    if (s.type === 'integer' || s.type === 'number') {
      const range = document.createElement('p');
      range.className = 'range';
      range.textContent = `${s.help ? s.help + ' ' : ''}Allowed ${formatNumber(s.min)} … ${formatNumber(s.max)}.`;
      row.append(range);
    } else if (s.help) {
      const help = document.createElement('p');
      help.className = 'help';
      help.textContent = s.help;
      row.append(help);
    }
    const confirm = document.createElement('div');
    confirm.className = 'confirm';
    confirm.hidden = true;
    confirm.innerHTML = '<span>This builds new networks from the seed: training restarts at epoch 0 (your data and other settings stay).</span>';
    const yes = document.createElement('button');
    yes.type = 'button';
    yes.className = 'primary';
    yes.textContent = 'Rebuild';
    const no = document.createElement('button');
    no.type = 'button';
    no.textContent = 'Cancel';
    confirm.append(yes, no);
    const error = document.createElement('p');
    error.className = 'error';
    error.dataset.errorFor = s.key;
    error.setAttribute('role', 'alert');
    error.id = `${id}-error`;
    control.input.setAttribute('aria-describedby', error.id);
    row.append(confirm, error);
    const entry = { s, row, control, confirm, pending: undefined };
    yes.addEventListener('click', () => { confirm.hidden = true; this.send(entry, entry.pending); });
    no.addEventListener('click', () => { confirm.hidden = true; entry.pending = undefined; row.classList.remove('pending'); this.showValue(entry); });
    this.rows.set(s.key, entry);
    return row;
  }

  /** Builds the input(s) for a setting; returns { elements, input, set(value) }. */
  control(s, id, row) {
    const commit = (value) => this.changed(s.key, value);
    if (s.type === 'boolean') {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.id = id;
      input.dataset.control = s.key;
      input.addEventListener('change', () => commit(input.checked));
      return { elements: [input], input, set: (v) => { input.checked = !!v; } };
    }
    if (s.type === 'choice') {
      const input = document.createElement('select');
      input.id = id;
      input.dataset.control = s.key;
      for (const c of s.choices || []) {
        const option = document.createElement('option');
        option.value = c;
        option.textContent = CHOICES[c] || c;
        input.append(option);
      }
      input.addEventListener('change', () => commit(input.value));
      return { elements: [input], input, set: (v) => { input.value = v; } };
    }
    const input = document.createElement('input');
    input.type = 'text';
    input.inputMode = s.type === 'integer' ? 'numeric' : 'decimal';
    input.id = id;
    input.dataset.control = s.key;
    input.autocomplete = 'off';
    input.spellcheck = false;
    const parse = () => {
      const text = input.value.trim().replace(',', '.');
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) {
        const what = s.type === 'integer' ? 'a whole number' : 'a number';
        this.localError(s, `Type ${what} from ${formatNumber(s.min)} to ${formatNumber(s.max)}.`);
        return;
      }
      commit(v);
    };
    input.addEventListener('change', parse);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); parse(); } });
    const elements = [input];
    let slider = null;
    if (s.type === 'integer') {
      const minus = document.createElement('button');
      minus.type = 'button';
      minus.textContent = '−';
      minus.setAttribute('aria-label', `${s.label}: one less`);
      const plus = document.createElement('button');
      plus.type = 'button';
      plus.textContent = '+';
      plus.setAttribute('aria-label', `${s.label}: one more`);
      const wrap = document.createElement('span');
      wrap.className = 'stepper';
      const bump = (d) => {
        const current = Number(input.value);
        const next = Math.min(s.max, Math.max(s.min, (Number.isFinite(current) ? Math.round(current) : s.default) + d));
        input.value = String(next);
        commit(next);
      };
      minus.addEventListener('click', () => bump(-1));
      plus.addEventListener('click', () => bump(1));
      input.style.width = s.max > 1e6 ? '11em' : '4.5em';
      wrap.append(minus, input, plus);
      elements[0] = wrap;
    } else if (s.scale === 'log' && s.min > 0) {
      slider = document.createElement('input');
      slider.type = 'range';
      slider.min = String(Math.log10(s.min));
      slider.max = String(Math.log10(s.max));
      slider.step = '0.01';
      slider.setAttribute('aria-label', `${s.label} (log scale)`);
      slider.addEventListener('input', () => { input.value = formatNumber(Number(Math.pow(10, slider.value).toPrecision(2))); });
      slider.addEventListener('change', () => commit(Number(Math.pow(10, slider.value).toPrecision(2))));
      elements.unshift(slider);
    }
    return {
      elements, input,
      set: (v) => {
        input.value = s.type === 'integer' ? String(v) : formatNumber(v);
        if (slider && v > 0) slider.value = String(Math.log10(v));
      },
    };
  }

  localError(s, message) {
    const entry = this.rows.get(s.key);
    entry.row.querySelector(`[data-error-for="${CSS.escape(s.key)}"]`).textContent = message;
    entry.control.input.setAttribute('aria-invalid', 'true');
  }

  /** A person changed `key` to `value`: live settings go at once, rebuild settings ask first. */
  changed(key, value) {
    const entry = this.rows.get(key);
    clearError(this.root, key);
    if (entry.s.effect === 'rebuild' && value !== this.session.model.config[key]) {
      entry.pending = value;
      entry.row.classList.add('pending');
      entry.confirm.hidden = false;
      entry.confirm.querySelector('button.primary').focus({ preventScroll: true });
      return;
    }
    this.send(entry, value);
  }

  async send(entry, value) {
    entry.row.classList.remove('pending');
    entry.pending = undefined;
    const ack = await this.session.command('configure', { config: { [entry.s.key]: value } }, entry.s.key);
    if (ack) clearError(this.root, entry.s.key);
    this.applyConditions();
  }

  showValue(entry) {
    const config = this.session.model.config;
    if (!(entry.s.key in config)) return;
    const input = entry.control.input;
    const editing = document.activeElement === input || input.getAttribute('aria-invalid') === 'true' || !entry.confirm.hidden;
    if (!editing) entry.control.set(config[entry.s.key]);
  }

  showValues() {
    for (const entry of this.rows.values()) this.showValue(entry);
    this.applyConditions();
  }

  /** Shows a setting only while its `when` condition holds. */
  applyConditions() {
    const config = this.session.model.config;
    for (const entry of this.rows.values()) {
      const when = entry.s.when;
      entry.row.hidden = !!when && !(when.values || []).includes(config[when.key]);
    }
  }

  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    for (const el of this.root.querySelectorAll('input, select, button')) el.disabled = readOnly;
  }
}
