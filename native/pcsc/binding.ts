/**
 * The slice of the `pcsclite` npm package (santigimeno/node-pcsclite 1.0.1, a NAN addon with a
 * small JS layer in lib/pcsclite.js) that this folder uses, typed from its source rather than
 * from its index.d.ts (which misses `readers`, `start` and the exact callback shapes).
 *
 * Facts about the binding that the rest of native/pcsc relies on (read in src/*.cpp, observed
 * against pcscd 1.9.9 + vpcd on the dev machine):
 * - `pcsclite()` calls SCardEstablishContext synchronously and THROWS when pcscd is not running
 *   (`SCardEstablishContext error: Service not available.(0x8010001d)`).
 * - Reader discovery and each reader's status watch run on native threads; errors arrive as
 *   'error' events. An 'error' event without a listener throws inside a native callback and
 *   kills the process, so an 'error' listener must stay attached for the object's lifetime.
 * - `close()` on the context emits one late 'error' (`Command cancelled.(0x80100002)`): the
 *   watcher thread overwrites the "closed by user" flag before the event is delivered.
 * - A reader's 'status'/'error'/'end' listeners run while the native side holds that reader's
 *   (non-recursive) mutex; calling `reader.close()` from inside them would deadlock. Teardown is
 *   therefore always deferred with setImmediate (see pcsc-context.ts).
 * - SCardReleaseContext runs only in the C++ destructors, i.e. when V8 collects the objects:
 *   each context holds one socket to pcscd (plus one per reader status watch, released when
 *   the watch ends, plus one per reader used for connect) until then. We drop every reference
 *   on teardown so they can be collected; nothing else can release them from JS.
 * - `connect()` is skipped (callback called with no protocol) when the JS flag `connected` is
 *   true, and a failed `disconnect()` leaves it true: pcsc-transport.ts clears it before
 *   connecting.
 * - There is no binding for SCardBeginTransaction/SCardEndTransaction or SCardStatus.
 */
import { requireAddon } from '../addon-resolve.ts';

export type NodeCallback<T> = (err: Error | null | undefined, value: T) => void;

export interface NativeReaderStatus {
  state: number;
  atr?: Buffer;
}

export interface NativeReader {
  readonly name: string;
  /** JS-side flag kept by lib/pcsclite.js; true while a card handle is believed open. */
  connected: boolean;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  on(event: 'status', listener: (status: NativeReaderStatus) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  connect(options: { share_mode: number; protocol: number }, cb: NodeCallback<number | undefined>): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: NodeCallback<Buffer>): void;
  close(): void;
}

export interface NativeContext {
  /** The JS layer's map of readers it currently watches (entries leave on the reader's 'end'). */
  readonly readers: Record<string, NativeReader>;
  /**
   * Native method the JS layer calls once, on the next tick after creation, with the callback
   * that receives each reader list (a multi-string buffer). pcsc-context.ts wraps it to learn
   * when a list has been processed.
   */
  start: (cb: (err: Error | null | undefined, data?: Buffer) => void) => void;
  on(event: 'reader', listener: (reader: NativeReader) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  close(): void;
}

/** The module's export: creates one PC/SC context (throws when the service is unreachable). */
export type PcscBinding = () => NativeContext;

let loaded: PcscBinding | undefined;

/**
 * Loads the native addon on first use, so that importing native/pcsc never requires
 * libpcsclite (unit tests inject a fake binding instead). Under `npm start` (Electron) it comes
 * from the Electron-ABI build of scripts/electron-native.ts when there is one (addon-resolve.ts).
 */
export function loadPcscLite(): PcscBinding {
  loaded ??= requireAddon<PcscBinding>('pcsclite');
  return loaded;
}

/**
 * Parses a PC/SC multi-string (`name\0name\0\0`), exactly as lib/pcsclite.js does, so that
 * our view of a reader list matches the binding's.
 */
export function parseReaderList(data: Buffer | undefined): string[] {
  if (!data || data.length === 0) return [];
  return data.toString().slice(0, -1).split('\u0000').slice(0, -1);
}
