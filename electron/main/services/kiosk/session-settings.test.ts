import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../ipc/contract.ts';
import { isSettingsError } from '../settings/index.ts';
import { KioskSessionSettings } from './session-settings.ts';

const provisioned: SettingsView = {
  language: 'ja',
  portalUrl: null,
  demoMode: true,
  preferredReader: 'Counter reader',
  kiosk: { enabled: true, idleTimeoutSeconds: 120 },
};

function setup() {
  let writes = 0;
  const base = {
    view: () => ({ ...provisioned, kiosk: { ...provisioned.kiosk } }),
    update: () => {
      writes++;
      return provisioned;
    },
  };
  return { s: new KioskSessionSettings(base), writes: () => writes };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSettingsError(e) ? e.code : 'not a SettingsError';
  }
  return undefined;
}

describe('KioskSessionSettings: a resident’s settings live in memory for their session only', () => {
  it('the language changes in the view, never in the provisioned store', () => {
    const { s, writes } = setup();
    expect(s.update({ language: 'en' })).toEqual({ ...provisioned, language: 'en' });
    expect(s.view().language).toBe('en');
    expect(writes()).toBe(0);
  });

  it('the session end drops it', () => {
    const { s } = setup();
    s.update({ language: 'en' });
    s.clear();
    expect(s.view()).toEqual(provisioned);
  });

  it('refuses what the provisioned service refuses, with the same codes, and keeps the view', () => {
    const { s } = setup();
    s.update({ language: 'en' });
    expect(codeOf(() => s.update({ preferredReader: 'Other reader' }))).toBe('SETTINGS_PROVISIONED');
    expect(codeOf(() => s.update({ language: 'ja', preferredReader: null }))).toBe('SETTINGS_PROVISIONED');
    expect(codeOf(() => s.update({ language: 'fr' }))).toBe('SETTINGS_INVALID');
    expect(codeOf(() => s.update({ portalUrl: 'https://evil.example' }))).toBe('SETTINGS_INVALID');
    expect(codeOf(() => s.update({ kiosk: { enabled: false } }))).toBe('SETTINGS_INVALID');
    expect(codeOf(() => s.update(null))).toBe('SETTINGS_INVALID');
    expect(s.view()).toEqual({ ...provisioned, language: 'en' });
  });

  it('an empty patch changes nothing', () => {
    const { s } = setup();
    expect(s.update({})).toEqual(provisioned);
  });
});
