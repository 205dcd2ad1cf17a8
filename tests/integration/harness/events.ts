/** Small waiting helpers for event-driven integration tests. */
import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first `event` whose payload satisfies `pred`, or rejects after `timeoutMs`
 * (never hangs a test).
 */
export function nextEvent<T = unknown>(
  emitter: EventEmitter,
  event: string,
  pred: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onEvent = (payload: T) => {
      if (!pred(payload)) return;
      clearTimeout(timer);
      emitter.off(event, onEvent);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, onEvent);
  });
}

/** Records every listed event as `name reader` strings, with ms since `t0`. */
export function recordEvents(
  emitter: EventEmitter,
  events: readonly string[],
  t0 = Date.now(),
): { log: string[]; times: Map<string, number> } {
  const log: string[] = [];
  const times = new Map<string, number>();
  for (const ev of events) {
    emitter.on(ev, (p?: { reader?: string; atr?: string }) => {
      const entry = p?.reader ? `${ev} ${p.reader}` : ev;
      log.push(entry);
      if (!times.has(entry)) times.set(entry, Date.now() - t0);
    });
  }
  return { log, times };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` every 20 ms; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
