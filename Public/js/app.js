// The lab page: finds or creates the run the URL names, opens its session, builds the views and panels, and
// draws on requestAnimationFrame. Protocol: docs/protocol.md. One concern per module; this one only wires.
import * as api from './api.js';
import { LabSession } from './lab.js';
import { forgetToken, readLocation, showRunInURL, storeToken, tokenFor, writeFlags } from './session.js';
import { PlotView } from './views/plot.js';
import { Overview } from './views/overview.js';
import { PALETTES } from './views/palette.js';
import { Legend, serverLayers } from './panels/legend.js';
import { Toolbar } from './panels/toolbar.js';
import { Charts } from './panels/charts.js';
import { DataPanel } from './panels/data.js';
import { SettingsPanel } from './panels/settings.js';
import { PresentDialog } from './panels/present.js';
import { ShareDialog } from './panels/share.js';
import { installShortcuts } from './keyboard.js';
import { startCompare } from './compare.js';
import { CompareSetup } from './compare-setup.js';
import { explain } from './errors.js';
import { DrawTimer } from './perf.js';
import { installJoinForm } from './join.js';

const byId = (id) => document.getElementById(id);

/** Shows a sentence where the lab would be, with a way forward. */
function fatal(message) {
  const main = byId('lab');
  main.innerHTML = '';
  const box = document.createElement('section');
  box.className = 'panel';
  box.style.padding = '16px';
  const p = document.createElement('p');
  p.textContent = message;
  const a = document.createElement('a');
  a.href = '/';
  a.textContent = 'Start a new run of your own';
  box.append(p, a);
  main.append(box);
  byId('connection-text').textContent = message;
  byId('connection').dataset.status = 'closed';
}

/** Creates a run and remembers its token; returns its code. */
async function create(body) {
  const created = await api.createRun(body);
  storeToken(created.code, created.token);
  return created.code;
}

/** Opens another run (fork, import, pretrained): a new history entry, so Back returns here. */
function openRun(created, flags) {
  storeToken(created.code, created.token);
  location.assign(`/r/${created.code}${writeFlags({ ...flags, compare: null })}`);
}

/**
 * Set by `startLab` when this page load created its run: called before joining another run by its code, so a
 * student who opened `/` and then typed the class's code leaves no run of their own training (issue: 30 students
 * were 30 runs on 2 cores).
 */
let beforeJoin = null;

/** The students' address `/?join`: the code box, no run created. */
function joinOnly() {
  const main = byId('lab');
  main.innerHTML = '';
  const box = document.createElement('section');
  box.className = 'panel join-only';
  box.innerHTML = '<h2>Join your class’s run</h2><p>Type the six-character code your teacher shows into '
    + '<strong>Join a run</strong> above, or scan the QR code. You will watch the run live; fork it to experiment on your own copy.</p>'
    + '<p><a href="/">Or start a run of your own</a></p>';
  main.append(box);
  document.body.classList.add('no-run');
  byId('connection').dataset.status = 'idle';
  byId('connection-text').textContent = 'Not in a run yet';
  byId('join-code').focus();
}

async function main() {
  const where = readLocation();
  const flags = where.flags;
  installJoinForm(byId('join-form'), {
    open: async (code) => {
      if (beforeJoin) await beforeJoin(code).catch(() => null);
      location.assign(`/r/${code}`);
    },
  });
  if (where.kind === 'join') return joinOnly();
  document.body.classList.toggle('presenter', flags.presenter);
  document.body.classList.toggle('colourblind', flags.palette === 'colourblind');
  let code = where.code;
  try {
    if (where.kind === 'bad') return fatal(`"${where.text}" is not a run code: codes are six letters and digits, such as K7QX3M.`);
    if (where.kind === 'new') code = await create({});
    if (where.kind === 'share') code = await create({ share: where.blob });
  } catch (error) {
    return fatal(where.kind === 'share' ? `This share link could not be opened: ${explain(error)}` : `Could not start a run: ${explain(error)}`);
  }
  showRunInURL(code, flags);
  if (flags.compare) return startCompare(code, flags.compare, flags);
  startLab(code, flags, where.kind === 'new');
}

