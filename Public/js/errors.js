// Errors shown where they happened: each control has an element `[data-error-for=KEY]` beside it; a
// server `error` (docs/protocol.md §2.4) names its `field`, and the page knows which control sent the command.

/** Plain-language versions of the error codes a student may meet; `null` keeps the server's sentence. */
const PLAIN = {
  'read-only': 'Only the person who started this run can change it. Use "Fork" to get your own copy to play with.',
  'rate-limited': 'Too many changes at once; wait a moment and try again.',
  'run-failed': 'Training diverged (the numbers blew up). Press Reset, or change a setting that restarts the networks.',
  busy: 'The server is full right now; try again in a minute.',
  disconnected: null, timeout: null,
};

/** The sentence to show for a CommandError or ApiError, with setting keys replaced by their labels. */
export function explain(error, labelOf = () => null) {
  let message = (error.code && PLAIN[error.code]) || error.message || 'Something went wrong.';
  // The server's "KEY VALUE is out of range: allowed A…B" reads better as a sentence about the control's label.
  const range = error.field && message.match(/^(\S+) (\S+) is out of range: allowed (.+?)\.?$/);
  const fieldLabel = error.field && (labelOf(error.field) || FIELD_LABELS[error.field]);
  if (range && range[1] === error.field && fieldLabel) return `${fieldLabel}: ${range[2]} is out of range (allowed ${range[3]}).`;
  // Every setting key in the sentence (the field and any other, e.g. a cost limit naming batchSize) by its label.
  const keys = new Set([error.field, ...(message.match(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g) || [])]);
  for (const key of keys) {
    const label = key && (labelOf(key) || FIELD_LABELS[key]);
    if (label) message = message.split(key).join(label);
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Labels of command fields that are not settings (docs/protocol.md §2.3). */
const FIELD_LABELS = { count: 'Epochs to fast-forward', epochsPerSecond: 'Speed (epochs per second)', points: 'The drawing' };

/** Shows `message` by the control for `key` inside `root` (or by the general line); returns the element. */
export function showError(root, key, message) {
  const target = (key && root.querySelector(`[data-error-for="${CSS.escape(key)}"]`)) ||
    root.querySelector('[data-error-for="general"]');
  if (!target) return null;
  target.textContent = message;
  const input = key && root.querySelector(`[data-control="${CSS.escape(key)}"]`);
  if (input) input.setAttribute('aria-invalid', 'true');
  return target;
}

/** Clears the error by `key`'s control. */
export function clearError(root, key) {
  const target = root.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
  if (target) target.textContent = '';
  const input = root.querySelector(`[data-control="${CSS.escape(key)}"]`);
  if (input) input.removeAttribute('aria-invalid');
}
