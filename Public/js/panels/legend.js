// The plot's legend: one switch per layer (as the reference's underlined legend words), and which gradient
// the arrows show. Which layers are on decides which frame sections the page subscribes to.

export const LAYER_INFO = [
  { name: 'field', label: "Discriminator's field", key: 'linear-gradient(90deg, rgb(194,165,207), #f7f7f7, rgb(166,219,160))', on: true,
    help: 'Background: green where the discriminator thinks points are real, purple where it thinks they are fake.' },
  { name: 'real', label: 'Real samples', key: 'var(--real)', on: true, help: 'Samples of the distribution the generator should learn.' },
  { name: 'fakes', label: 'Fake samples', key: 'var(--fake)', on: true, help: "The generator's samples (from fixed noise, so each dot moves smoothly)." },
  { name: 'arrows', label: 'Gradients on fakes', key: 'var(--grad)', on: true, help: "Where the generator's loss pushes each fake." },
  { name: 'grid', label: 'Gradient field', key: '#777', on: false, help: 'The same push everywhere on a coarse grid.' },
  { name: 'manifold', label: 'Generator manifold', key: 'var(--fake)', on: false,
    help: 'The noise grid bent by the generator; darker cells mean more samples in less space.' },
  { name: 'modes', label: 'Modes', key: 'transparent', on: true,
    help: 'A marker at the centre of each known mode of the preset; fainter when few fakes cover it, dashed red when none do.' },
  { name: 'predictions', label: "Colour dots by D's verdict", key: 'linear-gradient(90deg, var(--fake), var(--real))', on: false,
    help: "Colour each sample by the discriminator's output on it." },
];

/** Server layers (protocol §3.3) needed to draw plot layers `on` with arrows from `source`. */
export function serverLayers(on, source) {
  const out = new Set();
  for (const name of on) {
    if (name === 'arrows') out.add(source === 'dgrad' ? 'dgrad' : 'arrows');
    else if (name === 'grid') out.add(source === 'dgrad' ? 'gridDgrad' : 'grid');
    else if (name === 'field' || name === 'fakes' || name === 'manifold' || name === 'modes' || name === 'predictions') out.add(name);
  }
  if (on.has('arrows')) out.add('fakes');
  return out;
}

export class Legend extends EventTarget {
  /** `initial`: array of layer names to start with (from the URL), or null for the defaults; `source`: what the
   * arrows show at first ('arrows' or 'dgrad', also from the URL); `scaleMode`: 'auto' or 'absolute' (URL too). */
  constructor(root, initial, source = 'arrows', scaleMode = 'auto') {
    super();
    this.root = root;
    this.on = new Set(initial || LAYER_INFO.filter((l) => l.on).map((l) => l.name));
    this.source = source === 'dgrad' ? 'dgrad' : 'arrows';
    for (const info of LAYER_INFO) {
      const label = document.createElement('label');
      label.title = info.help;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = this.on.has(info.name);
      box.dataset.layer = info.name;
      box.addEventListener('change', () => this.set(info.name, box.checked));
      const key = document.createElement('span');
      key.className = 'key';
      key.style.background = info.key;
      if (info.name === 'modes') key.style.border = '2px solid var(--real)';
      label.append(box, key, document.createTextNode(info.label));
      root.append(label);
    }
    root.append(labelledSelect('arrow-source', 'What the arrows show',
      "The reference draws ∇D (the direction that looks more real to D); the loss gradient also shows its size: tiny arrows mean a vanishing gradient.",
      [['arrows', 'Arrows: −∇ generator loss'], ['dgrad', 'Arrows: ∇D (as GAN Lab)']],
      this.source, (value) => { this.source = value; this.changed(); }));
    this.scale = scaleMode === 'absolute' ? 'absolute' : 'auto';
    root.append(labelledSelect('plot-scale', 'Colour and arrow scales',
      'Auto: the field\'s colours stretched to the range of D in view (white is still D = 0.5) and arrows '
      + 'scaled so the longest is readable; absolute: colours over D = 0…1 and fixed arrow lengths.',
      [['auto', 'Scales: auto (stretched to view)'], ['absolute', 'Scales: absolute (D 0…1)']],
      this.scale, (value) => { this.scale = value; this.changed(); }));
    /** One line under the switches: the scales the plot used (field range and stretch, arrow gains). */
    this.note = document.createElement('p');
    this.note.id = 'scale-note';
    this.note.className = 'scale-note';
    this.note.setAttribute('aria-live', 'off');
    root.append(this.note);
    this.noteText = '';
  }

  /** Shows the plot's scales (`PlotView.scales`) in words, rounded so the text changes only a few times a second. */
  showScales(s, on) {
    const parts = [];
    const g = (v) => (v >= 0.01 && v < 1000 ? String(Number(v.toPrecision(2))) : v.toExponential(1));
    if (on.has('field') && Number.isFinite(s.fieldLow)) {
      const range = `D ${s.fieldLow.toFixed(3)}…${s.fieldHigh.toFixed(3)} in view`;
      parts.push(s.auto && s.fieldStretch > 1.05
        ? `Field: ${range}, colours stretched ×${s.fieldStretch.toFixed(s.fieldStretch < 10 ? 1 : 0)} about 0.5 (white = 0.5; ${Math.round(100 * s.fieldSaturated)} % of it saturates)`
        : `Field: ${range}, colours over 0…1`);
    }
    const what = this.source === 'dgrad' ? '|∇D|' : '|∇ loss|';
    if (on.has('arrows') && Number.isFinite(s.arrowLongest)) parts.push(`Arrows: length ${g(s.arrowGain)} × ${what} (longest ${g(s.arrowLongest)})`);
    if (on.has('grid') && Number.isFinite(s.gridLongest)) parts.push(`Gradient field: ${g(s.gridGain)} × ${what} (longest ${g(s.gridLongest)})`);
    const text = parts.join(' · ');
    if (text !== this.noteText) { this.noteText = text; this.note.textContent = text; }
  }

  set(name, on) {
    if (on) this.on.add(name); else this.on.delete(name);
    const box = this.root.querySelector(`input[data-layer="${name}"]`);
    if (box) box.checked = on;
    this.changed();
  }

  changed() { this.dispatchEvent(new Event('change')); }
}

/** A `<label>` holding a `<select>` of `[value, text]` options: the legend's two view switches. */
function labelledSelect(id, ariaLabel, title, options, value, onChange) {
  const label = document.createElement('label');
  label.title = title;
  const select = document.createElement('select');
  select.id = id;
  select.setAttribute('aria-label', ariaLabel);
  for (const [optionValue, text] of options) {
    const option = document.createElement('option');
    option.value = optionValue;
    option.textContent = text;
    select.append(option);
  }
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  label.append(select);
  return label;
}
