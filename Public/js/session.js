// Where the page is: the run in the URL path (`/r/CODE`, `/s/BLOB`, `/`), view flags in the query, and the
// control tokens kept in localStorage by run code (never in the URL, docs/protocol.md §1).

const TOKEN_PREFIX = 'ganlab:token:';
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;

/** Upper-cases and checks a run code; returns it or null. */
export function normaliseCode(text) {
  const code = String(text || '').trim().toUpperCase();
  return CODE.test(code) ? code : null;
}

/** What the current URL asks for: { kind: 'new' | 'run' | 'share' | 'bad', code, blob, flags }. */
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
  return { kind: 'new', flags };
}

/** Query flags: hide (set of control names), palette, presenter, compare (a code), layers (array or null). */
export function readFlags(search) {
  const q = new URLSearchParams(search);
  const list = (name) => (q.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    hide: new Set(list('hide')),
    palette: q.get('palette') === 'colourblind' ? 'colourblind' : 'reference',
    presenter: q.get('presenter') === '1',
    compare: normaliseCode(q.get('compare')),
    layers: q.has('layers') ? list('layers') : null,
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

/** Absolute join URL for a run (what the QR code and the present screen show). */
export const joinURL = (code) => `${location.origin}/r/${code}`;

export function storeToken(code, token) {
  try { localStorage.setItem(TOKEN_PREFIX + code, token); } catch { /* private mode: control lasts this tab */ }
  memoryTokens.set(code, token);
}

const memoryTokens = new Map();
export function tokenFor(code) {
  try { return localStorage.getItem(TOKEN_PREFIX + code) || memoryTokens.get(code) || null; } catch { return memoryTokens.get(code) || null; }
}
