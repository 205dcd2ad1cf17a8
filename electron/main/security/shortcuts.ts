/**
 * Keyboard shortcuts a hardened window swallows in `before-input-event` (electron-anchors §6):
 * DevTools, reload, zoom, print/save/find, history navigation and, in kiosk mode, closing or
 * quitting. Typing — the PIN field, form input — is untouched.
 */

/** The fields of Electron's `Input` this decision needs. */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control?: boolean;
  meta?: boolean;
  alt?: boolean;
  shift?: boolean;
}

const FUNCTION_KEYS = new Set(['F5', 'F7', 'F11', 'F12', 'BrowserBack', 'BrowserForward', 'BrowserRefresh']);
/** With Ctrl (or Cmd on macOS). Compared lower-case; `code` catches layouts where `key` differs. */
const COMMAND_KEYS = new Set(['r', 'p', 's', 'o', 'u', 'f', 'g', 'j', '+', '=', '-', '_', '0', ';']);
const COMMAND_CODES = new Set([
  'KeyR',
  'KeyP',
  'KeyS',
  'KeyO',
  'KeyU',
  'KeyF',
  'KeyG',
  'KeyJ',
  'Equal',
  'Minus',
  'Digit0',
  'NumpadAdd',
  'NumpadSubtract',
  'Numpad0',
]);
const KIOSK_COMMAND_KEYS = new Set(['w', 'q', 'n', 't', 'm', 'h']);

export function isBlockedShortcut(input: KeyInput, options: { kiosk: boolean }): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  if (FUNCTION_KEYS.has(input.key)) return true;
  const key = input.key.toLowerCase();
  const command = Boolean(input.control || input.meta);
  // DevTools: Ctrl/Cmd+Shift+I/J/C, Cmd+Alt+I/J/C.
  if (command && (input.shift || input.alt) && ['i', 'j', 'c'].includes(key)) return true;
  if (command && (COMMAND_KEYS.has(key) || (input.code !== undefined && COMMAND_CODES.has(input.code)))) return true;
  // History: Alt+←/→, Cmd+[ / Cmd+].
  if (input.alt && (input.key === 'ArrowLeft' || input.key === 'ArrowRight')) return true;
  if (input.meta && (input.key === '[' || input.key === ']')) return true;
  if (options.kiosk) {
    if (command && KIOSK_COMMAND_KEYS.has(key)) return true;
    if (input.alt && input.key === 'F4') return true;
    // The menu bar on Windows/Linux.
    if (input.key === 'Alt' || input.key === 'Meta' || input.key === 'ContextMenu') return true;
  }
  return false;
}
