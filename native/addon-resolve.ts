/**
 * Where to load a native addon from, given the runtime (electron-anchors §4.2 item 5).
 *
 * A `.node` file is built for ONE ABI: the copy built for Node (what `npm install` leaves in
 * node_modules, used by the tests and the CLI) fails to load in Electron with
 * NODE_MODULE_VERSION, and an Electron build fails in Node the same way. So the project keeps
 * two builds side by side and never rebuilds node_modules in place:
 *
 * - node_modules/<addon>                    Node ABI (npm install; tests, CLI, `npm run portal`)
 * - .cache/electron-native/<electron>-<platform>-<arch>/node_modules/<addon>
 *                                           Electron ABI (scripts/electron-native.ts; `npm start`)
 *
 * In a packaged app, electron-builder's npmRebuild has already rebuilt the shipped node_modules
 * for Electron and no cache folder exists, so the normal module is the right one there too.
 *
 * This file imports nothing outside native/ (DESIGN §2): scripts/electron-native.ts imports the
 * folder layout from here, not the other way round.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The native addons the app loads, with the path of each one's binary inside its package. */
export const NATIVE_ADDONS = {
  pcsclite: 'build/Release/pcsclite.node',
  'better-sqlite3': 'build/Release/better_sqlite3.node',
} as const;

export type NativeAddonName = keyof typeof NATIVE_ADDONS;

/** Written last by scripts/electron-native.ts: a folder without it is an unfinished build. */
export const ELECTRON_NATIVE_STAMP = 'electron-native.json';

/** The stamp's content (also what the script compares to decide whether to rebuild). */
export interface ElectronNativeStamp {
  electron: string;
  platform: string;
  arch: string;
  /** Addon name → the version built (the same version as the project's node_modules). */
  packages: Record<string, string>;
}

export interface ElectronTarget {
  electron: string;
  platform: string;
  arch: string;
}

/** `<root>/.cache/electron-native/<electron>-<platform>-<arch>`: one folder per Electron ABI. */
export function electronNativeDir(root: string, target: ElectronTarget): string {
  return join(root, '.cache', 'electron-native', `${target.electron}-${target.platform}-${target.arch}`);
}

export interface ResolveAddonContext {
  /** `process.versions`: `electron` is set only when running inside Electron. */
  versions: { readonly electron?: string | undefined; readonly [name: string]: string | undefined };
  /** The Electron-ABI folder for this Electron (see electronNativeDir), if there is one to use. */
  electronNativeDir: string | undefined;
  /** Packaged apps never load from the cache folder, whatever exists on disk. */
  packaged?: boolean;
  exists: (path: string) => boolean;
}

/**
 * The Electron-ABI copy of an addon's package directory, when the current runtime is Electron
 * (and not a packaged app) and scripts/electron-native.ts finished building it; else undefined.
 */
function electronNativePackageDir(name: NativeAddonName, ctx: ResolveAddonContext): string | undefined {
  if (!ctx.versions.electron || ctx.packaged || !ctx.electronNativeDir) return undefined;
  const dir = join(ctx.electronNativeDir, 'node_modules', name);
  const built =
    ctx.exists(join(ctx.electronNativeDir, ELECTRON_NATIVE_STAMP)) && ctx.exists(join(dir, NATIVE_ADDONS[name]));
  return built ? dir : undefined;
}

/**
 * What to pass to `require` for `name`: the absolute package directory in the Electron-ABI folder
 * when running in Electron and that folder is built; otherwise the bare package name (the
 * project's node_modules — Node ABI under Node, Electron ABI in a packaged app). Under Node it is
 * always the bare name, whatever the folder holds.
 */
export function resolveAddon(name: NativeAddonName, ctx: ResolveAddonContext): string {
  return electronNativePackageDir(name, ctx) ?? name;
}

/**
 * The `.node` binary to hand to a loader that accepts one (better-sqlite3's `nativeBinding`), or
 * undefined when the package's own default lookup is the right one.
 */
export function resolveAddonBinary(name: NativeAddonName, ctx: ResolveAddonContext): string | undefined {
  const dir = electronNativePackageDir(name, ctx);
  return dir ? join(dir, NATIVE_ADDONS[name]) : undefined;
}

/** The nearest directory at or above `from` holding a package.json (the project, or app.asar). */
export function findPackageRoot(from: string, exists: (path: string) => boolean = existsSync): string | undefined {
  let dir = from;
  for (;;) {
    if (exists(join(dir, 'package.json'))) return dir;
    if (dir === parse(dir).root) return undefined;
    dir = dirname(dir);
  }
}

export interface RuntimeOptions {
  /** The project root holding .cache/ (default: the nearest package.json above this module). */
  root?: string;
  /** Default: true when this module runs from inside an .asar archive. */
  packaged?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

/** resolveAddon's context for the running process (native/ cannot ask Electron's `app`). */
export function runtimeContext(options: RuntimeOptions = {}): ResolveAddonContext {
  const electron = process.versions.electron;
  const root = options.root ?? findPackageRoot(here);
  const packaged = options.packaged ?? /\.asar([\\/]|$)/.test(here);
  return {
    versions: process.versions,
    electronNativeDir:
      electron && root
        ? electronNativeDir(root, { electron, platform: process.platform, arch: process.arch })
        : undefined,
    packaged,
    exists: existsSync,
  };
}

/** Thrown when an addon exists but was built for another ABI (or its shared library is missing). */
export class AddonLoadError extends Error {
  readonly ja: string;
  readonly en: string;
  constructor(name: NativeAddonName, request: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const inElectron = Boolean(process.versions.electron);
    // A plain addon names both ABIs; a context-aware one (pcsclite) only fails to register.
    const abi = /NODE_MODULE_VERSION|was compiled against a different Node\.js version|did not self-register/.test(
      detail,
    );
    const en =
      abi && inElectron
        ? `${name} (${request}) is built for Node, not for this Electron. Run \`node scripts/electron-native.ts\` once (needs internet for the Electron headers), then start again.`
        : abi
          ? `${name} (${request}) is built for another runtime (an Electron rebuild left in node_modules?). Run \`npm rebuild ${name}\`.`
          : `${name} could not be loaded from ${request}.`;
    const ja =
      abi && inElectron
        ? `${name}（${request}）は Node 用にビルドされており、この Electron では読み込めません。\`node scripts/electron-native.ts\` を一度実行してから（Electron のヘッダ取得にインターネット接続が必要です）再起動してください。`
        : abi
          ? `${name}（${request}）は別のランタイム用にビルドされています（node_modules が Electron 用に再ビルドされたままかもしれません）。\`npm rebuild ${name}\` を実行してください。`
          : `${name} を ${request} から読み込めませんでした。`;
    super(`${en} / ${ja} (${detail})`, { cause });
    this.name = 'AddonLoadError';
    this.ja = ja;
    this.en = en;
  }
}

const requireHere = createRequire(import.meta.url);

/** Loads a native addon's package from the place resolveAddon() picks for this process. */
export function requireAddon<T>(name: NativeAddonName, options: RuntimeOptions = {}): T {
  const request = resolveAddon(name, runtimeContext(options));
  try {
    return requireHere(request) as T;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND') throw e;
    throw new AddonLoadError(name, request, e);
  }
}

/**
 * better-sqlite3's `nativeBinding` option for this process: the Electron-ABI binary under
 * `npm start`, undefined elsewhere (Node, packaged app) so that better-sqlite3 finds its own.
 */
export function betterSqliteNativeBinding(options: RuntimeOptions = {}): string | undefined {
  return resolveAddonBinary('better-sqlite3', runtimeContext(options));
}
