// One open run: its connection, what the page knows about it, the frame decoder and the motion blender.
// The page has one of these (two in Compare). Views read `model` and `motion`; controls call `command`.
import { RunConnection } from './connection.js';
import { FrameDecoder, FrameError } from './protocol.js';
import { RunModel } from './state.js';
import { Motion } from './views/motion.js';
import { explain, showError, clearError } from './errors.js';

export class LabSession extends EventTarget {
  /** `options`: token, subscription ({ fps, layers }), errorRoot (where errors are shown). */
  constructor(code, options = {}) {
    super();
    this.code = code;
    this.model = new RunModel(code);
    this.motion = new Motion();
    this.decoder = new FrameDecoder();
    this.errorRoot = options.errorRoot || document.body;
    this.framesReceived = 0;
    this.badFrames = 0;
    this.lastFrameAt = 0;
    this.lastChangeAt = 0;
    this.lastRestingDrawAt = 0;
    this.lastEpoch = -1;
    this.lastGeneration = -1;
    /** Commands this page sent that change the run (all but fork): a run nobody changed may be deleted on leaving. */
    this.changesSent = 0;
    this.connection = new RunConnection(code, { token: options.token, subscription: options.subscription });
    this.connection.addEventListener('frame', (e) => this.receiveFrame(e.detail));
    this.connection.addEventListener('message', (e) => this.receiveMessage(e.detail));
    this.connection.addEventListener('status', (e) => this.dispatchEvent(new CustomEvent('status', { detail: e.detail })));
  }

  start() {
    this.connection.open();
    // Back/forward cache: close the socket on the way out, reopen it (and resync) when the page comes back.
    window.addEventListener('pagehide', () => this.connection.suspend());
    window.addEventListener('pageshow', (event) => { if (event.persisted) this.connection.resume(); });
  }
  stop() { this.connection.close(); }

  receiveFrame(buffer) {
    let frame;
    try {
      frame = this.decoder.decode(buffer);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      this.badFrames++;
      if (this.badFrames === 1) console.warn(`ganlab: skipped a frame: ${error.message}`);
      return;
    }
    this.framesReceived++;
    this.lastFrameAt = performance.now();
    if (frame.epoch !== this.lastEpoch || frame.generation !== this.lastGeneration) {
      this.lastEpoch = frame.epoch;
      this.lastGeneration = frame.generation;
      /** When the shown epoch or generation last changed (a paused run may still stream identical frames). */
      this.lastChangeAt = this.lastFrameAt;
    }
    this.motion.push(frame, this.lastFrameAt);
    this.model.noteFrame(frame);
    this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
  }

  receiveMessage(message) {
    if (message.type === 'hello') this.motion.clear();
    if (message.type === 'data' && this.motion.hasFrame && message.generation !== this.motion.to.generation) this.motion.clear();
    if (this.model.apply(message)) return;
    if (message.type === 'ack' && message.id === 'auth') this.model.role = message.role || 'controller';
    if (message.type === 'error') {
      if (message.id === 'auth') {
        this.dispatchEvent(new CustomEvent('auth-failed', { detail: message }));
      } else {
        showError(this.errorRoot, message.field || 'general', explain(message, (k) => this.labelOf(k)));
      }
    }
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  /** The student-facing label of a setting key (e.g. "Learning rate (generator)"). */
  labelOf(key) {
    const s = this.model.setting(key);
    if (!s) return null;
    const group = s.group === 'generator' || s.group === 'discriminator' ? ` (${s.group})` : '';
    return `${s.label}${group}`;
  }

  /**
   * Sends a command; on error shows the server's sentence by the control for the error's `field`, else by
   * `source` (a control key). Resolves with the ack, or null after an error (already shown).
   */
  async command(type, fields = {}, source = 'general') {
    clearError(this.errorRoot, source);
    if (type !== 'fork') this.changesSent++;
    try {
      return await this.connection.send(type, fields);
    } catch (error) {
      const key = error.field && this.errorRoot.querySelector(`[data-error-for="${CSS.escape(error.field)}"]`) ? error.field : source;
      showError(this.errorRoot, key, explain(error, (k) => this.labelOf(k)));
      this.dispatchEvent(new CustomEvent('command-error', { detail: { type, error, key } }));
      return null;
    }
  }

  subscribe(subscription) { return this.connection.subscribe(subscription).catch(() => null); }
}
