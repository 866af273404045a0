// Compare: two runs from the same seed and data that differ in one setting (by default the saturating minimax
// loss against the non-saturating one), side by side, each with its plot and charts, one set of buttons for both.
// The dialog that creates them is compare-setup.js.
import { LabSession } from './lab.js';
import { tokenFor, showRunInURL, writeFlags } from './session.js';
import { PlotView } from './views/plot.js';
import { PALETTES } from './views/palette.js';
import { Charts } from './panels/charts.js';
import { el } from './dom.js';
import { installShortcuts } from './keyboard.js';

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
  // What to watch, shown once the two runs turn out to be the saturating loss against the non-saturating one.
  const watch = el('p', { className: 'compare-watch', id: 'compare-watch', hidden: true,
    textContent: 'Watch the gradient-norm charts: the saturating side’s falls once the discriminator wins, and its fakes stop moving while the other side’s keep closing in on the real data.' });
  root.append(el('div', { className: 'compare-bar' }, play, step, reset, back, watch));
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
  /** Titles each side with the setting(s) the two runs differ in (the loss until both configurations are known). */
  const showDifference = () => {
    const configs = sides.map((s) => s.session.model.state?.config);
    const keys = configs.every(Boolean)
      ? Object.keys(configs[0]).filter((k) => k !== 'seed' && JSON.stringify(configs[0][k]) !== JSON.stringify(configs[1][k]))
      : [];
    const shown = keys.length ? keys : ['loss'];
    sides.forEach((s, i) => {
      const text = `${s.code} · ${shown.map((k) => `${s.session.labelOf(k) || k}: ${configs[i]?.[k] ?? '?'}`).join(' · ')}`;
      if (s.title.textContent !== text) s.title.textContent = text;
    });
    const losses = configs.map((c) => c?.loss);
    watch.hidden = !(keys.length === 1 && keys[0] === 'loss' && losses.includes('saturating') && losses.includes('non-saturating'));
  };
  sides = [codeA, codeB].map((code, index) => {
    const title = el('h2', { textContent: code });
    const meta = el('span', { className: 'meta', textContent: 'connecting…' });
    // Each side's errors appear on its own line (a refused command names the run it was refused by).
    const error = el('p', { className: 'error general', role: 'alert', dataset: { errorFor: 'general' } });
    const canvas = el('canvas', { className: 'plot' });
    canvas.dataset.code = code;
    const wrap = el('div', { className: 'plot-wrap' }, canvas);
    const chartsRoot = el('div', { className: 'charts' });
    const side = el('section', { className: 'compare-side', dataset: { side: index ? 'right' : 'left', code } },
      el('div', { className: 'compare-head' }, title, meta), error, wrap, chartsRoot);
    grid.append(side);
    const session = new LabSession(code, { token: tokenFor(code), errorRoot: side,
      subscription: { fps: 30, layers: ['fakes', 'arrows', 'field', 'modes'] } });
    const plot = new PlotView(canvas);
    const charts = new Charts(chartsRoot, session.model, palette, ['losses', 'gradnorm', 'js', 'kl']);
    session.model.addEventListener('change', (e) => {
      if (e.detail === 'viewers' || e.detail === 'state') showViewers();
      if (e.detail !== 'state') return;
      showDifference();
      showRoles();
    });
    session.addEventListener('status', () => showConnection());
    return { code, session, plot, charts, meta, error, title };
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
