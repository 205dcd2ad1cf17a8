/**
 * Builds the Electron-ABI copies of the native addons next to (never inside) node_modules, so that
 * `npm start` (Electron) and `npm test` (Node) both work, in either order, without reinstalling
 * (electron-anchors §4.2 item 5; the folder layout and the loader are in native/addon-resolve.ts).
 *
 *   node scripts/electron-native.ts            build .cache/electron-native/<electron>-<platform>-<arch>
 *                                              (skipped when already built for these versions)
 *   node scripts/electron-native.ts --force    rebuild even when up to date
 *   node scripts/electron-native.ts --check    preflight for `npm run package` (Electron headers
 *                                              reachable, build tools present); builds nothing
 *   node scripts/electron-native.ts --print-dir
 *   --timeout-ms N                             how long to wait for the headers server (default 8000)
 *
 * It runs `npm install` into a scratch folder with node-gyp pointed at Electron's headers
 * (npm_config_runtime=electron, npm_config_target, npm_config_disturl,
 * npm_config_build_from_source) and the exact versions of pcsclite and better-sqlite3 that
 * node_modules holds. The headers come from https://electronjs.org/headers (override with
 * npm_config_disturl): without internet it says so in Japanese and English and exits 2.
 * Exit codes: 0 built / up to date / check passed, 1 build failed, 2 prerequisites missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ELECTRON_NATIVE_STAMP,
  type ElectronNativeStamp,
  electronNativeDir,
  NATIVE_ADDONS,
  type NativeAddonName,
} from '../native/addon-resolve.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DISTURL = 'https://electronjs.org/headers';

export interface Plan {
  dir: string;
  stamp: ElectronNativeStamp;
  disturl: string;
}

function readVersion(root: string, pkg: string): string {
  const file = join(root, 'node_modules', pkg, 'package.json');
  if (!existsSync(file))
    throw new Error(`${pkg} is not installed (${file}): run npm ci first / 先に npm ci を実行してください`);
  // Read as data: require('electron') would try to download the Electron binary (since v42).
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** What to build: versions from node_modules, this machine's platform and arch. */
export function makePlan(root: string, env: NodeJS.ProcessEnv = process.env): Plan {
  const electron = readVersion(root, 'electron');
  const target = { electron, platform: process.platform, arch: process.arch };
  const packages: Record<string, string> = {};
  for (const name of Object.keys(NATIVE_ADDONS) as NativeAddonName[]) packages[name] = readVersion(root, name);
  return {
    dir: electronNativeDir(root, target),
    stamp: { ...target, packages },
    disturl: env.npm_config_disturl || env.NPM_CONFIG_DISTURL || DEFAULT_DISTURL,
  };
}

/** True when `dir` holds a finished build of exactly these versions. */
export function isUpToDate(
  plan: Plan,
  exists: (p: string) => boolean = existsSync,
  read = (p: string) => readFileSync(p, 'utf8'),
): boolean {
  const stampFile = join(plan.dir, ELECTRON_NATIVE_STAMP);
  if (!exists(stampFile)) return false;
  let stamp: unknown;
  try {
    stamp = JSON.parse(read(stampFile));
  } catch {
    return false;
  }
  if (JSON.stringify(stamp) !== JSON.stringify(plan.stamp)) return false;
  return (Object.keys(NATIVE_ADDONS) as NativeAddonName[]).every((n) =>
    exists(join(plan.dir, 'node_modules', n, NATIVE_ADDONS[n])),
  );
}

/** Where node-gyp keeps the Electron headers it downloads (`<devdir>/<electron>/include/node`). */
export function headersDir(root: string): string {
  return join(root, '.cache', 'electron-native', 'headers');
}

/**
 * The environment for `npm install`: node-gyp (and better-sqlite3's prebuild-install, which we
 * make fall through to a source build) target Electron's headers. A `nodedir` setting would make
 * node-gyp compile against those headers instead, while claiming to target Electron:
 * scripts/toolchain.sh exports one and a user's ~/.npmrc may hold one (this machine's does), so
 * the variable is dropped and node-gyp's own package-config form, which it reads last, resets it.
 * node-gyp options are given in both forms it reads (npm_config_* is deprecated by npm 11).
 */
