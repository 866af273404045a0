// The running controls: play/pause, step epoch / D / G, fast-forward N epochs, speed, slow motion, reset,
// new seed; and the epoch counter with the measured epochs per second.

const byId = (id) => document.getElementById(id);

/** Epochs per second for the speed slider's position v (log scale: 10^v, 1…100,000). */
const speedAt = (v) => Math.round(Math.pow(10, v));
const sliderAt = (speed) => Math.log10(Math.max(1, speed));

export class Toolbar {
  constructor(session) {
    this.session = session;
    this.play = byId('play');
    this.speed = byId('speed');
    this.speedMax = byId('speed-max');
    this.speedValue = byId('speed-value');
    this.slowmo = byId('slowmo');
    this.epoch = byId('epoch');
    this.eps = byId('eps');
    this.runState = byId('run-state');
    this.shownEpoch = -1;
    this.shownEps = '';
    /** The socket's status: while it is not open the rate and play state would be stale, so they say so instead. */
    this.connection = 'connecting';
    session.addEventListener('status', (e) => {
      this.connection = e.detail.status;
      this.shownEps = null;
      this.showState();
      this.showFrame(this.lastFrame);
    });
    const send = (type, fields, source) => session.command(type, fields, source);
    this.play.addEventListener('click', () => this.togglePlay());
    byId('step-epoch').addEventListener('click', () => this.stepEpoch());
    byId('step-d').addEventListener('click', () => this.stepD());
    byId('step-g').addEventListener('click', () => this.stepG());
    byId('ff-go').addEventListener('click', () => this.fastForward());
    byId('ff-count').addEventListener('keydown', (e) => { if (e.key === 'Enter') this.fastForward(); });
    this.speed.addEventListener('input', () => { this.speedValue.textContent = `${speedAt(this.speed.value).toLocaleString('en-US')} epochs/s`; });
    this.speed.addEventListener('change', () => {
      this.speedMax.checked = false;
      send('speed', { epochsPerSecond: speedAt(this.speed.value) }, 'epochsPerSecond');
    });
    this.speedMax.addEventListener('change', () => {
      send('speed', { epochsPerSecond: this.speedMax.checked ? 'max' : speedAt(this.speed.value) }, 'epochsPerSecond');
    });
    this.slowmo.addEventListener('click', () => this.toggleSlowmo());
    byId('reset').addEventListener('click', () => this.reset());
    byId('new-seed').addEventListener('click', () => send('seed', { seed: Math.floor(Math.random() * 2 ** 31) }, 'seed'));
    session.model.addEventListener('change', (e) => { if (e.detail === 'state') this.showState(); });
  }

  get isPlaying() { return this.session.model.state?.state === 'playing'; }

  togglePlay() { return this.session.command(this.isPlaying ? 'pause' : 'play', {}, 'general'); }
  toggleSlowmo() { return this.session.command('slowmo', { on: !this.session.model.state?.slowmo }, 'slowmo'); }
  stepEpoch() { return this.session.command('step', { what: 'epoch', count: 1 }, 'step'); }
  stepD() { return this.session.command('step', { what: 'd', count: 1 }, 'step'); }
  stepG() { return this.session.command('step', { what: 'g', count: 1 }, 'step'); }
  reset() { return this.session.command('reset', {}, 'reset'); }

  fastForward() {
    const input = byId('ff-count');
    const text = input.value.trim();
    const count = Number(text);
    if (text === '' || !Number.isFinite(count)) {
      byId('ff-error').textContent = 'Type how many epochs to train, a whole number such as 500.';
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    this.session.command('step', { what: 'epoch', count }, 'count');
  }

  showState() {
    const s = this.session.model.state;
    if (!s) return;
    this.play.textContent = s.state === 'playing' ? 'Pause' : 'Play';
    this.play.setAttribute('aria-label', s.state === 'playing' ? 'Pause training' : 'Play: start training');
    this.slowmo.setAttribute('aria-pressed', String(!!s.slowmo));
    const offline = this.connection !== 'open';
    this.runState.dataset.state = offline ? 'offline' : s.state;
    this.runState.textContent = offline ? (this.connection === 'closed' ? 'disconnected' : 'reconnecting…')
      : s.state === 'failed' ? 'diverged' : s.slowmo ? (s.state === 'playing' ? 'slow motion' : 'slow motion · paused') : s.state;
    this.runState.title = offline ? 'Not connected: the epoch is the last one seen' : s.error || '';
    this.epoch.classList.toggle('stale', offline);
    if (s.state === 'failed' && s.error) {
      const general = document.querySelector('.toolbar [data-error-for="general"]');
      if (general) general.textContent = `Training stopped: ${s.error} Press Reset or change a setting that rebuilds the networks.`;
    }
    if (document.activeElement !== this.speed) {
      this.speedMax.checked = s.speed === 'max';
      if (s.speed !== 'max' && Number.isFinite(s.speed)) this.speed.value = sliderAt(s.speed);
      this.speedValue.textContent = s.speed === 'max' ? 'as fast as possible' : `${Math.round(s.speed).toLocaleString('en-US')} epochs/s`;
    }
  }

  /** Called every animation frame with the shown frame: updates the counters only when they change. */
  showFrame(frame) {
    if (!frame) return;
    this.lastFrame = frame;
    if (frame.epoch !== this.shownEpoch) {
      this.shownEpoch = frame.epoch;
      this.epoch.textContent = frame.epoch.toLocaleString('en-US');
    }
    // The rate only while training and connected (the run state beside it already says "paused" or "reconnecting").
    const eps = this.connection !== 'open' ? '' : frame.state === 1 ? formatRate(frame.epochsPerSecond)
      : frame.state === 2 ? slowRate(this.session.model.state) : '';
    if (eps !== this.shownEps) { this.shownEps = eps; this.eps.textContent = eps; }
  }
}

/** "99.4 epochs/s" (a run that is playing but has not stepped yet shows nothing rather than "0.0"). */
function formatRate(v) {
  if (!(v > 0)) return '';
  return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)} epochs/s`;
}

/** Slow motion's pace from the state's `secondsPerStep` (one of the ten sub-steps), e.g. "1.5 s per sub-step". */
function slowRate(state) {
  const s = state?.secondsPerStep;
  return s > 0 ? `${s.toLocaleString('en-US', { maximumFractionDigits: 2 })} s per sub-step` : '';
}
