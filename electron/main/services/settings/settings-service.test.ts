import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsViewSchema } from '../../../ipc/contract.ts';
import {
  DEFAULT_SETTINGS,
  SETTINGS_JSON_SCHEMA,
  SETTINGS_ROOT_SCHEMA,
  type StoredSettings,
  StoredSettingsSchema,
} from './schema.ts';
import { isSettingsError, type SettingsError } from './settings-error.ts';
import { SettingsService } from './settings-service.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'myna-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => join(dir, 'config.json');
const readJson = () => JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;
const fixedClock = () => new Date('2026-11-27T03:59:48.123Z');
const open = () => SettingsService.open({ dir, clock: fixedClock });

function expectSettingsError(fn: () => unknown, code: SettingsError['code']): SettingsError {
  try {
    fn();
  } catch (e) {
    expect(isSettingsError(e, code), String(e)).toBe(true);
    return e as SettingsError;
  }
  throw new Error(`expected ${code}`);
}

describe('SettingsService: a fresh install', () => {
  it('uses and writes the defaults, exactly the contract view plus schemaVersion', () => {
    const s = open();
    expect(s.recovered).toBeNull();
    expect(s.readOnly).toBeNull();
    expect(s.migrated).toBeNull();
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.path).toBe(file());
    expect(readJson()).toEqual(DEFAULT_SETTINGS);
    expect(Object.keys(readJson()).sort()).toEqual(
      ['demoMode', 'kiosk', 'language', 'portalUrl', 'preferredReader', 'schemaVersion'].sort(),
    );
    expect(SettingsViewSchema.parse(s.view())).toEqual(s.view());
    expect(s.view()).not.toHaveProperty('schemaVersion');
  });

  it('creates the directory when it does not exist', () => {
    const nested = join(dir, 'a', 'b');
    const s = SettingsService.open({ dir: nested });
    expect(s.path).toBe(join(nested, 'config.json'));
    expect(statSync(s.path).isFile()).toBe(true);
  });

  it('a custom name is a file next to it', () => {
    const s = SettingsService.open({ dir, name: 'kiosk-settings' });
    expect(s.path).toBe(join(dir, 'kiosk-settings.json'));
    expect(() => SettingsService.open({ dir, name: '../escape' })).toThrow(TypeError);
    expect(() => SettingsService.open({ dir, name: 'a/b' })).toThrow(TypeError);
  });
});

