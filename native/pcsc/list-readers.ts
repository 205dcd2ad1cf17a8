/**
 * One-shot reader listing for the CLI (`myna readers`, `myna selftest`): opens a context,
 * waits for the first reader list and each reader's first status, closes everything.
 */
import { CardError } from '../apdu/errors.ts';
import { type ReaderInfo, ReaderMonitor, type ReaderMonitorOptions } from './reader-monitor.ts';

export type { ReaderInfo } from './reader-monitor.ts';

/** Throws CardError SERVICE_DOWN when PC/SC is not reachable. */
export async function listReaders(opts: ReaderMonitorOptions = {}): Promise<ReaderInfo[]> {
  const monitor = new ReaderMonitor(opts);
  try {
    await monitor.start();
    if (monitor.state === 'down') throw monitor.lastError ?? new CardError('SERVICE_DOWN');
    return monitor.readers();
  } finally {
    await monitor.close();
  }
}
