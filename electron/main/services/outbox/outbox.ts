/**
 * The outbox (DESIGN §4 "Apply", "Outbox"): signed packages wait on disk, in the user-data
 * folder, until the portal acknowledges them. Not electron-store: packages are megabytes, and
 * each item changes on its own.
 *
 * Exactly once: every item gets a random UUID v4 idempotency key at enqueue, written to disk
 * before any attempt, and every attempt sends that same key; the portal stores a key once and
 * answers a repeat with the same receipt. So an attempt whose outcome is unknown (timeout, crash,
 * power cut) is simply made again. The state `sending` is written BEFORE the request goes out: an
 * item found in `sending` at open() was interrupted and goes back to pending, same key.
 *
 * Never dropped: a failure is retried with exponential backoff and jitter; after
 * `maxAutomaticAttempts` failures in a row the outbox stops trying by itself but the item stays,
 * pending, with its last error, until the resident retries it (or the app restarts). Only the
 * portal's own refusal of the package (rejected) ends an item without a receipt, and a rejected
 * item is never sent again.
 *
 * Data minimisation: a package holds personal data (the resident chose to send it), so its bytes
 * are deleted as soon as the item is delivered or rejected; item.json keeps the receipt and the
 * error, nothing of the content. Kiosk mode never uses the outbox (compose.ts delivers
 * directly and writes nothing).
 *
 * Layout: <dir>/items/<id>/{item.json, package.mynapkg}; <dir>/quarantine/<entry>.<time>/ for
 * entries that cannot be read (reported in `quarantined`, the rest loads).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { type OutboxItem, ReceiptSchema } from '../../../ipc/contract.ts';
import { fsyncDir, renameDurable, TEMP_PREFIX, writeFileDurable, writeNewFileSynced } from '../../fs/durable-fs.ts';
import { backoffDelay, backoffPolicy } from './backoff.ts';
import {
  ITEM_FILE,
  ITEM_FORMAT,
  ITEMS_DIR,
  isTerminal,
  PACKAGE_FILE,
  QUARANTINE_DIR,
  type StoredItem,
  StoredItemSchema,
  serializeItem,
  toOutboxItem,
  uuidV4,
} from './item.ts';
import { LOCAL_MESSAGES, type LocalCode } from './messages.ts';
import { OutboxError } from './outbox-error.ts';
import type { BackoffPolicy, Deliver, DeliveryOutcome, LocalText, OutboxClock } from './types.ts';

/** The portal's body limit for a package (portal/start.ts packageBodyLimit). */
export const MAX_PACKAGE_BYTES = 32 * 1024 * 1024;

/** setTimeout's limit; longer waits are re-armed when they come due. */
const MAX_TIMER_MS = 0x7fffffff;

export const systemClock: OutboxClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface OutboxOpenOptions {
  /** The outbox's own folder, e.g. <userData>/outbox. Created if missing. */
  dir: string;
  deliver: Deliver;
  clock?: OutboxClock;
  /** Random bytes (ids, idempotency keys, jitter). Default node:crypto randomBytes. */
  random?: (size: number) => Uint8Array;
  backoff?: Partial<BackoffPolicy>;
  /** Failures no caller awaits (a scheduled attempt that could not write its state). */
  onError?: (error: unknown) => void;
}

export interface EnqueueInput {
  /** The signed .mynapkg, exactly as the resident confirmed it. */
  packageBytes: Uint8Array;
  procedureId: string;
  municipalityCode: string;
  /** The fingerprint the consent window showed. */
  fingerprint: string;
}

export type QuarantineReason =
  | 'item-unreadable'
  | 'item-invalid'
  | 'package-missing'
  | 'package-size-mismatch'
  | 'not-a-directory';

