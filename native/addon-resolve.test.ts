import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AddonLoadError,
  betterSqliteNativeBinding,
  ELECTRON_NATIVE_STAMP,
  electronNativeDir,
  findPackageRoot,
  NATIVE_ADDONS,
  type NativeAddonName,
  type ResolveAddonContext,
  requireAddon,
  resolveAddon,
  resolveAddonBinary,
  runtimeContext,
} from './addon-resolve.ts';

const DIR = '/proj/.cache/electron-native/45.5.0-linux-x64';
const NAMES = Object.keys(NATIVE_ADDONS) as NativeAddonName[];

/** Every file of a finished electron-native build of the given addons. */
function built(names: NativeAddonName[] = NAMES): Set<string> {
  return new Set([
    join(DIR, ELECTRON_NATIVE_STAMP),
    ...names.map((n) => join(DIR, 'node_modules', n, NATIVE_ADDONS[n])),
  ]);
}

function ctx(
  files: Set<string>,
  over: Partial<ResolveAddonContext> = {},
  runtime: 'electron' | 'node' = 'electron',
): ResolveAddonContext {
  return {
    versions: runtime === 'electron' ? { node: '22.20.0', electron: '45.5.0' } : { node: '22.23.3' },
    electronNativeDir: DIR,
    exists: (p) => files.has(p),
    ...over,
  };
}

describe('resolveAddon in Electron', () => {
  it('uses the electron-native folder once it is built', () => {
    expect(resolveAddon('pcsclite', ctx(built()))).toBe(join(DIR, 'node_modules', 'pcsclite'));
    expect(resolveAddon('better-sqlite3', ctx(built()))).toBe(join(DIR, 'node_modules', 'better-sqlite3'));
    expect(resolveAddonBinary('better-sqlite3', ctx(built()))).toBe(
      join(DIR, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
    );
  });

  it('falls back to the normal module when the folder is not built', () => {
    expect(resolveAddon('pcsclite', ctx(new Set()))).toBe('pcsclite');
    expect(resolveAddonBinary('better-sqlite3', ctx(new Set()))).toBeUndefined();
  });

  it('ignores an unfinished build (no stamp) and an addon missing from a finished one', () => {
    const noStamp = built();
    noStamp.delete(join(DIR, ELECTRON_NATIVE_STAMP));
    expect(resolveAddon('pcsclite', ctx(noStamp))).toBe('pcsclite');
    expect(resolveAddon('pcsclite', ctx(built(['better-sqlite3'])))).toBe('pcsclite');
    expect(resolveAddon('better-sqlite3', ctx(built(['better-sqlite3'])))).toBe(
      join(DIR, 'node_modules', 'better-sqlite3'),
    );
  });

  it('a packaged app (node_modules rebuilt by electron-builder) always uses the normal module', () => {
    expect(resolveAddon('pcsclite', ctx(built(), { packaged: true }))).toBe('pcsclite');
    expect(resolveAddonBinary('better-sqlite3', ctx(built(), { packaged: true }))).toBeUndefined();
  });

  it('no folder to look in means the normal module', () => {
    expect(resolveAddon('pcsclite', ctx(built(), { electronNativeDir: undefined }))).toBe('pcsclite');
  });
});

describe('resolveAddon in Node', () => {
  it('never returns an Electron-ABI path, whatever is on disk', () => {
    for (const name of NAMES) {
      for (const files of [built(), new Set<string>()]) {
        for (const packaged of [true, false, undefined]) {
          const c = ctx(files, { packaged }, 'node');
          expect(resolveAddon(name, c)).toBe(name);
          expect(resolveAddonBinary(name, c)).toBeUndefined();
        }
      }
    }
  });

  it('does not even look at the disk', () => {
    const looked: string[] = [];
    resolveAddon('pcsclite', ctx(built(), { exists: (p) => looked.push(p) > 0 }, 'node'));
    expect(looked).toEqual([]);
  });

  it('this process is Node: the runtime context has no folder and the real addon loads', () => {
    expect(process.versions.electron).toBeUndefined();
    expect(runtimeContext().electronNativeDir).toBeUndefined();
    expect(betterSqliteNativeBinding()).toBeUndefined();
    const Database =
      requireAddon<new (file: string) => { close(): void; pragma(s: string): unknown }>('better-sqlite3');
    const db = new Database(':memory:');
    expect(db.pragma('foreign_keys')).toBeDefined();
    db.close();
  });
});

describe('folder layout', () => {
  it('one folder per Electron version, platform and arch under .cache/electron-native', () => {
    expect(electronNativeDir('/proj', { electron: '45.5.0', platform: 'linux', arch: 'x64' })).toBe(DIR);
  });

  it('findPackageRoot walks up to the nearest package.json', () => {
    const files = new Set(['/proj/package.json', '/proj/app.asar/package.json']);
    const exists = (p: string) => files.has(p);
    expect(findPackageRoot('/proj/out/main', exists)).toBe('/proj');
    expect(findPackageRoot('/proj/app.asar/out/main', exists)).toBe('/proj/app.asar');
    expect(findPackageRoot('/elsewhere/x', exists)).toBeUndefined();
  });

  it('the project root found from native/ is the repository (where .cache/ lives)', () => {
    const root = findPackageRoot(new URL('.', import.meta.url).pathname);
    expect(root && createRequire(join(root, 'package.json'))('./package.json').name).toBe('myna-companion');
  });
});

describe('a resolved folder is requirable as a package', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'addon-resolve-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('require() of the returned path loads the package in the electron-native folder', () => {
    const dir = electronNativeDir(tmp, { electron: '45.5.0', platform: 'linux', arch: 'x64' });
    const pkg = join(dir, 'node_modules', 'pcsclite');
    mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
    writeFileSync(join(pkg, NATIVE_ADDONS.pcsclite), '');
    writeFileSync(join(pkg, 'package.json'), '{"name":"pcsclite","main":"index.js"}');
    writeFileSync(join(pkg, 'index.js'), 'module.exports = "electron-abi copy";');
    writeFileSync(join(dir, ELECTRON_NATIVE_STAMP), '{}');
    const request = resolveAddon('pcsclite', {
      versions: { electron: '45.5.0' },
      electronNativeDir: dir,
      exists: (p) => runtimeContext().exists(p),
    });
    expect(request).toBe(pkg);
    expect(createRequire(import.meta.url)(request)).toBe('electron-abi copy');
  });
});

describe('AddonLoadError', () => {
  it('explains an ABI mismatch in Japanese and English', () => {
    const err = new AddonLoadError(
      'pcsclite',
      'pcsclite',
      new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 140'),
    );
    expect(err.en).toContain('npm rebuild pcsclite');
    expect(err.ja).toContain('別のランタイム');
    expect(err.message).toContain('NODE_MODULE_VERSION 140');
  });
});
