/**
 * The transport-independent half of main's `handle()`: parse the request against the
 * contract, run the handler, parse its response, and turn every failure into a typed error.
 * Electron's ipcMain adapter (register-ipc.ts) and the test host's WebSocket both call this,
 * after their own sender check.
 */
import {
  type Channel,
  type ChannelsOf,
  contract,
  type EventChannel,
  type InvokeChannel,
  isChannel,
  type ParsedRequestOf,
  type PayloadOf,
  type ResponseOf,
  type WindowKind,
} from '../../ipc/contract.ts';
import type { IpcResult } from '../../ipc/result.ts';
import { ipcError, toIpcError } from './error-mapping.ts';

export interface CallContext {
  windowKind: WindowKind;
  /** Identifies the calling window (Electron: webContents id; host: connection id). */
  windowId: string;
}

export type Handlers = {
  [K in InvokeChannel]: (request: ParsedRequestOf<K>, ctx: CallContext) => Promise<ResponseOf<K>> | ResponseOf<K>;
};

/** Only channel names and error codes: never a request, a response or a PIN. */
export type IpcLog = (entry: { channel: string; outcome: 'ok' | 'error'; code?: string; ms: number }) => void;

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  raw: unknown,
  ctx: CallContext,
  log?: IpcLog,
): Promise<IpcResult<unknown>> {
  const started = performance.now();
  const result = await run(handlers, channel, raw, ctx);
  log?.({
    channel: isChannel(channel) ? channel : '(unknown)',
    outcome: result.ok ? 'ok' : 'error',
    ...(result.ok ? {} : { code: result.error.code }),
    ms: Math.round(performance.now() - started),
  });
  return result;
}

async function run(handlers: Handlers, channel: unknown, raw: unknown, ctx: CallContext): Promise<IpcResult<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: ipcError('UNKNOWN_CHANNEL') };
  const def = contract[channel];
  if (def.kind !== 'invoke') return { ok: false, error: ipcError('UNKNOWN_CHANNEL') };
  if (def.window !== ctx.windowKind) return { ok: false, error: ipcError('FORBIDDEN_SENDER') };
  const parsed = def.request.safeParse(raw ?? {});
  if (!parsed.success) {
    // The issue path only (e.g. `draft.attachments.0.name`), never the offending value.
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    return { ok: false, error: ipcError('BAD_REQUEST', where ? { field: where } : undefined) };
  }
  let value: unknown;
  try {
    const handler = handlers[channel as InvokeChannel] as (req: unknown, ctx: CallContext) => unknown;
    value = await handler(parsed.data, ctx);
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
  const checked = def.response.safeParse(value);
  if (!checked.success) return { ok: false, error: ipcError('BAD_RESPONSE') };
  return { ok: true, value: checked.data };
}

/** Validates an event payload before it leaves main; a bad payload is a bug and is dropped. */
export function checkEvent<K extends EventChannel>(channel: K, payload: PayloadOf<K>): PayloadOf<K> | undefined {
  const def = contract[channel] as { payload: { safeParse(v: unknown): { success: boolean; data?: unknown } } };
  const r = def.payload.safeParse(payload);
  return r.success ? (r.data as PayloadOf<K>) : undefined;
}

export type EventSender = (windowKind: WindowKind, channel: Channel, payload: unknown) => void;

/**
 * Fan-out of main's events to the windows of the channel's kind; each transport registers a
 * sender (Electron: webContents.send on our windows; host: WebSocket clients).
 */
export class EventHub {
  private readonly senders = new Set<EventSender>();

  addSender(s: EventSender): () => void {
    this.senders.add(s);
    return () => this.senders.delete(s);
  }

  publish<K extends EventChannel & ChannelsOf<WindowKind>>(channel: K, payload: PayloadOf<K>): boolean {
    const checked = checkEvent(channel, payload);
    if (checked === undefined) return false;
    const kind = contract[channel].window;
    for (const s of this.senders) s(kind, channel, checked);
    return true;
  }
}
