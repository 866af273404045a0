// One WebSocket to one run (docs/protocol.md §2): joins, authenticates with the stored token, subscribes,
// sends commands and matches each `ack`/`error` to its command by id. A dropped socket reconnects with
// exponential back-off and jitter and resyncs by itself (the server resends hello, state, data, history);
// the server's "run deleted" and "no such run" closes end it for good.

const BACKOFF_FIRST_MS = 400;
const BACKOFF_MAX_MS = 8000;
const COMMAND_TIMEOUT_MS = 15000;
/** Close codes of §2.5 after which reconnecting cannot help. */
const FINAL_CLOSES = { 4000: 'This run was deleted.', 4004: 'There is no run with this code on the server.',
  4029: 'Too many people are watching this run (the limit is 1,000).', 1009: 'A message was too big for the server.' };

/** A command the server refused (an `error` message) or that could not be sent. */
export class CommandError extends Error {
  constructor(reply) {
    super(reply.message || 'The server refused the command.');
    this.code = reply.code || 'failed';
    this.field = reply.field || null;
    this.command = reply.command || null;
    this.reply = reply;
  }
}

export class RunConnection extends EventTarget {
  /** `code`: the run; `options.token`: its control token (or null: a viewer); `options.subscription`. */
  constructor(code, options = {}) {
    super();
    this.code = code;
    this.token = options.token || null;
    this.subscription = options.subscription || null;
    this.socket = null;
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.timer = 0;
    this.closedForGood = false;
    /** True while the page sits in the back/forward cache (socket closed on purpose, reopened on return). */
    this.suspended = false;
    /** 'connecting' | 'open' | 'reconnecting' | 'closed' */
    this.status = 'connecting';
    this.reason = '';
    this.bytesReceived = 0;
    /** Sockets lost so far (each followed by a reconnect unless the close was final). */
    this.drops = 0;
  }

  setStatus(status, reason = '') {
    this.status = status;
    this.reason = reason;
    this.dispatchEvent(new CustomEvent('status', { detail: { status, reason, attempt: this.attempt } }));
  }

  /** Opens the socket (and keeps it open). */
  open() {
    if (this.closedForGood) return;
    clearTimeout(this.timer);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws/runs/${encodeURIComponent(this.code)}`);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', this.reason);
    socket.onopen = () => {
      if (this.token) this.rawSend({ type: 'auth', token: this.token, id: 'auth' });
      if (this.subscription) this.rawSend({ type: 'subscribe', ...this.subscription, id: 'subscribe' });
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => this.closed(socket, event);
    socket.onerror = () => {}; // onclose follows with the code; the status line says what happened.
  }

  receive(data) {
    if (typeof data !== 'string') {
      this.bytesReceived += data.byteLength;
      this.dispatchEvent(new CustomEvent('frame', { detail: data }));
      return;
    }
    this.bytesReceived += data.length;
    let message;
    try { message = JSON.parse(data); } catch { return; }
    if (message.type === 'hello') {
      this.attempt = 0;
      this.setStatus('open');
    }
    if ((message.type === 'ack' || message.type === 'error') && message.id !== null && this.pending.has(message.id)) {
      const entry = this.pending.get(message.id);
      this.pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.type === 'ack') entry.resolve(message); else entry.reject(new CommandError(message));
      return;
    }
    if (message.type === 'error' && message.id === 'auth') {
      this.dispatchEvent(new CustomEvent('auth-failed', { detail: message }));
    }
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  closed(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.drops++;
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new CommandError({ code: 'disconnected', message: 'The connection to the server dropped before it answered; try again in a moment.' }));
    }
    this.pending.clear();
    if (this.closedForGood || this.suspended) return;
    if (FINAL_CLOSES[event.code]) {
      this.closedForGood = true;
      this.setStatus('closed', FINAL_CLOSES[event.code]);
      return;
    }
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt) * (0.75 + 0.5 * Math.random());
    this.attempt++;
    const why = event.code === 1001 ? 'The server is restarting' : 'Lost the connection to the server';
    this.setStatus('reconnecting', `${why}; trying again in ${Math.ceil(delay / 1000)} s…`);
    this.timer = setTimeout(() => this.open(), delay);
  }

  /** Sends a JSON object if the socket is open; returns whether it was sent. */
  rawSend(object) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(object));
    return true;
  }

  /** Sends command `type` with `fields`; resolves with the `ack`, rejects with a CommandError. */
  send(type, fields = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.rawSend({ type, id, ...fields })) {
        reject(new CommandError({ code: 'disconnected', command: type,
          message: 'Not connected to the server right now; the page is reconnecting, try again in a moment.' }));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CommandError({ code: 'timeout', command: type, message: 'The server did not answer in time.' }));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  /** Changes the subscription (kept for reconnects). */
  subscribe(subscription) {
    this.subscription = subscription;
    return this.send('subscribe', subscription);
  }

  /** Becomes controller with `token` (kept for reconnects). */
  authenticate(token) {
    this.token = token;
    return this.send('auth', { token });
  }

  /**
   * The page is leaving (it may be kept in the back/forward cache): closes the socket cleanly without
   * reconnecting, so nothing breaks it half-open; `resume()` reopens it when the page is shown again.
   */
  suspend() {
    if (this.closedForGood) return;
    this.suspended = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000, 'page hidden');
    this.socket = null;
  }

  /** The page is back from the back/forward cache: reconnects at once and resyncs. */
  resume() {
    if (this.closedForGood || !this.suspended) return;
    this.suspended = false;
    this.attempt = 0;
    this.open();
  }

  /** Closes for good. */
  close() {
    this.closedForGood = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000, 'page closed');
  }
}
