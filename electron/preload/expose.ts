/**
 * What both preloads do (Electron security checklist #20): expose exactly the contract's
 * functions for their window kind under one global, over ipcRenderer — named functions only,
 * no generic invoke/on, and listeners that receive the payload, never the IpcRendererEvent
 * (whose `sender` is ipcRenderer itself).
 *
 * Sandboxed preload: may require only `electron` (and a few Node shims), so this file imports
 * the surface and bridge builder — not contract.ts: zod stays out of the preload bundle, main
 * validates everything anyway.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { type BridgeTransport, buildBridge, GLOBAL_NAME } from '../ipc/bridge.ts';
import type { IpcResult } from '../ipc/result.ts';
import type { WindowKind } from '../ipc/surface.ts';

/** What a page sees when main cannot be reached at all (no handler, process shutting down). */
const UNREACHABLE: IpcResult<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: {
      ja: '予期しないエラーが発生しました。もう一度お試しください。続く場合はアプリを再起動してください。',
      en: 'Something unexpected went wrong. Try again; if it persists, restart the app.',
    },
  },
};

export function ipcTransport(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): BridgeTransport {
  return {
    invoke: async (channel, request) => {
      try {
        return await ipc.invoke(channel, request);
      } catch {
        // Electron's rejection message names the channel and main's error: keep it out of the page.
        return UNREACHABLE;
      }
    },
    subscribe: (channel, listener) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipc.on(channel, handler);
      return () => {
        ipc.removeListener(channel, handler);
      };
    },
  };
}

export function exposeBridge(kind: WindowKind): void {
  contextBridge.exposeInMainWorld(GLOBAL_NAME[kind], buildBridge(kind, ipcTransport(ipcRenderer)));
}
