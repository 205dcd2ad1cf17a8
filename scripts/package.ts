/**
 * `npm run package [-- <electron-builder args>]`: build the installers for this OS.
 *
 * electron-builder's npmRebuild rebuilds node_modules' native addons for Electron in place, and
 * the tests and the CLI need them built for Node. So the Node build is restored afterwards
 * whatever happened — including when electron-builder fails half-way.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status ?? 1;
}

let code = run(process.execPath, ['scripts/electron-native.ts', '--check']);
if (code === 0) code = run(process.execPath, ['scripts/build.ts']);
if (code === 0) {
  try {
    code = run(npx, ['electron-builder', ...process.argv.slice(2)]);
  } finally {
    const restored = run(npm, ['rebuild', 'pcsclite', 'better-sqlite3']);
    if (restored !== 0) {
      process.stderr.write(
        'ネイティブモジュールを Node 用に戻せませんでした。`npm rebuild pcsclite better-sqlite3` を実行してください。\n' +
          'Could not rebuild the native modules for Node; run `npm rebuild pcsclite better-sqlite3`.\n',
      );
      code ||= restored;
    }
  }
}
process.exit(code);