/** `createdHere`: this page load created the run (at `/`), so it is the visitor's own until they leave it. */
function startLab(code, flags, createdHere = false) {
  const palette = () => PALETTES[flags.palette];
  const legend = new Legend(byId('legend'), flags.layers, flags.arrows, flags.scale);
  const overviewPanel = byId('overview-panel');
  const subscription = () => {
    const layers = serverLayers(legend.on, legend.source);
    if (overviewPanel.open) for (const l of Overview.layers) layers.add(l);
    if (legend.source === 'dgrad' && overviewPanel.open) layers.add('dgrad');
    return { fps: document.hidden ? 1 : 30, layers: [...layers] };
  };
  const session = new LabSession(code, { token: tokenFor(code), subscription: subscription(), errorRoot: document.body });
  const model = session.model;
  const plot = new PlotView(byId('plot'));
  const overview = new Overview(byId('overview'));
  const charts = new Charts(byId('charts'), model, palette());
  const toolbar = new Toolbar(session);
  const data = new DataPanel(byId('data-controls'), session, plot);
  const settings = new SettingsPanel(byId('settings'), session, flags.hide);
  const present = new PresentDialog(session);
  if (createdHere) {
    // Joining another run: delete the one `/` made if the person never changed it (Back then shows the join box,
    // not a deleted run), else pause it so it stops using the server's cores until they come back.
    beforeJoin = async (other) => {
      const token = tokenFor(code);
      if (other === code || !token) return;
      if (session.changesSent === 0) {
        session.stop();
        await api.deleteRun(code, token);
        forgetToken(code);
        history.replaceState(null, '', '/?join');
        // Back may bring this page out of the back/forward cache: load /?join afresh instead of a deleted run.
        window.addEventListener('pageshow', (event) => { if (event.persisted) location.reload(); });
      } else if (model.state?.state === 'playing') {
        await session.command('pause', {}, 'general');
      }
    };
  }
  const timer = new DrawTimer();
  let share = null;
  let sceneDirty = true;

  const resubscribe = () => { sceneDirty = true; session.subscribe(subscription()); };
  /** The sentence under the plot says what the arrows show now. */
  const showArrowHint = () => {
    byId('arrow-hint').textContent = legend.source === 'dgrad'
      ? 'Arrows: ∇D, the direction in which the discriminator finds each fake more real (as GAN Lab draws them).'
      : "Arrows: where the generator's loss pushes each fake.";
  };
  showArrowHint();
  legend.addEventListener('change', showArrowHint);
  legend.addEventListener('change', () => {
    flags.layers = [...legend.on];
    flags.arrows = legend.source === 'dgrad' ? 'dgrad' : null;
    flags.scale = legend.scale === 'absolute' ? 'absolute' : null;
    showRunInURL(code, flags);
    resubscribe();
  });
  overviewPanel.addEventListener('toggle', resubscribe);
  document.addEventListener('visibilitychange', resubscribe);
  plot.onresize = () => { sceneDirty = true; };
  data.addEventListener('open-run', (e) => openRun(e.detail, flags));

  // Lesson links: hide the controls the URL names.
  for (const node of document.querySelectorAll('[data-hide]')) {
    if (flags.hide.has(node.dataset.hide)) node.classList.add('hidden-by-lesson');
  }

  // Top bar: code, role, viewers, connection.
  byId('run-code').textContent = code;
  const connection = byId('connection');
  session.addEventListener('status', (e) => {
    const { status, reason } = e.detail;
    connection.dataset.status = status;
    byId('connection-text').textContent = status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : reason || status;
  });
  let authFailed = false;
  const generalError = document.querySelector('.toolbar [data-error-for="general"]');
  session.addEventListener('auth-failed', () => { authFailed = true; showRole(); });
  const showRole = () => {
    const controller = model.isController;
    document.body.classList.toggle('read-only', !controller);
    byId('run-role').textContent = controller ? 'you control this run' : 'watching · read-only';
    const banner = byId('banner');
    banner.hidden = controller || !model.state;
    byId('banner-text').textContent = authFailed
      ? 'The key saved for this run was not accepted, so you are watching read-only.'
      : `Watching ${code} live, read-only. Fork it to experiment on your own copy.`;
    for (const el of document.querySelectorAll('.toolbar button, .toolbar input')) el.disabled = !controller;
    // Viewers have no toolbar (it is hidden: nothing in it is theirs to use), so its general error line moves into
    // the banner, where a refused shortcut is explained.
    (controller ? byId('lab').querySelector('.toolbar') : banner).append(generalError);
    settings.setReadOnly(!controller);
    data.setReadOnly(!controller);
  };
  const showViewers = () => {
    const n = model.viewers;
    byId('viewers').textContent = `${n} watching`;
    byId('viewers').title = `${n} ${n === 1 ? 'person' : 'people'} watching this run`;
  };
  model.addEventListener('change', (e) => {
    if (e.detail === 'state') { showRole(); showViewers(); }
    if (e.detail === 'viewers') showViewers();
    if (e.detail === 'data' || e.detail === 'hello') sceneDirty = true;
  });
  byId('fork-button').addEventListener('click', async () => {
    const ack = await session.command('fork', {}, 'fork');
    if (ack) openRun(ack, flags);
  });

  // View menu: presenter mode and palette.
  const viewButton = byId('view-button');
  const viewMenu = byId('view-menu');
  viewButton.addEventListener('click', () => {
    viewMenu.hidden = !viewMenu.hidden;
    viewButton.setAttribute('aria-expanded', String(!viewMenu.hidden));
  });
  const presenterBox = byId('presenter-mode');
  const colourBox = byId('colourblind-mode');
  presenterBox.checked = flags.presenter;
  colourBox.checked = flags.palette === 'colourblind';
  const togglePresenter = (on) => {
    flags.presenter = on;
    presenterBox.checked = on;
    document.body.classList.toggle('presenter', on);
    showRunInURL(code, flags);
    sceneDirty = true;
    charts.remeasure();
  };
  presenterBox.addEventListener('change', () => togglePresenter(presenterBox.checked));
  colourBox.addEventListener('change', () => {
    flags.palette = colourBox.checked ? 'colourblind' : 'reference';
    document.body.classList.toggle('colourblind', colourBox.checked);
    charts.setPalette(palette());
    showRunInURL(code, flags);
    sceneDirty = true;
  });

  const exportPNG = () => new Promise((resolve) => {
    const source = byId('plot');
    const out = document.createElement('canvas');
    out.width = source.width;
    out.height = source.height + 40;
    const ctx = out.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    ctx.fillStyle = '#222';
    ctx.font = `${Math.round(source.width / 36)}px system-ui, sans-serif`;
    ctx.fillText(`ganlab run ${code} · epoch ${(session.motion.to.epoch || 0).toLocaleString('en-US')} · ${model.data?.title || ''}`, 10, source.height + 27);
    out.toBlob(resolve, 'image/png');
  });
  const openShare = () => {
    if (!share) {
      share = new ShareDialog(session, flags, exportPNG);
      share.addEventListener('open-run', (e) => openRun(e.detail, flags));
    }
    share.open();
  };
  byId('share-button').addEventListener('click', openShare);
  byId('present-button').addEventListener('click', () => present.open());
  byId('help-button').addEventListener('click', () => byId('help-dialog').showModal());
  const compareSetup = new CompareSetup(session, flags);
  byId('compare-button').addEventListener('click', () => compareSetup.open());

  installShortcuts({
    playPause: () => toolbar.togglePlay(),
    step: () => toolbar.stepEpoch(),
    stepD: () => toolbar.stepD(),
    stepG: () => toolbar.stepG(),
    slowmo: () => toolbar.toggleSlowmo(),
    reset: () => toolbar.reset(),
    present: () => present.open(),
    help: () => byId('help-dialog').showModal(),
    escape: () => {
      if (data.drawingActive) data.stopDrawing();
      viewMenu.hidden = true;
    },
  }, {
    playPause: byId('play'), step: byId('step-epoch'), stepD: byId('step-d'), stepG: byId('step-g'), slowmo: byId('slowmo'),
    reset: byId('reset'), present: byId('present-button'),
  });

  // Drawing loop: blend, draw what changed, measure main-thread time.
  const caption = byId('slowmo-caption');
  let lastCaption = -1;
  const scene = (layers) => ({
    layers, palette: palette(), real: model.real, realCount: model.realCount, modes: model.data?.modes || [],
    arrowSource: legend.source, noise: model.noise, noiseCount: model.noiseCount, bold: flags.presenter, scale: legend.scale,
  });
  let wasMoving = false;
  let lastChartDraw = -Infinity;
  let lastScaleNote = -Infinity;
  let sceneDirtyThumbs = true;
  /** Animation frames seen and those that drew something (tests divide the main thread's time by them). */
  const loopCounts = { frames: 0, drawn: 0 };
  const drawAll = (now, force) => {
    const moving = session.motion.isMoving(now) || overview.isMorphing(now);
    const fresh = session.framesReceived !== drawAll.frames;
    const shown = session.motion.update(now);
    let drew = false;
    const started = performance.now();
    // `wasMoving`: one more draw when a blend ends, so the final state is on screen.
    const draw = force || moving || wasMoving || fresh || sceneDirty;
    wasMoving = moving;
    if (draw) {
      drawAll.frames = session.framesReceived;
      if (sceneDirty) sceneDirtyThumbs = true;
      sceneDirty = false;
      plot.draw(shown, scene(legend.on));
      // Thumbnails are small: new frames and the end of a blend are enough for them (every frame when forced).
      if (overviewPanel.open && (force || fresh || !moving || sceneDirtyThumbs)) {
        overview.draw(shown, scene(null));
        sceneDirtyThumbs = false;
      }
      drew = true;
      /** When the newest frame was last drawn at rest (the end of its blend): tests wait for it. */
      if (!moving) session.lastRestingDrawAt = performance.now();
    }
    overview.update(shown, palette());
    // Charts change with each frame's metrics, but 5 redraws a second are plenty for a line chart.
    if ((force || now - lastChartDraw > 200) && charts.draw(force) > 0) { drew = true; lastChartDraw = now; }
    // The scales' note changes with every frame's numbers: a few times a second is enough to read it.
    if (now - lastScaleNote > 250) { lastScaleNote = now; legend.showScales(plot.scales, legend.on); }
    if (drew) timer.record(performance.now() - started);
    if (drew && !force) loopCounts.drawn++;
    toolbar.showFrame(shown);
    const step = shown && shown.state === 2 ? shown.subStep : 0;
    if (step !== lastCaption) {
      lastCaption = step;
      caption.hidden = step === 0;
      caption.dataset.phase = step > 5 ? 'g' : 'd';
      caption.textContent = step ? Overview.caption(step) : '';
    }
  };
  drawAll.frames = -1;
  const loop = (now) => {
    loopCounts.frames++;
    drawAll(now, false);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);

  // For the browser tests and for curious people with a console open.
  window.ganlab = {
    session, model, plot, overview, charts, legend, settings, data, timer, flags, scene, loopCounts,
    /**
     * Draws the full picture `n` times (plot, thumbnails, every chart) and returns main-thread ms:
     * `{ count, p5, median, p95, mean, max, parts: { plot, overview, charts: { p5, median, p95 } } }`. Each timed sample
     * ends by reading one pixel of every canvas it drew, which makes the browser finish that canvas's pending
     * drawing (rasterising included) inside the sample instead of at some later paint. `only` ('full', 'plot',
     * 'overview' or 'charts') draws just that, `n` times, for measuring the thread's CPU time around the call.
     */
    benchmarkDraw(n = 50, only = null) {
      const thumbs = [...document.querySelectorAll('#overview canvas')];
      const chartCanvases = [...document.querySelectorAll('#charts canvas')].filter((c) => c.offsetParent !== null);
      const plotCanvas = byId('plot');
      const finish = (list) => { let sum = 0; for (const c of list) sum += c.getContext('2d').getImageData(0, 0, 1, 1).data[3]; return sum; };
      const all = [plotCanvas, ...(overviewPanel.open ? thumbs : []), ...chartCanvases];
      const bench = new DrawTimer(n);
      const parts = { plot: new DrawTimer(n), overview: new DrawTimer(n), charts: new DrawTimer(n) };
      finish(all);
      const shown = session.motion.update(performance.now());
      if (only && only !== 'full') {
        const one = {
          plot: () => { plot.draw(shown, scene(legend.on)); finish([plotCanvas]); },
          overview: () => { overview.draw(shown, scene(null)); finish(thumbs); },
          charts: () => { charts.draw(true); finish(chartCanvases); },
        }[only];
        for (let i = 0; i < n; i++) one();
        return { count: n };
      }
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        drawAll(performance.now(), true);
        finish(all);
        bench.record(performance.now() - t0);
      }
      // The same draws one part at a time, to see where the time goes.
      for (let i = 0; i < (only ? 0 : n); i++) {
        let t = performance.now();
        plot.draw(shown, scene(legend.on));
        finish([plotCanvas]);
        parts.plot.record(performance.now() - t);
        t = performance.now();
        overview.draw(shown, scene(null));
        finish(thumbs);
        parts.overview.record(performance.now() - t);
        t = performance.now();
        charts.draw(true);
        finish(chartCanvases);
        parts.charts.record(performance.now() - t);
      }
      const result = bench.summary();
      result.parts = Object.fromEntries(Object.entries(parts).map(([k, v]) => {
        const sum = v.summary();
        return [k, { p5: sum.p5, median: sum.median, p95: sum.p95 }];
      }));
      result.canvases = all.length;
      return result;
    },
  };
  session.start();
}

main();