describe('SettingsService: changes from the page', () => {
  it('saves language and preferred reader and reads them back after a restart', () => {
    const s = open();
    const seen: unknown[] = [];
    s.onChange((v) => seen.push(v));
    expect(s.update({ language: 'en' }).language).toBe('en');
    expect(s.update({ preferredReader: 'ACS ACR39U ICC Reader 00 00' }).preferredReader).toBe(
      'ACS ACR39U ICC Reader 00 00',
    );
    expect(seen).toHaveLength(2);
    const again = open();
    expect(again.view()).toMatchObject({ language: 'en', preferredReader: 'ACS ACR39U ICC Reader 00 00' });
    expect(again.update({ preferredReader: null }).preferredReader).toBeNull();
  });

  it('an unchanged value writes nothing and notifies nobody', () => {
    const s = open();
    const before = statSync(file()).mtimeMs;
    let calls = 0;
    s.onChange(() => calls++);
    s.update({});
    s.update({ language: 'ja' });
    expect(calls).toBe(0);
    expect(statSync(file()).mtimeMs).toBe(before);
  });

  it.each([
    [{ language: 'fr' }, 'language'],
    [{ pin: '1234' }, '(patch)'],
    [{ portalUrl: 'https://evil.example' }, '(patch)'],
    [{ kiosk: { enabled: false } }, '(patch)'],
    [{ preferredReader: 'x'.repeat(257) }, 'preferredReader'],
    [null, '(patch)'],
  ])('refuses %j as SETTINGS_INVALID and changes nothing', (patch, field) => {
    const s = open();
    const before = readFileSync(file(), 'utf8');
    const e = expectSettingsError(() => s.update(patch), 'SETTINGS_INVALID');
    if (field !== '(patch)') expect(e.details.field).toBe(field);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('get() hands out copies', () => {
    const s = open();
    const g = s.get();
    g.kiosk.enabled = true;
    g.language = 'en';
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('SettingsService: portal URL (main/CLI only)', () => {
  it('stores the normalised origin of an https URL or a loopback http URL', () => {
    const s = open();
    expect(s.setPortalUrl('https://Portal.Example.jp/').portalUrl).toBe('https://portal.example.jp');
    expect(readJson().portalUrl).toBe('https://portal.example.jp');
    expect(s.setPortalUrl('http://127.0.0.1:54321').portalUrl).toBe('http://127.0.0.1:54321');
    expect(s.setPortalUrl(null).portalUrl).toBeNull();
    expect(open().view().portalUrl).toBeNull();
  });

  it.each([
    ['http://portal.example.jp', 'not-loopback'],
    ['ftp://portal.example.jp', 'scheme'],
    ['https://portal.example.jp/path', 'not-origin'],
    ['https://a:b@portal.example.jp', 'credentials'],
    ['not a url', 'malformed'],
  ])('refuses %s with a typed error (%s)', (url, rule) => {
    const s = open();
    s.setPortalUrl('https://portal.example.jp');
    const e = expectSettingsError(() => s.setPortalUrl(url), 'PORTAL_URL_INVALID');
    expect(e.details.rule).toBe(rule);
    expect(e.messageJa).toMatch(/ポータルのURL/);
    expect(e.toJSON()).toMatchObject({ code: 'PORTAL_URL_INVALID', details: { rule } });
    expect(s.view().portalUrl).toBe('https://portal.example.jp');
    expect(readJson().portalUrl).toBe('https://portal.example.jp');
  });
});

describe('SettingsService: a provisioned kiosk', () => {
  beforeEach(() => {
    writeFileSync(
      file(),
      JSON.stringify({ schemaVersion: 2, portalUrl: 'https://portal.example.jp/', kiosk: { enabled: true } }),
    );
  });

  it('reads an administrator’s minimal file, fills and normalises it', () => {
    const s = open();
    expect(s.provisioned).toBe(true);
    expect(s.recovered).toBeNull();
    expect(s.get()).toEqual({
      ...DEFAULT_SETTINGS,
      portalUrl: 'https://portal.example.jp',
      kiosk: { enabled: true, idleTimeoutSeconds: 120 },
    });
    expect(readJson()).toEqual(s.get());
  });

  it('lets the page change the language only; a mixed patch is refused as a whole', () => {
    const s = open();
    expect(s.update({ language: 'en' }).language).toBe('en');
    expectSettingsError(() => s.update({ preferredReader: 'Reader 1' }), 'SETTINGS_PROVISIONED');
    expectSettingsError(() => s.update({ language: 'ja', preferredReader: null }), 'SETTINGS_PROVISIONED');
    expect(s.view()).toMatchObject({ language: 'en', preferredReader: null });
    expect(open().view().language).toBe('en');
  });

  it('main/CLI may still provision it (and turn kiosk mode off)', () => {
    const s = open();
    s.provision({ kiosk: { idleTimeoutSeconds: 60 } });
    expect(s.get().kiosk).toEqual({ enabled: true, idleTimeoutSeconds: 60 });
    expectSettingsError(() => s.provision({ kiosk: { idleTimeoutSeconds: 5 } }), 'SETTINGS_INVALID');
    s.provision({ kiosk: { enabled: false }, demoMode: false });
    expect(s.provisioned).toBe(false);
    expect(open().get()).toMatchObject({ demoMode: false, kiosk: { enabled: false, idleTimeoutSeconds: 60 } });
  });
});

describe('SettingsService: recovery from a bad file', () => {
  it.each([
    ['invalid JSON', '{"schemaVersion": 2, "language": ', 'invalid-json'],
    ['an empty file', '', 'invalid-json'],
    ['a JSON array', '[]', 'invalid-content'],
    ['no schemaVersion', '{"language":"en"}', 'invalid-content'],
    ['an unknown language', JSON.stringify({ ...DEFAULT_SETTINGS, language: 'fr' }), 'invalid-content'],
    ['a PIN someone put there', JSON.stringify({ ...DEFAULT_SETTINGS, pin: '1234' }), 'invalid-content'],
    ['plain http off loopback', JSON.stringify({ ...DEFAULT_SETTINGS, portalUrl: 'http://x.jp' }), 'invalid-content'],
  ])('%s: kept as a backup, defaults used, recovery reported', (_label, content, reason) => {
    writeFileSync(file(), content);
    const s = open();
    expect(s.recovered).toEqual({ backupPath: join(dir, 'config.corrupt-20261127T035948123Z.json'), reason });
    expect(readFileSync(s.recovered?.backupPath as string, 'utf8')).toBe(content);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(readJson()).toEqual(DEFAULT_SETTINGS);
    // and the app works normally afterwards
    s.update({ language: 'en' });
    const again = open();
    expect(again.recovered).toBeNull();
    expect(again.view().language).toBe('en');
  });

  it('never overwrites an earlier backup', () => {
    writeFileSync(file(), 'first');
    const a = open();
    writeFileSync(file(), 'second');
    const b = open();
    expect(a.recovered?.backupPath).not.toBe(b.recovered?.backupPath);
    expect(b.recovered?.backupPath).toBe(join(dir, 'config.corrupt-20261127T035948123Z-1.json'));
    expect(readFileSync(a.recovered?.backupPath as string, 'utf8')).toBe('first');
    expect(readFileSync(b.recovered?.backupPath as string, 'utf8')).toBe('second');
  });

  it('reads a file saved with a byte-order mark', () => {
    writeFileSync(file(), `\ufeff${JSON.stringify({ ...DEFAULT_SETTINGS, language: 'en' })}`);
    const s = open();
    expect(s.recovered).toBeNull();
    expect(s.view().language).toBe('en');
  });

  it('does not move aside what it cannot read (a directory in the way): it throws', () => {
    mkdirSync(file());
    expect(() => open()).toThrow();
    expect(statSync(file()).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});

describe('SettingsService: migrations', () => {
  it('upgrades a v1 file on open, writes v2 back, and reports what was dropped', () => {
    writeFileSync(
      file(),
      JSON.stringify({
        schemaVersion: 1,
        lang: 'en-US',
        portalUrl: 'http://portal.example.jp',
        kioskMode: true,
        kioskIdleSeconds: 0,
        lastResident: '見本　花子',
      }),
    );
    const s = open();
    expect(s.migrated).toEqual({ from: 1, to: 2, dropped: ['portalUrl', 'kioskIdleSeconds'] });
    expect(s.recovered).toBeNull();
    expect(s.get()).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'en',
      kiosk: { enabled: true, idleTimeoutSeconds: 120 },
    });
    const text = readFileSync(file(), 'utf8');
    expect(JSON.parse(text)).toEqual(s.get());
    expect(text).not.toContain('見本');
    expect(readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    // once upgraded, it stays upgraded
    expect(open().migrated).toBeNull();
  });

  it('a broken v1 file is recovered like any bad file', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 1, lang: 42 }));
    const s = open();
    expect(s.recovered?.reason).toBe('invalid-content');
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('a file from a newer app: read-only defaults, the file untouched, nothing ever saved', () => {
    const content = JSON.stringify({ schemaVersion: 3, language: 'en', theme: { contrast: 'high' } });
    writeFileSync(file(), content);
    const before = statSync(file());
    const s = open();
    expect(s.readOnly).toEqual({ reason: 'future-version', version: 3 });
    expect(s.recovered).toBeNull();
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expectSettingsError(() => s.update({ language: 'en' }), 'SETTINGS_READ_ONLY');
    expectSettingsError(() => s.setPortalUrl('https://portal.example.jp'), 'SETTINGS_READ_ONLY');
    expectSettingsError(() => s.provision({ demoMode: false }), 'SETTINGS_READ_ONLY');
    expect(readFileSync(file(), 'utf8')).toBe(content);
    expect(statSync(file()).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('a newer file that provisions a kiosk keeps kiosk mode on (fail closed)', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 7, kiosk: { enabled: true, idleTimeoutSeconds: 30 } }));
    const s = open();
    expect(s.readOnly?.version).toBe(7);
    expect(s.provisioned).toBe(true);
    expect(s.view().kiosk).toEqual({ enabled: true, idleTimeoutSeconds: 120 });
  });
});

describe('SettingsService.kioskEnabled: what open() would say, read without writing', () => {
  const listing = () => readdirSync(dir).sort();

  it('no file, or a plain install: no kiosk, nothing written', () => {
    expect(SettingsService.kioskEnabled({ dir })).toBe(false);
    expect(listing()).toEqual([]);
    writeFileSync(file(), JSON.stringify(DEFAULT_SETTINGS));
    expect(SettingsService.kioskEnabled({ dir })).toBe(false);
  });

  it('an administrator’s minimal file or an old v1 file provisioning a kiosk: kiosk, the file untouched', () => {
    const minimal = JSON.stringify({ schemaVersion: 2, kiosk: { enabled: true } });
    writeFileSync(file(), minimal);
    expect(SettingsService.kioskEnabled({ dir })).toBe(true);
    expect(readFileSync(file(), 'utf8')).toBe(minimal);
    const v1 = JSON.stringify({ schemaVersion: 1, kioskMode: true });
    writeFileSync(file(), v1);
    expect(SettingsService.kioskEnabled({ dir })).toBe(true);
    expect(readFileSync(file(), 'utf8')).toBe(v1);
    expect(open().provisioned).toBe(true);
  });

  it('a newer file provisioning a kiosk: kiosk (fail closed, like open())', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 7, kiosk: { enabled: true } }));
    expect(SettingsService.kioskEnabled({ dir })).toBe(true);
  });

  it('a corrupt file: defaults like open(), and it is left in place so open() still reports the recovery', () => {
    writeFileSync(file(), '{"schemaVersion": 2, "kiosk": ');
    expect(SettingsService.kioskEnabled({ dir })).toBe(false);
    expect(listing()).toEqual(['config.json']);
    expect(open().recovered?.reason).toBe('invalid-json');
  });
});

describe('the JSON schema (conf/ajv) and the zod schema agree', () => {
  const valid: StoredSettings[] = [
    DEFAULT_SETTINGS,
    {
      schemaVersion: 2,
      language: 'en',
      portalUrl: 'https://portal.example.jp:8443',
      demoMode: false,
      preferredReader: 'Reader',
      kiosk: { enabled: true, idleTimeoutSeconds: 3600 },
    },
    { ...DEFAULT_SETTINGS, portalUrl: 'http://127.0.0.1:1234' },
    { ...DEFAULT_SETTINGS, portalUrl: 'http://[::1]:1234' },
    { ...DEFAULT_SETTINGS, portalUrl: 'https://xn--eckuc6a2ec6fwf.jp' },
    { ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 15 } },
  ];
  const invalid: unknown[] = [
    { ...DEFAULT_SETTINGS, schemaVersion: 1 },
    { ...DEFAULT_SETTINGS, language: 'fr' },
    { ...DEFAULT_SETTINGS, pin: '1234' },
    { ...DEFAULT_SETTINGS, myNumber: '123456789012' },
    { ...DEFAULT_SETTINGS, sessionToken: 'abc' },
    { ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 120, pin: '1' } },
    { ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 14 } },
    { ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 3601 } },
    { ...DEFAULT_SETTINGS, kiosk: { enabled: true, idleTimeoutSeconds: 60.5 } },
    { ...DEFAULT_SETTINGS, portalUrl: 'http://portal.example.jp' },
    { ...DEFAULT_SETTINGS, portalUrl: 'https://portal.example.jp/' },
    { ...DEFAULT_SETTINGS, portalUrl: 'https://portal.example.jp/path' },
    { ...DEFAULT_SETTINGS, portalUrl: 'https://Portal.example.jp' },
    { ...DEFAULT_SETTINGS, portalUrl: 'ftp://portal.example.jp' },
    { ...DEFAULT_SETTINGS, preferredReader: 'x'.repeat(257) },
    { ...DEFAULT_SETTINGS, demoMode: 'yes' },
  ];
  const conf = () =>
    new Conf<StoredSettings>({
      cwd: dir,
      configName: 'agree',
      schema: SETTINGS_JSON_SCHEMA,
      rootSchema: SETTINGS_ROOT_SCHEMA,
      defaults: DEFAULT_SETTINGS,
    });

  it.each(valid.map((v) => [v]))('both accept %j', (doc) => {
    expect(StoredSettingsSchema.safeParse(doc).success).toBe(true);
    const c = conf();
    c.store = doc;
    expect(c.store).toEqual(doc);
  });

  it.each(invalid.map((v) => [v]))('both refuse %j', (doc) => {
    expect(StoredSettingsSchema.safeParse(doc).success).toBe(false);
    const c = conf();
    expect(() => {
      c.store = doc as StoredSettings;
    }).toThrow(/schema/i);
    expect(c.store).toEqual(DEFAULT_SETTINGS);
  });
});

describe('the store factory', () => {
  it('is what writes: the service runs against any conf-shaped store', () => {
    const writes: StoredSettings[] = [];
    let held: StoredSettings = { ...DEFAULT_SETTINGS };
    const s = SettingsService.open({
      dir,
      store: (o) => {
        expect(o).toMatchObject({ cwd: dir, name: 'config', rootSchema: { additionalProperties: false } });
        return {
          path: join(o.cwd, `${o.name}.json`),
          get store() {
            return held;
          },
          set store(v: StoredSettings) {
            writes.push(v);
            held = v;
          },
        };
      },
    });
    s.update({ language: 'en' });
    expect(writes).toEqual([{ ...DEFAULT_SETTINGS, language: 'en' }]);
  });
});
