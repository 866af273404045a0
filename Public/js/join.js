// "Join a run": a student types the code the teacher shows (or pastes the join link) and lands in that run as a
// viewer. Typing is forgiven: case, spaces and dashes, full-width letters from a phone keyboard, a pasted link,
// and the characters codes never use (0 O 1 I L) read as the code letters they are mistaken for.
import * as api from './api.js';
import { normaliseCode } from './session.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** Characters no code contains, and the code characters a person may have misread as them. */
const LOOK_ALIKES = { O: ['Q', 'D'], 0: ['Q', 'D'], I: ['J', '7'], 1: ['J', '7'], L: ['J', '7'] };
/** More readings than this means the text is not a code with a slip or two. */
const MAX_CANDIDATES = 8;

/**
 * The codes `text` may mean: `{ codes: [...], problem }`. `codes` has the typed code first when it is already
 * valid; otherwise every reading of its look-alikes. `problem` is a sentence when no reading is possible.
 */
export function joinCandidates(text) {
  let t = String(text || '').normalize('NFKC').trim();
  const link = t.match(/\/r\/([^/?#\s]+)/i);
  if (link) t = decodeURIComponent(link[1]);
  t = t.toUpperCase().replace(/[\s\-–—_.·]/g, '');
  if (!t) return { codes: [], problem: 'Type the six-character code your teacher shows, such as K7QX3M.' };
  const exact = normaliseCode(t);
  if (exact) return { codes: [exact], problem: null };
  const stray = [...t].find((ch) => !ALPHABET.includes(ch) && !LOOK_ALIKES[ch]);
  if (stray) return { codes: [], problem: `"${stray}" never appears in a run code: codes use letters and the digits 2–9.` };
  if (t.length !== 6) {
    return { codes: [], problem: `A run code has six characters; "${t.slice(0, 12)}" has ${t.length}. Check it and try again.` };
  }
  let readings = [''];
  for (const ch of t) {
    const options = ALPHABET.includes(ch) ? [ch] : LOOK_ALIKES[ch];
    readings = readings.flatMap((r) => options.map((o) => r + o));
    if (readings.length > MAX_CANDIDATES) {
      return { codes: [], problem: 'Codes never contain 0, O, 1, I or L: check the code on the screen and type it again.' };
    }
  }
  return { codes: readings, problem: null };
}

/**
 * The code of the run `text` names on this server: resolves `{ code }` or `{ error }` (a sentence). Asks the
 * server (`GET /api/runs/{code}`) about each reading until one exists.
 */
export async function resolveJoin(text, summary = api.runSummary) {
  const { codes, problem } = joinCandidates(text);
  if (problem) return { error: problem };
  for (const code of codes) {
    try {
      await summary(code);
      return { code };
    } catch (error) {
      if (error.status === 404) continue;
      return { error: `Could not check the code: ${error.message}` };
    }
  }
  const shown = codes.length === 1 ? codes[0] : String(text).trim().toUpperCase();
  return { error: `No run has the code ${shown} on this server. Check it with your teacher (or the screen) and try again.` };
}

/** Wires the join form: on submit, resolves the code and opens `/r/CODE` (a new history entry). */
export function installJoinForm(form, { open = (code) => location.assign(`/r/${code}`) } = {}) {
  const input = form.querySelector('input');
  const error = form.querySelector('[data-error-for="join"]');
  const button = form.querySelector('button');
  const clear = () => { error.textContent = ''; input.removeAttribute('aria-invalid'); };
  input.addEventListener('input', clear);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear();
    button.disabled = true;
    try {
      const result = await resolveJoin(input.value);
      if (result.code) {
        input.value = result.code;
        open(result.code);
        return;
      }
      error.textContent = result.error;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
}
