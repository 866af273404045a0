// "Present": the run's six-character code and its join URL in large type, with a QR code the page draws
// itself (qr.js), and the live viewer count.
import { encodeQR, drawQR } from '../qr.js';
import { joinOrigin } from '../session.js';

export class PresentDialog {
  constructor(session) {
    this.session = session;
    this.dialog = document.getElementById('present-dialog');
    this.canvas = document.getElementById('qr');
    session.model.addEventListener('change', (e) => {
      if (e.detail === 'viewers' || e.detail === 'state') this.showViewers();
      if (e.detail === 'hello' && this.dialog.open) this.open();
    });
  }

  open() {
    const code = this.session.code;
    const where = joinOrigin(this.session.model.hello);
    const url = `${where.origin}/r/${code}`;
    document.getElementById('present-code').textContent = code;
    document.getElementById('present-url').textContent = url.replace(/^https?:\/\//, '');
    const note = document.getElementById('present-note');
    const others = where.others.map((o) => o.replace(/^https?:\/\//, ''));
    note.textContent = [where.note, others.length ? `Other addresses of this computer: ${others.join(', ')}.` : null].filter(Boolean).join(' ');
    note.hidden = !note.textContent;
    const warning = document.getElementById('present-warning');
    warning.textContent = where.warning || '';
    warning.hidden = !where.warning;
    const qr = encodeQR(url, { level: 'M' });
    const scale = Math.max(2, Math.floor(640 / (qr.size + 8)));
    this.canvas.width = this.canvas.height = (qr.size + 8) * scale;
    drawQR(this.canvas.getContext('2d'), qr, 0, 0, scale);
    this.canvas.dataset.text = url;
    this.canvas.dataset.version = String(qr.version);
    this.showViewers();
    if (!this.dialog.open) this.dialog.showModal();
  }

  showViewers() {
    const n = this.session.model.viewers;
    document.getElementById('present-viewers').textContent = `${n} ${n === 1 ? 'person' : 'people'} watching`;
  }
}
