import { describe, expect, it } from 'vitest';
import { isBlockedShortcut, type KeyInput } from './shortcuts.ts';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, ...mods });

describe('isBlockedShortcut (electron-anchors §6)', () => {
  it('swallows DevTools, reload, zoom, print and history shortcuts', () => {
    for (const input of [
      key('F12'),
      key('I', { control: true, shift: true }),
      key('i', { meta: true, alt: true }),
      key('J', { control: true, shift: true }),
      key('C', { control: true, shift: true }),
      key('F5'),
      key('r', { control: true }),
      key('R', { control: true, shift: true }),
      key('r', { meta: true }),
      key('+', { control: true }),
      key('=', { control: true }),
      key('-', { control: true }),
      key('0', { control: true }),
      key('_', { control: true, shift: true, code: 'Minus' }),
      key('p', { control: true }),
      key('s', { meta: true }),
      key('ArrowLeft', { alt: true }),
      key('[', { meta: true }),
      key('BrowserBack'),
      key('F11'),
      { type: 'rawKeyDown', key: 'F12' },
    ]) {
      expect(isBlockedShortcut(input, { kiosk: false }), JSON.stringify(input)).toBe(true);
    }
  });

  it('lets typing through: PIN digits, letters, editing, copy/paste, Tab, Enter', () => {
    for (const input of [
      key('1'),
      key('0'),
      key('a'),
      key('A', { shift: true }),
      key('Backspace'),
      key('Tab'),
      key('Enter'),
      key('c', { control: true }),
      key('v', { control: true }),
      key('x', { meta: true }),
      key('a', { control: true }),
      key('z', { control: true }),
      key('ArrowLeft'),
      key('ArrowLeft', { shift: true }),
    ]) {
      expect(isBlockedShortcut(input, { kiosk: false }), JSON.stringify(input)).toBe(false);
      expect(isBlockedShortcut(input, { kiosk: true }), JSON.stringify(input)).toBe(false);
    }
  });

  it('kiosk mode also swallows close/quit/new-window and the menu keys', () => {
    for (const input of [
      key('w', { control: true }),
      key('q', { meta: true }),
      key('n', { control: true }),
      key('F4', { alt: true }),
      key('Alt', { alt: true }),
    ]) {
      expect(isBlockedShortcut(input, { kiosk: true }), JSON.stringify(input)).toBe(true);
      expect(isBlockedShortcut(input, { kiosk: false }), JSON.stringify(input)).toBe(false);
    }
  });

  it('decides on key-down only (key-up and char events pass)', () => {
    expect(isBlockedShortcut({ type: 'keyUp', key: 'F12' }, { kiosk: true })).toBe(false);
    expect(isBlockedShortcut({ type: 'char', key: 'r', control: true }, { kiosk: true })).toBe(false);
  });
});
