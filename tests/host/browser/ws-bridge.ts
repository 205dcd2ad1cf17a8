/**
 * Page side of the test host: `window.myna` (or `window.mynaConsent`) built by the app's own
 * buildBridge (electron/ipc/bridge.ts) over a WebSocket to the host, so the page sees exactly
 * the functions the Electron preload exposes. Bundled for the browser at host start; loaded by
 * a <script src> the host puts before the app's module script.
 */
import { type BridgeTransport, buildBridge, GLOBAL_NAME } from '../../../electron/ipc/bridge.ts';
import type { Channel, WindowKind } from '../../../electron/ipc/surface.ts';
import { type HostMessage, type PageMessage, WS_PATH } from '../protocol.ts';

function wsTransport(kind: WindowKind): BridgeTransport {
  const url = new URL(`${WS_PATH}?kind=${kind}`, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('test host unreachable')), { once: true });
  });
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<Channel, Set<(payload: unknown) => void>>();

  ws.addEventListener('message', (e) => {
    let msg: HostMessage;
    try {
      msg = JSON.parse(String(e.data)) as HostMessage;
    } catch {
      return;
    }
    if (msg.type === 'result') {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      p?.resolve(msg.result);
    } else if (msg.type === 'event') {
      for (const l of listeners.get(msg.channel) ?? []) l(msg.payload);
    } else if (msg.type === 'close') {
      window.location.reload();
    }
  });
  ws.addEventListener('close', () => {
    closed = true;
    for (const p of pending.values()) p.reject(new Error('test host connection closed'));
    pending.clear();
  });

  return {
    async invoke(channel, request) {
      await opened;
      if (closed) throw new Error('test host connection closed');
      const id = nextId++;
      const msg: PageMessage = { type: 'invoke', id, channel, request };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify(msg));
      });
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}

export function install(kind: WindowKind): void {
  Object.defineProperty(window, GLOBAL_NAME[kind], {
    value: buildBridge(kind, wsTransport(kind)),
    enumerable: true,
    writable: false,
    configurable: false,
  });
}