export interface QuarantineReport {
  /** The directory name under items/ (the item id when it was readable). */
  entry: string;
  reason: QuarantineReason;
  /** Where it is now (under quarantine/), or where it stayed if it could not be moved. */
  path: string;
  moved: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

const stamp = (ms: number) => iso(ms).replace(/[-:]/g, '').replace('.', '');

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const local = (code: LocalCode) => ({ code, message: { ...LOCAL_MESSAGES[code] } });

const isText = (m: unknown): m is LocalText =>
  typeof m === 'object' &&
  m !== null &&
  typeof (m as LocalText).ja === 'string' &&
  typeof (m as LocalText).en === 'string';

/** An outcome's code and message as stored: a safe code, our fallback text when none was given. */
function errorOf(code: unknown, message: unknown, fallback: LocalCode) {
  const c = typeof code === 'string' ? code.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) : '';
  if (!c) return local(fallback);
  const m = isText(message)
    ? { ja: message.ja.slice(0, 1000), en: message.en.slice(0, 1000) }
    : LOCAL_MESSAGES[fallback];
  return { code: c, message: { ...m } };
}

export class Outbox {
  readonly dir: string;
  private readonly itemsDir: string;
  private readonly quarantineDir: string;
  private readonly deliver: Deliver;
  private readonly clock: OutboxClock;
  private readonly random: (size: number) => Uint8Array;
  private readonly policy: BackoffPolicy;
  private readonly onError: ((error: unknown) => void) | undefined;

  private readonly items = new Map<string, StoredItem>();
  private readonly timers = new Map<string, unknown>();
  private readonly inflight = new Map<string, Promise<OutboxItem>>();
  private readonly listeners = new Set<(item: OutboxItem) => void>();
  private readonly quarantineReports: QuarantineReport[] = [];
  private closed = false;

  private constructor(o: OutboxOpenOptions) {
    this.dir = o.dir;
    this.itemsDir = join(o.dir, ITEMS_DIR);
    this.quarantineDir = join(o.dir, QUARANTINE_DIR);
    this.deliver = o.deliver;
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? ((n) => randomBytes(n));
    this.policy = backoffPolicy(o.backoff);
    this.onError = o.onError;
  }

  /** Loads every item (recovering interrupted attempts) and schedules the pending ones. */
  static async open(options: OutboxOpenOptions): Promise<Outbox> {
    const outbox = new Outbox(options);
    await fsp.mkdir(outbox.itemsDir, { recursive: true, mode: 0o700 });
    await fsp.mkdir(outbox.quarantineDir, { recursive: true, mode: 0o700 });
    await outbox.load();
    for (const item of outbox.items.values()) outbox.schedule(item);
    return outbox;
  }

  /** Entries that could not be loaded at open() and were moved aside (for the UI and support). */
  get quarantined(): readonly QuarantineReport[] {
    return this.quarantineReports;
  }

