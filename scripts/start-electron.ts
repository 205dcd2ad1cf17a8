/**
 * `npm start`: launch the Electron app from this checkout.
 *
 *   npm start [-- <app arguments: --kiosk, --portal-url=<url>, --demo>]
 *
 * 1. Find the Electron binary the way node_modules/electron/index.js does (path.txt under
 *    dist/, or ELECTRON_OVERRIDE_DIST_PATH) — without requiring that file, which since
 *    Electron 42 downloads the binary when it is missing (electron-anchors §4.1). No binary:
 *    say why in Japanese and English and exit 2.
 * 2. Build out/ (scripts/build.ts).
 * 3. Make sure the native addons exist for Electron's ABI (scripts/electron-native.ts).
 * 4. Run Electron on this folder (package.json "main" → out/main/index.js), passing the
 *    arguments through, and exit with its code.
 *
 * The previous `npm start` (the card self-test against the emulator) is `npm run start:cli`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type BinaryLookup = { ok: true; path: string } | { ok: false; looked: string };

/** Where the Electron executable is, mirroring electron/index.js's lookup, never downloading. */
export function findElectronBinary(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  exists = existsSync,
): BinaryLookup {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = exists(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const platformDefault =
    process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : process.platform === 'win32'
        ? 'electron.exe'
        : 'electron';
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || platformDefault)
    : relative
      ? join(pkg, 'dist', relative)
      : undefined;
  if (candidate !== undefined && exists(candidate)) return { ok: true, path: candidate };
  return { ok: false, looked: candidate ?? join(pkg, 'dist', platformDefault) };
}

export function missingBinaryMessage(looked: string): string {
  return [
    `Electron の実行ファイルがありません: ${looked}`,
    'electron パッケージは初回の require 時に Electron 本体をインターネットからダウンロードしますが、',
    'この環境ではダウンロードできないため、アプリを起動できません（勝手にダウンロードさせないよう、',
    'このスクリプトは electron/index.js を読み込みません）。',
    '次のいずれかを行ってください:',
    '  - インターネットに接続できる環境で npx install-electron を実行する',
    '  - 展開済みの Electron のフォルダを ELECTRON_OVERRIDE_DIST_PATH に指定する',
    'Electron なしで画面を確かめるには npm run host（テスト用ホスト + ブラウザ）、',
    'カードの動作確認だけなら npm run start:cli を使えます。',
    '',
    `The Electron executable is missing: ${looked}`,
    'The electron package downloads Electron itself on first require, which cannot happen on this',
    'machine, so the app cannot start (this script never loads electron/index.js, so that nothing',
    'is downloaded behind your back). Either:',
    '  - run npx install-electron on a machine with internet access, or',
    '  - point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron folder.',
    'To see the UI without Electron use npm run host (the test host in a browser); for the card',
    'self-test alone, npm run start:cli.',
  ].join('\n');
}

function step(label: string, args: string[]): number {
  process.stdout.write(`start: ${label}\n`);
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const binary = findElectronBinary(ROOT);
  if (!binary.ok) {
    console.error(missingBinaryMessage(binary.looked));
    return 2;
  }
  if (step('build (scripts/build.ts)', [join(ROOT, 'scripts', 'build.ts')]) !== 0) {
    console.error('start: ビルドに失敗しました / the build failed');
    return 1;
  }
  const native = step('native addons for Electron (scripts/electron-native.ts)', [
    join(ROOT, 'scripts', 'electron-native.ts'),
  ]);
  if (native !== 0) {
    console.error(
      'start: Electron 用のネイティブモジュールを用意できませんでした（上のメッセージを参照） / ' +
        'the native addons for Electron are not ready (see above)',
    );
    return native;
  }
  const env = { ...process.env };
  // Set, it would make Electron a plain Node and skip the app entirely.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary.path, [ROOT, ...argv], { cwd: ROOT, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((done) => {
    child.on('error', (e) => {
      console.error(`start: Electron を起動できません / cannot start Electron: ${e.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
