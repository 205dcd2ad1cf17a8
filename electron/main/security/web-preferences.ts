/**
 * Every window's webPreferences come from here (Electron security checklist #2, #3, #4, #6,
 * #8–#11): each security-relevant preference is set explicitly, whatever Electron's default,
 * so that a default changing under us cannot weaken a window.
 */
import type { WindowKind } from '../../ipc/surface.ts';

/** development: unpackaged, not kiosk (DevTools allowed); production: packaged; kiosk: walk-up terminal. */
export type RunMode = 'development' | 'production' | 'kiosk';

export interface WebPreferencesOptions {
  /** Absolute path of the bundled preload (out/preload/<kind>.cjs). */
  preloadPath: string;
  /** Session partition: `persist:portal`, `consent`, or a per-resident `kiosk-<random>` in kiosk mode. */
  partition: string;
  mode: RunMode;
}

/** The keys this factory always sets, with the values every window must have (tests compare). */
export const HARDENED_PREFERENCES = {
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
  navigateOnDragDrop: false,
  enableWebSQL: false,
  plugins: false,
  safeDialogs: true,
  // Middle-click opens links in new windows (Electronegativity AUXCLICK_JS_CHECK).
  disableBlinkFeatures: 'Auxclick',
} as const;

/**
 * The return type is Electron's WebPreferences shape, spelled out so that this pure module
 * does not import `electron`.
 */
export interface BuiltWebPreferences {
  preload: string;
  partition: string;
  devTools: boolean;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  spellcheck: false;
  navigateOnDragDrop: false;
  enableWebSQL: false;
  plugins: false;
  safeDialogs: true;
  disableBlinkFeatures: 'Auxclick';
}

export function buildWebPreferences(kind: WindowKind, options: WebPreferencesOptions): BuiltWebPreferences {
  if (!options.preloadPath.endsWith(`${kind}.cjs`)) {
    throw new Error(`the ${kind} window needs the ${kind} preload, not ${options.preloadPath}`);
  }
  if (options.mode === 'kiosk' && !/^kiosk-[A-Za-z0-9-]+$/.test(options.partition)) {
    throw new Error('a kiosk window needs an in-memory kiosk-<random> partition');
  }
  if (kind === 'consent' && options.partition.startsWith('persist:')) {
    throw new Error('the consent window never uses a persistent partition');
  }
  return {
    preload: options.preloadPath,
    partition: options.partition,
    devTools: options.mode === 'development',
    ...HARDENED_PREFERENCES,
  };
}
