import { describe, expect, it } from 'vitest';
import { buildWebPreferences, HARDENED_PREFERENCES } from './web-preferences.ts';

const portal = (mode: 'development' | 'production' | 'kiosk', partition = 'persist:portal') =>
  buildWebPreferences('portal', { preloadPath: '/app/out/preload/portal.cjs', partition, mode });

describe('buildWebPreferences (checklist #2, #3, #4, #6, #8–#11)', () => {
  it('#2 #3 #4 #6 #8 #9 #10 #11 sets every security preference explicitly, in every mode and kind', () => {
    const all = [
      portal('development'),
      portal('production'),
      portal('kiosk', 'kiosk-3f2a'),
      buildWebPreferences('consent', { preloadPath: '/p/consent.cjs', partition: 'consent', mode: 'production' }),
      buildWebPreferences('consent', { preloadPath: '/p/consent.cjs', partition: 'kiosk-3f2a-consent', mode: 'kiosk' }),
    ];
    for (const prefs of all) {
      expect(prefs).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
      });
      // #10: no Blink feature is switched on.
      expect(prefs).not.toHaveProperty('enableBlinkFeatures');
      for (const [k, v] of Object.entries(HARDENED_PREFERENCES)) expect(prefs[k as keyof typeof prefs], k).toBe(v);
    }
  });

  it('DevTools only in development; off in production and kiosk', () => {
    expect(portal('development').devTools).toBe(true);
    expect(portal('production').devTools).toBe(false);
    expect(portal('kiosk', 'kiosk-1').devTools).toBe(false);
  });

  it('carries the preload and the partition', () => {
    expect(portal('production')).toMatchObject({ preload: '/app/out/preload/portal.cjs', partition: 'persist:portal' });
  });

  it('refuses a preload of the other window kind', () => {
    expect(() =>
      buildWebPreferences('consent', { preloadPath: '/p/portal.cjs', partition: 'consent', mode: 'production' }),
    ).toThrow(/consent preload/);
  });

  it('kiosk windows need an in-memory kiosk-<random> partition; consent windows are never persistent', () => {
    expect(() => portal('kiosk', 'persist:portal')).toThrow(/kiosk/);
    expect(() => portal('kiosk', 'kiosk-')).toThrow(/kiosk/);
    expect(() =>
      buildWebPreferences('consent', { preloadPath: '/p/consent.cjs', partition: 'persist:x', mode: 'development' }),
    ).toThrow(/persistent/);
  });
});