  /** Every item, newest first (contract OutboxItem). */
  list(): OutboxItem[] {
    return [...this.items.values()]
      .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)))
      .map(toOutboxItem);
  }

  get(id: string): OutboxItem | undefined {
    const item = this.items.get(id);
    return item && toOutboxItem(item);
  }

  /** Called with the item after every change of it. Returns an unsubscribe function. */
  onChange(listener: (item: OutboxItem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Puts a signed package in the queue, durably, with a fresh idempotency key, and schedules its
   * first attempt at once (call deliverNow() to wait for that attempt's outcome).
   */
  async enqueue(input: EnqueueInput): Promise<OutboxItem> {
    this.assertOpen();
    const bytes = input.packageBytes;
    if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_PACKAGE_BYTES) {
      throw new OutboxError('OUTBOX_INPUT_INVALID', { field: 'packageBytes' });
    }
    for (const field of ['procedureId', 'municipalityCode', 'fingerprint'] as const) {
      const v: unknown = input[field];
      if (typeof v !== 'string' || v.length === 0) throw new OutboxError('OUTBOX_INPUT_INVALID', { field });
    }
    const now = this.clock.now();
    const candidate = {
      format: ITEM_FORMAT,
      id: uuidV4(this.random(16)),
      idempotencyKey: uuidV4(this.random(16)),
      createdAt: iso(now),
      procedureId: input.procedureId,
      municipalityCode: input.municipalityCode,
      fingerprint: input.fingerprint,
      packageBytes: bytes.length,
      packageSha256: sha256Hex(bytes),
      state: 'pending' as const,
      attempts: 0,
      streak: 0,
      nextAttemptAt: iso(now),
    };
    const parsed = StoredItemSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new OutboxError('OUTBOX_INPUT_INVALID', { field: String(parsed.error.issues[0]?.path[0] ?? '?') });
    }
    const item = parsed.data;
    // Written under a temporary name and renamed into place in one step: an enqueue either
    // happened completely (both files, flushed) or not at all.
    const tmp = join(this.itemsDir, `${TEMP_PREFIX}${item.id}`);
    try {
      await fsp.mkdir(tmp, { mode: 0o700 });
      await writeNewFileSynced(join(tmp, PACKAGE_FILE), bytes);
      await writeNewFileSynced(join(tmp, ITEM_FILE), serializeItem(item));
      await fsyncDir(tmp);
      await renameDurable(tmp, join(this.itemsDir, item.id));
    } catch (e) {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
    this.items.set(item.id, item);
    this.emit(item);
    this.schedule(item);
    return toOutboxItem(item);
  }

  /**
   * One attempt now, and its outcome. An attempt already in flight is joined, never doubled; a
   * delivered or rejected item is returned as it is.
   */
  async deliverNow(id: string): Promise<OutboxItem> {
    const running = this.inflight.get(id);
    if (running) return running;
    const item = this.mustGet(id);
    if (isTerminal(item.state)) return toOutboxItem(item);
    return this.attempt(id);
  }

  /** The resident's "send again": a fresh run of automatic attempts, starting with one now. */
  async retry(id: string): Promise<OutboxItem> {
    const running = this.inflight.get(id);
    if (running) return running;
    const item = this.mustGet(id);
    if (isTerminal(item.state)) throw new OutboxError('OUTBOX_NOT_RETRYABLE', { id, state: item.state });
    this.items.set(id, { ...item, streak: 0 });
    return this.attempt(id);
  }

  /** After a login: every item that waited for one is attempted now. */
  async resumeAfterLogin(): Promise<OutboxItem[]> {
    if (this.closed) return [];
    const waiting = [...this.items.values()].filter((i) => i.state === 'needs-login' && !this.inflight.has(i.id));
    const results = await Promise.allSettled(
      waiting.map((i) => {
        this.items.set(i.id, { ...i, streak: 0 });
        return this.attempt(i.id);
      }),
    );
    const out: OutboxItem[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') out.push(r.value);
      else this.onError?.(r.reason);
    }
    return out;
  }

  /** Stops the timers and waits for attempts in flight to record their outcome. */
  async close(): Promise<void> {
    this.closed = true;
    for (const h of this.timers.values()) this.clock.clearTimeout(h);
    this.timers.clear();
    await Promise.allSettled([...this.inflight.values()]);
  }

  // ------------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new OutboxError('OUTBOX_CLOSED');
  }

  private mustGet(id: string): StoredItem {
    const item = this.items.get(id);
    if (!item) throw new OutboxError('OUTBOX_NOT_FOUND', { id: id.slice(0, 64) });
    return item;
  }

  private attempt(id: string): Promise<OutboxItem> {
    const running = this.inflight.get(id);
    if (running) return running;
    const p = this.runAttempt(id).finally(() => {
      this.inflight.delete(id);
    });
    this.inflight.set(id, p);
    return p;
  }

  private async runAttempt(id: string): Promise<OutboxItem> {
    this.assertOpen();
    this.cancelTimer(id);
    const item = this.mustGet(id);
    if (isTerminal(item.state)) return toOutboxItem(item);

    // The bytes on disk must still be the bytes the resident signed and confirmed.
    let bytes: Uint8Array | undefined;
    try {
      bytes = new Uint8Array(await fsp.readFile(this.packagePath(id)));
    } catch {
      bytes = undefined;
    }
    if (!bytes || bytes.length !== item.packageBytes || sha256Hex(bytes) !== item.packageSha256) {
      return this.finish({
        ...item,
        state: 'rejected',
        nextAttemptAt: undefined,
        lastError: local('PACKAGE_DAMAGED'),
      });
    }

    const sending: StoredItem = { ...item, state: 'sending', attempts: item.attempts + 1, nextAttemptAt: undefined };
    try {
      await this.persist(sending);
    } catch (e) {
      // Nothing was sent. Try again later, like any other failure.
      const failed = this.afterFailure(item, local('OUTBOX_WRITE_FAILED'));
      this.items.set(id, failed);
      this.emit(failed);
      this.schedule(failed);
      throw e;
    }
    this.items.set(id, sending);
    this.emit(sending);

    let outcome: DeliveryOutcome;
    try {
      outcome = await this.deliver({ idempotencyKey: sending.idempotencyKey, packageBytes: bytes });
    } catch {
      outcome = { kind: 'retry', ...local('DELIVERY_FAILED') };
    }
    return this.finish(this.apply(sending, outcome));
  }

  private apply(item: StoredItem, outcome: DeliveryOutcome): StoredItem {
    switch (outcome?.kind) {
      case 'delivered': {
        const receipt = ReceiptSchema.safeParse(outcome.receipt);
        if (!receipt.success) return this.afterFailure(item, local('RECEIPT_UNREADABLE'));
        return {
          ...item,
          state: 'delivered',
          streak: 0,
          nextAttemptAt: undefined,
          lastError: undefined,
          receipt: receipt.data,
        };
      }
      case 'needs-login':
        return {
          ...item,
          state: 'needs-login',
          streak: 0,
          nextAttemptAt: undefined,
          lastError: errorOf(outcome.code, outcome.message, 'NEEDS_LOGIN'),
        };
      case 'rejected':
        return {
          ...item,
          state: 'rejected',
          nextAttemptAt: undefined,
          lastError: errorOf(outcome.code, outcome.message, 'PORTAL_UNEXPECTED'),
        };
      case 'retry':
        return this.afterFailure(
          item,
          errorOf(outcome.code, outcome.message, 'PORTAL_UNEXPECTED'),
          outcome.retryAfterMs,
        );
      default:
        return this.afterFailure(item, local('DELIVERY_FAILED'));
    }
  }

  /** pending again, with the next automatic attempt after the backoff (or none past the cap). */
  private afterFailure(item: StoredItem, lastError: StoredItem['lastError'], retryAfterMs?: number): StoredItem {
    const streak = item.streak + 1;
    const base = { ...item, state: 'pending' as const, streak, lastError };
    if (streak >= this.policy.maxAutomaticAttempts) return { ...base, nextAttemptAt: undefined };
    const r = Buffer.from(this.random(4)).readUInt32BE(0) / 2 ** 32;
    const delay = backoffDelay(this.policy, streak, r, retryAfterMs);
    return { ...base, nextAttemptAt: iso(this.clock.now() + delay) };
  }

  /** Records an attempt's outcome: on disk first, then in memory, listeners, timer, cleanup. */
  private async finish(next: StoredItem): Promise<OutboxItem> {
    let writeError: unknown;
    try {
      await this.persist(next);
    } catch (e) {
      // The outcome is real, so memory follows it; the file still says `sending`, which after a
      // restart means one more attempt with the same key — the portal answers with the same receipt.
      writeError = e;
    }
    this.items.set(next.id, next);
    this.emit(next);
    this.schedule(next);
    if (isTerminal(next.state) && writeError === undefined) {
      await fsp.rm(this.packagePath(next.id), { force: true }).catch((e: unknown) => this.onError?.(e));
    }
    if (writeError !== undefined) throw writeError;
    return toOutboxItem(next);
  }

  private schedule(item: StoredItem): void {
    this.cancelTimer(item.id);
    if (this.closed || item.state !== 'pending' || item.nextAttemptAt === undefined) return;
    const wait = Math.max(0, Date.parse(item.nextAttemptAt) - this.clock.now());
    const handle = this.clock.setTimeout(
      () => {
        this.timers.delete(item.id);
        if (this.closed) return;
        const current = this.items.get(item.id);
        if (current?.state !== 'pending' || current.nextAttemptAt === undefined) return;
        if (Date.parse(current.nextAttemptAt) > this.clock.now()) {
          this.schedule(current); // a wait longer than one timer can hold
          return;
        }
        this.attempt(item.id).catch((e: unknown) => this.onError?.(e));
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    this.timers.set(item.id, handle);
  }

  private cancelTimer(id: string): void {
    const h = this.timers.get(id);
    if (h !== undefined) this.clock.clearTimeout(h);
    this.timers.delete(id);
  }

  private emit(item: StoredItem): void {
    const view = toOutboxItem(item);
    for (const l of this.listeners) {
      try {
        l(view);
      } catch (e) {
        this.onError?.(e);
      }
    }
  }

  private itemDir(id: string): string {
    return join(this.itemsDir, id);
  }

  private packagePath(id: string): string {
    return join(this.itemDir(id), PACKAGE_FILE);
  }

  private persist(item: StoredItem): Promise<void> {
    return writeFileDurable(join(this.itemDir(item.id), ITEM_FILE), serializeItem(item));
  }

  // ------------------------------------------------------------------------------------------
  // open(): load, recover, quarantine

  private async load(): Promise<void> {
    const now = this.clock.now();
    for (const entry of await fsp.readdir(this.itemsDir, { withFileTypes: true })) {
      const name = entry.name;
      const full = join(this.itemsDir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        // An enqueue that never completed: it was never accepted, nobody was told it was queued.
        await fsp.rm(full, { recursive: true, force: true });
        continue;
      }
      if (!entry.isDirectory()) {
        await this.quarantine(name, 'not-a-directory', now);
        continue;
      }
      for (const f of await fsp.readdir(full)) {
        if (f.startsWith(TEMP_PREFIX)) await fsp.rm(join(full, f), { force: true }); // an unfinished rewrite
      }
      let doc: unknown;
      try {
        doc = JSON.parse(await fsp.readFile(join(full, ITEM_FILE), 'utf8'));
      } catch {
        await this.quarantine(name, 'item-unreadable', now);
        continue;
      }
      const parsed = StoredItemSchema.safeParse(doc);
      if (!parsed.success || parsed.data.id !== name) {
        await this.quarantine(name, 'item-invalid', now);
        continue;
      }
      let item = parsed.data;
      const pkg = join(full, PACKAGE_FILE);
      if (isTerminal(item.state)) {
        await fsp.rm(pkg, { force: true }); // finish a cleanup a crash interrupted
      } else {
        const st = await fsp.stat(pkg).catch(() => undefined);
        if (!st?.isFile()) {
          await this.quarantine(name, 'package-missing', now);
          continue;
        }
        if (st.size !== item.packageBytes) {
          await this.quarantine(name, 'package-size-mismatch', now);
          continue;
        }
      }
      if (item.state === 'sending') {
        // Interrupted mid-attempt: the portal may or may not have it. Same key again settles it.
        item = { ...item, state: 'pending', streak: 0, nextAttemptAt: iso(now), lastError: local('INTERRUPTED') };
        await this.persist(item);
      } else if (item.state === 'pending' && item.nextAttemptAt === undefined) {
        // Automatic attempts had stopped; a restart gives the item a fresh run.
        item = { ...item, streak: 0, nextAttemptAt: iso(now) };
      }
      this.items.set(item.id, item);
    }
  }

  private async quarantine(entry: string, reason: QuarantineReason, now: number): Promise<void> {
    const from = join(this.itemsDir, entry);
    const exists = (p: string) =>
      fsp.stat(p).then(
        () => true,
        () => false,
      );
    let to = join(this.quarantineDir, `${entry}.${stamp(now)}`);
    for (let i = 1; await exists(to); i++) to = join(this.quarantineDir, `${entry}.${stamp(now)}-${i}`);
    try {
      await renameDurable(from, to);
      this.quarantineReports.push({ entry, reason, path: to, moved: true });
    } catch (e) {
      this.quarantineReports.push({ entry, reason, path: from, moved: false });
      this.onError?.(e);
    }
  }
}
