/**
 * The test host's WebSocket messages (page ⇄ host). The page side is tests/host/browser; the
 * host side is tests/host/server.ts. JSON, one message per frame.
 */
import type { Channel } from '../../electron/ipc/surface.ts';

export const WS_PATH = '/__host/ws';
export const BRIDGE_PATHS = { portal: '/__host/bridge-portal.js', consent: '/__host/bridge-consent.js' } as const;

export type PageMessage = { type: 'invoke'; id: number; channel: Channel; request: unknown };

export type HostMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; channel: Channel; payload: unknown }
  /** The consent presenter's close(): the page reloads, as a closed and reopened window would. */
  | { type: 'close' };
