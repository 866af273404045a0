// "Share & save": the share link (the URL reproduces the run from its start), downloads (plot PNG, samples
// and metrics CSV, the whole run), importing a run file, and lesson links that hide chosen controls.
import * as api from '../api.js';
import { download } from '../points-file.js';
import { writeFlags, joinOrigin } from '../session.js';
import { explain } from '../errors.js';
import { el } from '../dom.js';

/** Controls a teacher can hide with `?hide=…` (names match `data-hide` attributes). */
export const HIDEABLE = [
  ['play', 'Play / pause'], ['step', 'Step buttons'], ['fastforward', 'Fast-forward'], ['speed', 'Speed'], ['slowmo', 'Slow motion'],
  ['reset', 'Reset'], ['seed', 'New seed'], ['data', 'Data panel'], ['settings', 'All hyperparameters'],
  ['settings.generator', 'Generator settings'], ['settings.discriminator', 'Discriminator settings'],
  ['settings.training', 'Training settings'], ['settings.noise', 'Noise settings'], ['settings.views', 'View settings'],
  ['overview', 'Model overview'], ['charts', 'Charts'], ['present', 'Present button'], ['share', 'Share button'], ['compare', 'Compare button'],
];

export class ShareDialog extends EventTarget {
  constructor(session, flags, exportPNG) {
    super();
    this.session = session;
    this.flags = flags;
    this.exportPNG = exportPNG;
    this.dialog = document.getElementById('share-dialog');
    this.body = document.getElementById('share-body');
    this.build();
  }

  build() {
    const code = this.session.code;
    const shareOut = el('input', { type: 'text', readOnly: true, className: 'link-out', id: 'share-link' });
    shareOut.setAttribute('aria-label', 'Share link');
    const shareError = el('p', { className: 'error', role: 'alert' });
    shareError.dataset.errorFor = 'share';
    const copy = el('button', { type: 'button', id: 'copy-share', className: 'primary', textContent: 'Copy share link' });
    copy.addEventListener('click', async () => {
      shareError.textContent = '';
      try {
        const answer = await api.shareLink(this.session.code);
        if (!answer || (typeof answer.url !== 'string' && typeof answer.blob !== 'string')) {
          throw new Error('The server sent no share link.');
        }
        const url = new URL(answer.url || `/s/${answer.blob}`, location.origin).href;
        shareOut.value = url;
        shareOut.hidden = false;
        await copyText(url, shareOut);
        copy.textContent = 'Copied ✓';
        setTimeout(() => { copy.textContent = 'Copy share link'; }, 2000);
      } catch (error) {
        const fallback = error.body?.fallback?.url;
        if (fallback) {
          shareOut.value = new URL(fallback, location.origin).href;
          shareOut.hidden = false;
          shareError.textContent = `${explain(error)} The link above opens a saved copy of the run instead.`;
          return;
        }
        shareError.textContent = error.status === 404
          ? 'Share links are not available on this server yet. Use "Download the run" to keep it instead.'
          : explain(error);
      }
    });
    shareOut.hidden = true;

    const png = el('button', { type: 'button', id: 'export-png', textContent: 'Plot as PNG' });
    png.addEventListener('click', () => this.exportPNG().then((blob) => download(`ganlab-${this.session.code}.png`, blob)));
    const link = (text, href, name) => {
      const a = el('a', { href, textContent: text, download: name });
      a.setAttribute('role', 'button');
      return a;
    };
    const importInput = el('input', { type: 'file', id: 'run-file', accept: '.ganrun,application/octet-stream' });
    importInput.dataset.control = 'run-file';
    const importError = el('p', { className: 'error', role: 'alert' });
    importError.dataset.errorFor = 'run-file';
    importInput.addEventListener('change', async () => {
      importError.textContent = '';
      const file = importInput.files[0];
      if (!file) return;
      try {
        const created = await api.importRun(file);
        this.dispatchEvent(new CustomEvent('open-run', { detail: created }));
        this.dialog.close();
      } catch (error) {
        importError.textContent = `${file.name}: ${explain(error)} Nothing was imported.`;
      } finally {
        importInput.value = '';
      }
    });

    const hideBoxes = el('div', { className: 'hide-list' });
    const lessonOut = el('input', { type: 'text', readOnly: true, className: 'link-out', id: 'lesson-link' });
    lessonOut.setAttribute('aria-label', 'Lesson link');
    const updateLesson = () => {
      const hide = new Set([...hideBoxes.querySelectorAll('input:checked')].map((b) => b.value));
      lessonOut.value = `${joinOrigin(this.session.model.hello).origin}/r/${this.session.code}${writeFlags({ ...this.flags, hide })}`;
    };
    for (const [name, label] of HIDEABLE) {
      const box = el('input', { type: 'checkbox', value: name, checked: this.flags.hide.has(name) });
      box.addEventListener('change', updateLesson);
      hideBoxes.append(el('label', {}, box, ` ${label}`));
    }
    updateLesson();
    const copyLesson = el('button', { type: 'button', textContent: 'Copy lesson link' });
    copyLesson.addEventListener('click', () => copyText(lessonOut.value, lessonOut));

    this.body.append(
      el('section', { className: 'share-section' }, el('h3', { textContent: 'Share link' }),
        el('p', { textContent: 'A link that rebuilds this run from its start: same data, settings and seed, so it trains the same way.' }),
        el('div', { className: 'row' }, copy), shareOut, shareError),
      el('section', { className: 'share-section' }, el('h3', { textContent: 'Download' }),
        el('div', { className: 'row' }, png,
          link('Samples (CSV)', api.samplesCSVURL(code), `ganlab-${code}-samples.csv`),
          link('Metrics (CSV)', api.metricsCSVURL(code), `ganlab-${code}-metrics.csv`),
          link('The whole run (file)', api.exportURL(code), `ganlab-${code}.ganrun`))),
      el('section', { className: 'share-section' }, el('h3', { textContent: 'Open a saved run' }),
        el('div', { className: 'row' }, el('label', { htmlFor: 'run-file', textContent: 'Run file:' }), importInput), importError),
      el('section', { className: 'share-section' }, el('h3', { textContent: 'Lesson link: hide controls' }),
        el('p', { textContent: 'Tick what students should not see; the link opens this run with those controls hidden.' }),
        hideBoxes, el('div', { className: 'row' }, copyLesson), lessonOut));
  }

  open() { if (!this.dialog.open) this.dialog.showModal(); }
}

/** Copies text to the clipboard, falling back to selecting it in `input` (http pages on a LAN have no clipboard API). */
async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    input.hidden = false;
    input.select();
    document.execCommand?.('copy');
  }
}
