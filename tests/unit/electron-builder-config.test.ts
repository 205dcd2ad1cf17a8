/**
 * electron-builder.yml cannot be exercised here (packaging needs the network), so it is checked
 * statically: against the JSON schema electron-builder itself validates with
 * (app-builder-lib/scheme.json), and for the settings this app depends on (electron-anchors §2.2,
 * §5). The YAML parser, ajv and plist are the ones app-builder-lib uses, resolved from its own
 * location so that hoisting changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const builderRequire = createRequire(
  createRequire(join(root, 'package.json')).resolve('electron-builder/package.json'),
);
const ablPackageJson = builderRequire.resolve('app-builder-lib/package.json');
const abl = createRequire(ablPackageJson);

const yaml = abl('js-yaml') as { load(text: string): unknown };
const plist = abl('plist') as { parse(text: string): unknown };

interface AjvError {
  instancePath: string;
  message?: string;
}
interface ValidateFn {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
const AjvClass = (abl('ajv') as { default: new (opts: object) => { compile(schema: object): ValidateFn } }).default;

type Json = Record<string, unknown>;

function loadConfig(): Json {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Json;
}

const validate = new AjvClass({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join(dirname(ablPackageJson), 'scheme.json'), 'utf8')) as object,
);

function schemaErrors(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** electron-builder's own default deb dependencies (the list deb.depends replaces). */
function defaultDebDepends(): string[] {
  const FpmTarget = (abl('./out/targets/FpmTarget.js') as { default: { prototype: object } }).default;
  const get = (FpmTarget.prototype as { getDefaultDepends(target: string): string[] }).getDefaultDepends;
  return get.call(null, 'deb');
}

function readPlist(relPath: string): Json {
  return plist.parse(readFileSync(join(root, relPath), 'utf8')) as Json;
}

const config = loadConfig();
const section = (key: string) => (config[key] ?? {}) as Json;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
/** Target names of a platform section (`target: x`, `[x, y]` or `[{target: x, arch}]`). */
const targets = (key: string) =>
  asList(section(key).target).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));

describe('electron-builder.yml against electron-builder’s schema', () => {
  it('is valid', () => {
    expect(schemaErrors(config)).toEqual([]);
  });

  it('the schema check can fail: a misspelt key and a wrongly typed fuse are rejected', () => {
    expect(schemaErrors({ ...config, asarUnpak: ['**/*.node'] }).join('\n')).toMatch(/additional properties/);
    const badFuse = { ...config, electronFuses: { ...section('electronFuses'), runAsNode: 'no' } };
    expect(schemaErrors(badFuse).join('\n')).toMatch(/electronFuses\/runAsNode must be boolean/);
  });
});

describe('what the app relies on', () => {
  it('fuses as electron-anchors §2.2', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('native addons: asar with every .node unpacked, rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
    expect(section('win').signExts).toContain('.node');
  });

  it('ships the build output and package.json, whose main is inside it', () => {
    const files = asList(config.files);
    expect(files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string; scripts: Json };
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.scripts.package).toBe('node scripts/package.ts');
    // Its steps, in order, with the Node build of the addons restored whatever happens.
    const script = readFileSync(join(root, 'scripts/package.ts'), 'utf8');
    const order = ["'scripts/electron-native.ts', '--check'", "'scripts/build.ts'", "'electron-builder'", "'rebuild'"];
    const at = order.map((s) => script.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(script).toMatch(/finally\s*{[^}]*'rebuild', 'pcsclite', 'better-sqlite3'/);
  });

  it('Windows: NSIS', () => {
    expect(targets('win')).toEqual(['nsis']);
  });

  it('macOS: dmg, hardened runtime, the smart-card entitlement on the main executable only', () => {
    const mac = section('mac');
    expect(targets('mac')).toEqual(['dmg']);
    expect(mac.hardenedRuntime).toBe(true);
    const main = readPlist(String(mac.entitlements));
    const inherit = readPlist(String(mac.entitlementsInherit));
    expect(main['com.apple.security.smartcard']).toBe(true);
    expect(main['com.apple.security.cs.allow-jit']).toBe(true);
    expect(inherit).toEqual({ 'com.apple.security.cs.allow-jit': true });
    for (const risky of [
      'com.apple.security.cs.disable-library-validation',
      'com.apple.security.cs.allow-dyld-environment-variables',
      'com.apple.security.cs.allow-unsigned-executable-memory',
      'com.apple.security.get-task-allow',
    ]) {
      expect(main[risky], risky).toBeUndefined();
    }
  });

  it('Linux: AppImage and deb; deb restates electron-builder’s default depends and adds pcscd + libpcsclite1', () => {
    expect(targets('linux')).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    const depends = asList(section('deb').depends);
    const defaults = defaultDebDepends();
    expect(defaults.length).toBeGreaterThan(5);
    expect(depends).toEqual(expect.arrayContaining([...defaults, 'pcscd', 'libpcsclite1']));
  });

  it('every file the config points at exists', () => {
    const mac = section('mac');
    for (const p of [mac.entitlements, mac.entitlementsInherit])
      expect(existsSync(join(root, String(p))), String(p)).toBe(true);
  });
});
