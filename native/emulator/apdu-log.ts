/**
 * The emulator's APDU log (DESIGN §6): every command and response with a monotonic timestamp and
 * duration, header, Lc, Le and status word. It never holds secrets or card data: command data is
 * kept only for SELECT (AIDs and file ids, public by definition); for every other command —
 * VERIFY, CHANGE REFERENCE DATA and COMPUTE DIGITAL SIGNATURE above all — only its length is
 * logged, and response data is never logged (only its length).
 *
 * In-process readers use `entries()` / the 'entry' event; another process reads the optional
 * JSON-lines file (`readApduLogFile`).
 */
import { EventEmitter } from 'node:events';
import { appendFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface ApduEntry {
  kind: 'apdu';
  /** 1-based APDU number since the log (or the emulator) started; control messages don't count. */
  seq: number;
  /** Monotonic milliseconds (performance.now) when the command arrived. */
  t: number;
  /** Milliseconds until the response was ready (includes an injected delay). */
  durationMs: number;
  /** CLA INS P1 P2 as 8 hex digits. */
  header: string;
  /** Command data length; null when absent (case 1/2). */
  lc: number | null;
  /** Expected length; null when absent (case 1/3). */
  le: number | null;
  extended: boolean;
  /** Command data as hex, only for SELECT (INS A4). */
  data?: string;
  /** Response data length (the data itself is never logged). */
  respLen: number;
  /** Status word as 4 hex digits, or '' when the response was truncated below 2 bytes. */
  sw: string;
  /** A fault that shaped this response, e.g. 'force-sw', 'corrupt:flip'. */
  fault?: string;
}

export interface EventEntry {
  kind: 'power' | 'card' | 'mark';
  t: number;
  /** power: on | off | reset; card: inserted | removed; mark: the label. */
  event: string;
}

export type LogEntry = ApduEntry | EventEntry;

/** Instructions whose command data may be logged (public file/application identifiers). */
const LOGGABLE_DATA_INS = new Set([0xa4]);

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

export interface ApduLogOptions {
  /** Append every entry as one JSON line to this file. */
  file?: string;
  /** In-memory entries kept (oldest dropped first). Default 10 000. */
  limit?: number;
}

export interface ApduRecordInput {
  t: number;
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  lc: number | null;
  le: number | null;
  extended: boolean;
  data: Uint8Array;
  response: Uint8Array;
  fault?: string;
}

export class ApduLog extends EventEmitter<{ entry: [LogEntry] }> {
  readonly file: string | undefined;
  private readonly limit: number;
  private list: LogEntry[] = [];
  private seq = 0;

  constructor(opts: ApduLogOptions = {}) {
    super();
    this.file = opts.file;
    this.limit = opts.limit ?? 10_000;
  }

  static now(): number {
    return performance.now();
  }

  /** Records one exchange. Only the SELECT data and lengths leave this function. */
  recordApdu(r: ApduRecordInput): ApduEntry {
    const n = r.response.length;
    const entry: ApduEntry = {
      kind: 'apdu',
      seq: ++this.seq,
      t: round(r.t),
      durationMs: round(performance.now() - r.t),
      header: hex(Uint8Array.from([r.cla, r.ins, r.p1, r.p2])),
      lc: r.lc,
      le: r.le,
      extended: r.extended,
      respLen: Math.max(0, n - 2),
      sw: n >= 2 ? hex(r.response.subarray(n - 2)) : '',
    };
    if (LOGGABLE_DATA_INS.has(r.ins) && r.data.length > 0) entry.data = hex(r.data);
    if (r.fault) entry.fault = r.fault;
    this.push(entry);
    return entry;
  }

  recordEvent(kind: EventEntry['kind'], event: string): EventEntry {
    const entry: EventEntry = { kind, t: round(performance.now()), event };
    this.push(entry);
    return entry;
  }

  /** Adds a mark; `apdusSince(mark)` counts the APDUs of one operation. */
  mark(label = 'mark'): EventEntry {
    return this.recordEvent('mark', label);
  }

  entries(): readonly LogEntry[] {
    return this.list;
  }

  apdus(): ApduEntry[] {
    return this.list.filter((e): e is ApduEntry => e.kind === 'apdu');
  }

  /** APDUs logged after the given mark (or after the last mark with that label). */
  apdusSince(mark: EventEntry | string): ApduEntry[] {
    const i =
      typeof mark === 'string'
        ? this.list.findLastIndex((e) => e.kind === 'mark' && e.event === mark)
        : this.list.lastIndexOf(mark);
    if (i < 0) throw new Error('mark not found in the APDU log');
    return this.list.slice(i + 1).filter((e): e is ApduEntry => e.kind === 'apdu');
  }

  /** Forgets the in-memory entries (the file, if any, is left as is). */
  clear(): void {
    this.list = [];
  }

  toJSON(): readonly LogEntry[] {
    return this.list;
  }

  private push(e: LogEntry): void {
    this.list.push(e);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(e)}\n`);
    this.emit('entry', e);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Reads a `--log` file written by another process. A partial last line is ignored. */
export function readApduLogFile(path: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as LogEntry);
    } catch {
      // the writer may be mid-line
    }
  }
  return out;
}
