// Keyboard shortcuts: space play/pause, → step, D / G single-network steps, S slow motion, R reset,
// P present, ? help, Esc closes a dialog or leaves drawing. Ignored while typing in a field.

/**
 * `actions`: { playPause, step, stepD, stepG, slowmo, reset, present, help, escape }. `controls` (optional): the
 * button each action stands for; a shortcut whose button a lesson link hid (`?hide=…`) does nothing, so a lesson
 * that hides Play cannot be played from the keyboard.
 */
export function installShortcuts(actions, controls = {}) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable ||
      ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
    if (event.key === 'Escape') { actions.escape?.(); return; }
    if (typing || document.querySelector('dialog[open]')) return;
    // Space on a focused button already clicks it.
    if (event.key === ' ' && target instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName)) return;
    const action = {
      ' ': actions.playPause, ArrowRight: actions.step, s: actions.slowmo, S: actions.slowmo, d: actions.stepD, D: actions.stepD,
      g: actions.stepG, G: actions.stepG, r: actions.reset, R: actions.reset, p: actions.present, P: actions.present, '?': actions.help,
    }[event.key];
    if (!action) return;
    const name = Object.keys(actions).find((k) => actions[k] === action);
    const control = controls[name];
    if (control && control.closest('.hidden-by-lesson')) return;
    event.preventDefault();
    action();
  });
}
