/**
 * The page-side API generated from the surface: one named function per channel of a window
 * kind, and nothing else. The Electron preloads build it over ipcRenderer, the test host over
 * a WebSocket; both get exactly the same function names from here.
 */
import type {
  ChannelsOf,
  Contract,
  EventChannel,
  InvokeChannel,
  PayloadOf,
  RequestOf,
  ResponseOf,
} from './contract.ts';
import type { IpcResult } from './result.ts';
import { type Channel, channelsOf, SURFACE, type WindowKind } from './surface.ts';

type FnOf<K extends Channel> = K extends InvokeChannel
  ? (request?: RequestOf<K>) => Promise<IpcResult<ResponseOf<K>>>
  : K extends EventChannel
    ? (listener: (payload: PayloadOf<K>) => void) => () => void
    : never;

export type BridgeApi<W extends WindowKind> = { [K in ChannelsOf<W> as Contract[K]['fn']]: FnOf<K> };
/** `window.myna` in the portal window. */
export type MynaApi = BridgeApi<'portal'>;
/** `window.mynaConsent` in the consent window. */
export type ConsentApi = BridgeApi<'consent'>;

export const GLOBAL_NAME: Record<WindowKind, 'myna' | 'mynaConsent'> = { portal: 'myna', consent: 'mynaConsent' };

export interface BridgeTransport {
  invoke(channel: Channel, request: unknown): Promise<unknown>;
  /** Delivers payloads only (never a transport event object); returns an unsubscribe function. */
  subscribe(channel: Channel, listener: (payload: unknown) => void): () => void;
}

export function buildBridge<W extends WindowKind>(window: W, transport: BridgeTransport): BridgeApi<W> {
  const api: Record<string, unknown> = {};
  for (const channel of channelsOf(window)) {
    const entry = SURFACE[channel];
    api[entry.fn] =
      entry.kind === 'invoke'
        ? (request: unknown = {}) => transport.invoke(channel, request)
        : (listener: unknown) => {
            if (typeof listener !== 'function') throw new TypeError(`${entry.fn} needs a listener function`);
            return transport.subscribe(channel, (payload) => (listener as (p: unknown) => void)(payload));
          };
  }
  return Object.freeze(api) as BridgeApi<W>;
}
