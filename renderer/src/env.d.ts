/**
 * The bridges the preloads (Electron) or the test host's injected script put on `window`.
 * Types only: the renderer never imports runtime code from electron/ipc, so zod stays in main.
 * Each page has one of the two; shared/bridge.ts checks presence before use.
 */
import type { ConsentApi, MynaApi } from '../../electron/ipc/bridge.ts';

declare global {
  interface Window {
    myna: MynaApi;
    mynaConsent: ConsentApi;
  }
}
