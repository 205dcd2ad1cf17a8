/**
 * scripts/electron-native.ts without the network: what it would build, with which environment,
 * when it skips, and how it fails offline. (The build itself needs Electron's headers.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ELECTRON_NATIVE_STAMP, NATIVE_ADDONS } from '../../native/addon-resolve.ts';
import { buildEnv, headersDir, isUpToDate, makePlan, missingBuildTools } from '../../scripts/electron-native.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = join(root, 'scripts/electron-native.ts');
const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

describe('electron-native plan', () => {
  const plan = makePlan(root, {});

  it('targets the installed Electron with the installed addon versions', () => {
    expect(plan.stamp).toEqual({
      electron: version('electron'),
      platform: process.platform,
      arch: process.arch,
      packages: { pcsclite: version('pcsclite'), 'better-sqlite3': version('better-sqlite3') },
    });
    expect(plan.dir).toBe(
      join(root, '.cache/electron-native', `${version('electron')}-${process.platform}-${process.arch}`),
    );
    expect(plan.disturl).toBe('https://electronjs.org/headers');
    expect(makePlan(root, { npm_config_disturl: 'https://mirror.example/headers' }).disturl).toBe(
      'https://mirror.example/headers',
    );
  });

  it('builds against Electron headers, never a nodedir from the toolchain or ~/.npmrc', () => {
    const env = buildEnv(plan, root, {
      PATH: '/bin',
      npm_config_nodedir: '/toolchain/node',
      NPM_CONFIG_NODEDIR: '/toolchain/node',
      npm_package_config_node_gyp_nodedir: '/elsewhere',
    });
    expect(env.PATH).toBe('/bin');
    expect(env.npm_config_nodedir).toBeUndefined();
    expect(env.NPM_CONFIG_NODEDIR).toBeUndefined();
    // node-gyp reads npm_package_config_node_gyp_* last: an empty nodedir defeats an npmrc one.
    expect(env.npm_package_config_node_gyp_nodedir).toBe('');
    for (const prefix of ['npm_config_', 'npm_package_config_node_gyp_']) {
      expect(env[`${prefix}runtime`]).toBe('electron');
      expect(env[`${prefix}target`]).toBe(plan.stamp.electron);
      expect(env[`${prefix}disturl`]).toBe('https://electronjs.org/headers');
      expect(env[`${prefix}devdir`]).toBe(headersDir(root));
    }
    expect(env.npm_config_build_from_source).toBe('true');
  });

  it('is up to date only with the same stamp and every binary present', () => {
    const files = new Map<string, string>([[join(plan.dir, ELECTRON_NATIVE_STAMP), JSON.stringify(plan.stamp)]]);
    for (const [name, bin] of Object.entries(NATIVE_ADDONS)) files.set(join(plan.dir, 'node_modules', name, bin), '');
    const exists = (p: string) => files.has(p);
    const read = (p: string) => files.get(p) ?? '';
    expect(isUpToDate(plan, exists, read)).toBe(true);

    const older = { ...plan, stamp: { ...plan.stamp, electron: '44.0.0' } };
    expect(isUpToDate(older, exists, read)).toBe(false);
    files.delete(join(plan.dir, 'node_modules', 'pcsclite', NATIVE_ADDONS.pcsclite));
    expect(isUpToDate(plan, exists, read)).toBe(false);
  });

  it('names the missing build tools per OS', () => {
    const none = () => false;
    expect(missingBuildTools('linux', none, none).join('\n')).toMatch(/python3[\s\S]*make[\s\S]*libpcsclite-dev/);
    expect(missingBuildTools('darwin', none, none).join('\n')).toMatch(/xcode-select --install/);
    expect(
      missingBuildTools(
        'linux',
        () => true,
        () => true,
      ),
    ).toEqual([]);
  });
});

describe('electron-native CLI', () => {
  it('offline: explains in Japanese and English and exits 2 (headers server unreachable)', () => {
    const r = spawnSync(process.execPath, [script, '--check', '--timeout-ms', '3000'], {
      encoding: 'utf8',
      // Port 1 on loopback refuses at once: no real network is tried.
      env: { ...process.env, npm_config_disturl: 'http://127.0.0.1:1' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ja: .+/m);
    expect(r.stderr).toMatch(/^en: .+/m);
  });

  it('--print-dir prints the folder native/addon-resolve.ts looks in', () => {
    const r = spawnSync(process.execPath, [script, '--print-dir'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(makePlan(root, {}).dir);
  });
});
