/**
 * Access to the bridge of this page's window kind. The preload (Electron) or the test host's
 * script defines it before the app's module runs; without it the page shows why instead of
 * failing on the first call.
 */
import type { ConsentApi, MynaApi } from '../../../electron/ipc/bridge.ts';

export function portalBridge(): MynaApi | undefined {
  return typeof window.myna === 'object' && window.myna !== null ? window.myna : undefined;
}

export function consentBridge(): ConsentApi | undefined {
  return typeof window.mynaConsent === 'object' && window.mynaConsent !== null ? window.mynaConsent : undefined;
}