export function buildEnv(plan: Plan, root: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^npm_config_nodedir$|^npm_package_config_node_gyp_/i.test(k)) out[k] = v;
  }
  const gyp: Record<string, string> = {
    runtime: 'electron',
    target: plan.stamp.electron,
    disturl: plan.disturl,
    arch: plan.stamp.arch,
    devdir: headersDir(root),
  };
  for (const [k, v] of Object.entries(gyp)) {
    out[`npm_config_${k}`] = v;
    out[`npm_package_config_node_gyp_${k}`] = v;
  }
  out.npm_package_config_node_gyp_nodedir = '';
  out.npm_config_target_arch = plan.stamp.arch;
  out.npm_config_build_from_source = 'true';
  return out;
}

export const MESSAGES = {
  offline: (url: string, why: string) =>
    [
      `ja: Electron のヘッダ（${url}）を取得できません（${why}）。ネイティブアドオン（pcsclite, better-sqlite3）を Electron 用にビルドするにはインターネット接続が必要です。接続できる環境で再実行するか、ミラーを npm_config_disturl で指定してください。テスト（npm test）は Node 用の node_modules で動くので影響ありません。`,
      `en: cannot reach the Electron headers at ${url} (${why}). Building the native addons (pcsclite, better-sqlite3) for Electron needs internet access. Run this again where you are online, or point npm_config_disturl at a mirror. Tests (npm test) use the Node build in node_modules and are not affected.`,
    ].join('\n'),
  tools: (missing: string[]) =>
    [
      `ja: ネイティブアドオンのビルドに必要なものがありません: ${missing.join(', ')}`,
      `en: missing what the native addon build needs: ${missing.join(', ')}`,
    ].join('\n'),
} as const;

/** Probes the headers server for this Electron version; returns why it failed, or undefined. */
export async function probeHeaders(plan: Plan, timeoutMs: number): Promise<string | undefined> {
  const url = `${plan.disturl.replace(/\/$/, '')}/v${plan.stamp.electron}/SHASUMS256.txt`;
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    return err.cause?.code ?? err.message;
  }
}

function onPath(cmd: string): boolean {
  const probe = process.platform === 'win32' ? spawnSync('where', [cmd]) : spawnSync('sh', ['-c', `command -v ${cmd}`]);
  return probe.status === 0;
}

/** What node-gyp needs on this OS that we can check cheaply (Windows: Visual Studio is found by node-gyp itself). */
export function missingBuildTools(
  platform: string = process.platform,
  has: (cmd: string) => boolean = onPath,
  exists: (p: string) => boolean = existsSync,
): string[] {
  const missing: string[] = [];
  if (!has('python3') && !has('python')) missing.push('python3');
  if (platform === 'linux') {
    if (!has('make')) missing.push('make');
    if (!has('c++') && !has('g++') && !has('clang++')) missing.push('a C++ compiler (g++) / C++ コンパイラ');
    if (!exists('/usr/include/PCSC/winscard.h'))
      missing.push('PC/SC headers: sudo apt install libpcsclite-dev (Fedora: sudo dnf install pcsc-lite-devel)');
  }
  if (platform === 'darwin' && !has('xcrun')) missing.push('Xcode Command Line Tools: xcode-select --install');
  return missing;
}

