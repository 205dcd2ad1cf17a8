import { describe, expect, it } from 'vitest';
import { upgradeSettings, v1ToV2, withDefaults } from './migrations.ts';
import { DEFAULT_SETTINGS } from './schema.ts';

const V1_FULL = {
  schemaVersion: 1,
  lang: 'en-US',
  portalUrl: 'https://portal.example.jp/app/',
  demoMode: false,
  preferredReader: 'SONY FeliCa Port/PaSoRi 4.0 00 00',
  kioskMode: true,
  kioskIdleSeconds: 90,
  windowBounds: { x: 10, y: 10, width: 1200, height: 800 },
  recentReaders: ['ACS ACR39U ICC Reader 00 00'],
  lastResident: '見本　花子',
};

describe('v1 → v2', () => {
  it('maps every v1 key to its v2 place and leaves everything else behind', () => {
    const r = upgradeSettings(V1_FULL);
    expect(r).toEqual({
      kind: 'ok',
      from: 1,
      dropped: [],
      settings: {
        schemaVersion: 2,
        language: 'en',
        portalUrl: 'https://portal.example.jp',
        demoMode: false,
        preferredReader: 'SONY FeliCa Port/PaSoRi 4.0 00 00',
        kiosk: { enabled: true, idleTimeoutSeconds: 90 },
      },
    });
    // The personal data some 0.1 builds kept is not carried over.
    expect(JSON.stringify(r)).not.toContain('見本');
    expect(JSON.stringify(r)).not.toContain('windowBounds');
  });

  it('fills what v1 left out with the defaults', () => {
    expect(upgradeSettings({ schemaVersion: 1 })).toEqual({
      kind: 'ok',
      from: 1,
      dropped: [],
      settings: DEFAULT_SETTINGS,
    });
  });

  it.each([
    ['ja-JP', 'ja', []],
    ['ja', 'ja', []],
    ['EN', 'en', []],
    ['en_GB', 'en', []],
    ['fr', 'ja', ['lang']],
  ])('lang %s → %s', (lang, language, dropped) => {
    const r = upgradeSettings({ schemaVersion: 1, lang });
    expect(r.kind === 'ok' && r.settings.language).toBe(language);
    expect(r.kind === 'ok' && r.dropped).toEqual(dropped);
  });

  it.each([
    [0, 120, ['kioskIdleSeconds']], // 0 meant "never": a kiosk must reset now
    [-5, 120, ['kioskIdleSeconds']],
    [5, 15, []],
    [7200, 3600, []],
    [44.6, 45, []],
  ])('kioskIdleSeconds %s → %s', (s, idle, dropped) => {
    const r = upgradeSettings({ schemaVersion: 1, kioskMode: true, kioskIdleSeconds: s });
    expect(r.kind === 'ok' && r.settings.kiosk).toEqual({ enabled: true, idleTimeoutSeconds: idle });
    expect(r.kind === 'ok' && r.dropped).toEqual(dropped);
  });

  it.each([
    ['http://portal.example.jp', null, ['portalUrl']], // v1 allowed plain http anywhere
    ['http://127.0.0.1:8080/x', 'http://127.0.0.1:8080', []],
    ['https://u:p@portal.example.jp', null, ['portalUrl']],
    ['nonsense', null, ['portalUrl']],
    ['', null, []],
  ])('portalUrl %s → %s', (portalUrl, expected, dropped) => {
    const r = upgradeSettings({ schemaVersion: 1, portalUrl });
    expect(r.kind === 'ok' && r.settings.portalUrl).toBe(expected);
    expect(r.kind === 'ok' && r.dropped).toEqual(dropped);
  });

  it('a reader name v2 cannot hold is dropped', () => {
    const r = upgradeSettings({ schemaVersion: 1, preferredReader: 'x'.repeat(300) });
    expect(r.kind === 'ok' && r.settings.preferredReader).toBeNull();
    expect(r.kind === 'ok' && r.dropped).toEqual(['preferredReader']);
  });

  it('is pure: the input is not modified', () => {
    const input = structuredClone(V1_FULL);
    v1ToV2(input, []);
    expect(input).toEqual(V1_FULL);
  });

  it('a file that claims v1 but is not one is invalid', () => {
    expect(upgradeSettings({ schemaVersion: 1, lang: 7 })).toMatchObject({ kind: 'invalid' });
    expect(upgradeSettings({ schemaVersion: 1, kioskMode: 'yes' })).toMatchObject({ kind: 'invalid' });
  });
});

describe('upgradeSettings', () => {
  it('passes a valid current file through', () => {
    const s = { ...DEFAULT_SETTINGS, language: 'en' };
    expect(upgradeSettings(s)).toEqual({ kind: 'ok', from: 2, dropped: [], settings: s });
  });

  it('fills keys a current file leaves out (a minimal provisioning file)', () => {
    const r = upgradeSettings({ schemaVersion: 2, kiosk: { enabled: true } });
    expect(r).toMatchObject({
      kind: 'ok',
      settings: { ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 120 } },
    });
  });

  it.each([
    [null],
    [[]],
    ['settings'],
    [{}],
    [{ schemaVersion: '2' }],
    [{ schemaVersion: 0 }],
    [{ schemaVersion: 1.5 }],
    [{ ...DEFAULT_SETTINGS, language: 'fr' }],
    [{ ...DEFAULT_SETTINGS, pin: '1234' }],
    [{ ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 120, pin: '1234' } }],
    [{ ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 5 } }],
    [{ ...DEFAULT_SETTINGS, kiosk: true }],
    [{ ...DEFAULT_SETTINGS, portalUrl: 'http://portal.example.jp' }],
    [{ ...DEFAULT_SETTINGS, portalUrl: 'https://portal.example.jp/path' }],
  ])('refuses %j', (doc) => {
    expect(upgradeSettings(doc).kind).toBe('invalid');
  });

  it('reports a future version with a fail-closed look at kiosk mode', () => {
    expect(upgradeSettings({ schemaVersion: 3, language: 'en' })).toEqual({
      kind: 'future',
      version: 3,
      kioskEnabled: false,
    });
    expect(upgradeSettings({ schemaVersion: 9, kiosk: { enabled: true } })).toEqual({
      kind: 'future',
      version: 9,
      kioskEnabled: true,
    });
    expect(upgradeSettings({ schemaVersion: 9, kiosk: { enabled: 'true' } })).toMatchObject({ kioskEnabled: false });
  });

  it('refuses a version with no migration step', () => {
    expect(upgradeSettings({ schemaVersion: 1 }, {})).toEqual({
      kind: 'invalid',
      reason: 'no migration from schemaVersion 1',
    });
  });

  it('normalises a portal URL an administrator wrote with a slash or capitals', () => {
    const r = upgradeSettings({ schemaVersion: 2, portalUrl: 'https://Portal.Example.jp/' });
    expect(r.kind === 'ok' && r.settings.portalUrl).toBe('https://portal.example.jp');
  });

  it('withDefaults keeps what is given', () => {
    expect(withDefaults({ language: 'en', kiosk: { idleTimeoutSeconds: 60 } })).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'en',
      kiosk: { enabled: false, idleTimeoutSeconds: 60 },
    });
  });
});
