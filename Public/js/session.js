// Where the page is: the run in the URL path (`/r/CODE`, `/s/BLOB`, `/`), view flags in the query, and the
// control tokens kept in localStorage by run code (never in the URL, docs/protocol.md §1).

const TOKEN_PREFIX = 'ganlab:token:';
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;

/** Upper-cases and checks a run code; returns it or null. */
export function normaliseCode(text) {
  const code = String(text || '').trim().toUpperCase();
  return CODE.test(code) ? code : null;
}

/**
 * What the current URL asks for: { kind: 'new' | 'join' | 'run' | 'share' | 'bad', code, blob, flags }. `/?join`
 * (the students' address) shows the code box without creating a run; `/` creates one.
 */
export function readLocation(loc = window.location) {
  const flags = readFlags(loc.search);
  const path = loc.pathname.replace(/\/+$/, '');
  let match = path.match(/^\/r\/([^/]+)$/);
  if (match) {
    const code = normaliseCode(decodeURIComponent(match[1]));
    return code ? { kind: 'run', code, flags } : { kind: 'bad', text: match[1], flags };
  }
  match = path.match(/^\/s\/([^/]+)$/);
  if (match) return { kind: 'share', blob: match[1], flags };
  if (new URLSearchParams(loc.search).has('join')) return { kind: 'join', flags };
  return { kind: 'new', flags };
}

/** Query flags: hide (set of control names), palette, presenter, compare (a code), layers (array or null), arrows
 * ('dgrad' when the arrows show ∇D as GAN Lab does, else null: the generator loss's push), scale. */
export function readFlags(search) {
  const q = new URLSearchParams(search);
  const list = (name) => (q.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    hide: new Set(list('hide')),
    palette: q.get('palette') === 'colourblind' ? 'colourblind' : 'reference',
    presenter: q.get('presenter') === '1',
    compare: normaliseCode(q.get('compare')),
    layers: q.has('layers') ? list('layers') : null,
    arrows: q.get('arrows') === 'dgrad' ? 'dgrad' : null,
    /** 'absolute': the field's colours over D = 0…1 and fixed arrow gains; else (null) auto scales. */
    scale: q.get('scale') === 'absolute' ? 'absolute' : null,
  };
}

/** The query string for `flags` (only what differs from the defaults). */
export function writeFlags(flags) {
  const q = new URLSearchParams();
  if (flags.hide && flags.hide.size) q.set('hide', [...flags.hide].join(','));
  if (flags.palette === 'colourblind') q.set('palette', 'colourblind');
  if (flags.presenter) q.set('presenter', '1');
  if (flags.compare) q.set('compare', flags.compare);
  if (flags.layers) q.set('layers', flags.layers.join(','));
  if (flags.arrows === 'dgrad') q.set('arrows', 'dgrad');
  if (flags.scale === 'absolute') q.set('scale', 'absolute');
  const text = q.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}

/** `/r/CODE` plus the query of `flags`. */
export const runPath = (code, flags) => `/r/${code}${writeFlags(flags || {})}`;

/** Shows `code`'s path in the address bar: `push` adds a history entry (Back returns to the previous run). */
export function showRunInURL(code, flags, push = false) {
  const path = runPath(code, flags);
  if (location.pathname + location.search === path) return;
  if (push) history.pushState({ code }, '', path); else history.replaceState({ code }, '', path);
}

/** True for host names only this computer can reach: localhost, 127.x.y.z, ::1. */
export function isLoopbackHost(hostname) {
  const h = String(hostname || '').toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127\./.test(h);
}

/**
 * The origin students should use to reach this server, and what to tell the presenter about it:
 * `{ origin, others, note, warning }`. The page's own origin unless that is a loopback name; then the first
 * of the server's `hello.joinOrigins` (docs/protocol.md §2.2), or a warning when the server listens on loopback only.
 */
export function joinOrigin(hello, loc = window.location) {
  const own = { origin: loc.origin, others: [], note: null, warning: null };
  if (!isLoopbackHost(loc.hostname)) return own;
  const origins = (hello && hello.joinOrigins) || [];
  if (origins.length) {
    return { origin: origins[0], others: origins.slice(1), warning: null,
      note: `This page is open at ${loc.host}, which only this computer can reach, so students get this computer's network address instead.` };
  }
  if (hello && hello.loopbackOnly) {
    return { ...own, warning: `Students cannot reach this server: it listens only on this computer (${loc.host}). `
      + 'Restart it with --host 0.0.0.0 (ganlab serve --host 0.0.0.0), then open the lab at this computer\'s network address.' };
  }
  return { ...own, warning: `This page is open at ${loc.host}, which only this computer can reach, and the server reported no `
    + 'network address: open the lab at this computer\'s network address so students can use the link.' };
}

/** Absolute join URL for a run (what the QR code and the present screen show); `hello` as the server sent it. */
export const joinURL = (code, hello = null) => `${joinOrigin(hello).origin}/r/${code}`;

/** Forgets a run's token (the run was deleted). */
export function forgetToken(code) {
  try { localStorage.removeItem(TOKEN_PREFIX + code); } catch { /* private mode */ }
  memoryTokens.delete(code);
}

export function storeToken(code, token) {
  try { localStorage.setItem(TOKEN_PREFIX + code, token); } catch { /* private mode: control lasts this tab */ }
  memoryTokens.set(code, token);
}

const memoryTokens = new Map();
export function tokenFor(code) {
  try { return localStorage.getItem(TOKEN_PREFIX + code) || memoryTokens.get(code) || null; } catch { return memoryTokens.get(code) || null; }
}