/** NODE_MODULE_VERSION of the Electron headers node-gyp downloaded (undefined if absent). */
export function headersAbi(root: string, electron: string): number | undefined {
  const file = join(headersDir(root), electron, 'include', 'node', 'node_version.h');
  if (!existsSync(file)) return undefined;
  const m = /#define\s+NODE_MODULE_VERSION\s+(\d+)/.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

/**
 * Checks a built binary's ABI. Node must refuse an Electron build: plain addons with
 * "compiled against … NODE_MODULE_VERSION <n>", context-aware ones (pcsclite: NODE_MODULE_INIT)
 * with "did not self-register", their entry point being the symbol node_register_module_v<n>.
 * Returns a problem, or undefined.
 */
export function abiProblem(binary: string, expectedAbi: number): string | undefined {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(binary)})`], { encoding: 'utf8' });
  if (r.status === 0) return `${binary} loads in Node ${process.version}: it was built for Node's ABI, not Electron's`;
  const reported = /NODE_MODULE_VERSION (\d+)\. This version of Node/.exec(r.stderr)?.[1];
  const symbol = reported ? undefined : /node_register_module_v(\d+)/.exec(readFileSync(binary, 'latin1'))?.[1];
  const built = reported ?? symbol;
  if (built === undefined) return undefined; // refused for another reason (e.g. a missing shared library)
  return Number(built) === expectedAbi
    ? undefined
    : `${binary} is built for NODE_MODULE_VERSION ${built}, Electron needs ${expectedAbi}`;
}

function build(plan: Plan, root: string): number {
  const scratch = `${plan.dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(
    join(scratch, 'package.json'),
    `${JSON.stringify(
      {
        name: 'myna-electron-native',
        private: true,
        description: 'Electron-ABI builds of the native addons (scripts/electron-native.ts)',
        dependencies: plan.stamp.packages,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `electron-native: building ${Object.entries(plan.stamp.packages)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')} for Electron ${plan.stamp.electron} (${plan.stamp.platform}-${plan.stamp.arch})`,
  );
  // npm.cmd runs only through a shell on Windows, where the prefix path must be quoted.
  const win = process.platform === 'win32';
  const prefix = win ? `"${scratch}"` : scratch;
  const r = spawnSync(
    win ? 'npm.cmd' : 'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock'],
    { cwd: scratch, env: buildEnv(plan, root), stdio: 'inherit', shell: win },
  );
  if (r.status !== 0) {
    console.error(
      `electron-native: npm install failed (exit ${r.status}); the scratch folder is kept for inspection: ${scratch}`,
    );
    return 1;
  }
  const abi = headersAbi(root, plan.stamp.electron);
  if (abi === undefined || String(abi) === process.versions.modules) {
    console.error(
      abi === undefined
        ? `electron-native: node-gyp left no Electron headers in ${headersDir(root)}; did it build against another nodedir?`
        : `electron-native: the headers from ${plan.disturl} have Node's own ABI (${abi}): they are not Electron ${plan.stamp.electron}'s`,
    );
    return 1;
  }
  for (const name of Object.keys(NATIVE_ADDONS) as NativeAddonName[]) {
    const binary = join(scratch, 'node_modules', name, NATIVE_ADDONS[name]);
    const problem = existsSync(binary) ? abiProblem(binary, abi) : `${name} built no ${NATIVE_ADDONS[name]}`;
    if (problem) {
      console.error(`electron-native: ${problem}`);
      return 1;
    }
  }
  // The stamp goes in last: native/addon-resolve.ts ignores a folder without it.
  writeFileSync(join(scratch, ELECTRON_NATIVE_STAMP), `${JSON.stringify(plan.stamp, null, 2)}\n`);
  rmSync(plan.dir, { recursive: true, force: true });
  renameSync(scratch, plan.dir);
  console.log(`electron-native: built ${plan.dir}`);
  return 0;
}

const USAGE = `usage: node scripts/electron-native.ts [--force | --check | --print-dir] [--timeout-ms N]
  (no flag)    build the Electron-ABI addons for \`npm start\` (skipped when up to date)
  --force      rebuild even when up to date
  --check      preflight for \`npm run package\`: headers reachable, build tools present
  --print-dir  print the folder the addons are built into`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'print-dir': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '8000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const plan = makePlan(ROOT);
  if (values['print-dir']) {
    console.log(plan.dir);
    return 0;
  }
  if (!values.check && !values.force && isUpToDate(plan)) {
    console.log(`electron-native: up to date (${plan.dir})`);
    return 0;
  }
  const tools = missingBuildTools();
  if (tools.length > 0) {
    console.error(MESSAGES.tools(tools));
    return 2;
  }
  const timeoutMs = Number(values['timeout-ms']);
  const offline = await probeHeaders(plan, Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 8000);
  if (offline) {
    console.error(MESSAGES.offline(plan.disturl, offline));
    return 2;
  }
  if (values.check) {
    console.log(
      `electron-native: ready to build native addons for Electron ${plan.stamp.electron} (headers reachable, build tools present)`,
    );
    return 0;
  }
  return build(plan, ROOT);
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
