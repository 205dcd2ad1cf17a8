/**
 * The kiosk session state machine (DESIGN §4 "Kiosk session"), pure: no Electron, injectable
 * timers. Main feeds it card events and user activity; it decides when a resident's session
 * starts and when everything of it must be wiped, and calls `onEnd` for that exactly once per
 * session.
 *
 *   attract ──card in──▶ session ──card out / idle / end()──▶ ending ──onEnd done──▶ attract
 *   attract (card still in) ──input──▶ session;  ──card out──▶ ending
 *
 * The invariant: whenever the page can be used with a card in the reader, there is a watched
 * session (it ends on card removal and on idle).
 *
 * Rules a municipal window expects:
 * - one wipe per session, whatever ends it first (card out and idle timeout together, or end()
 *   called while a wipe runs, never wipe twice);
 * - nothing of a new session begins before the previous wipe has finished: a card inserted during
 *   'ending' is remembered and starts a fresh session only once onEnd has resolved;
 * - a card still in the reader after an idle or manual end does not start a new session by
 *   itself (the resident walked away and left it; a repeated insertion event is the same card),
 *   but the recreated page is usable with it: the first input there starts a fresh session (the
 *   wipe already happened), and taking the card out wipes once more even when no input was seen
 *   (input may reach the page between two idle polls; a wipe of a clean page is cheap);
 * - a wipe that fails is not "done": the controller stays in 'ending' (no new session can start
 *   on top of a half-wiped one), reports the error and tries the wipe again.
 */

export type KioskState = 'attract' | 'session' | 'ending';
export type KioskEndReason = 'card-removed' | 'idle' | 'manual';

/** The clock and timers; tests pass fake ones. `now()` in milliseconds. */
export interface KioskTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface KioskControllerOptions {
  /** A session with no activity() for this long ends with reason 'idle'. */
  idleTimeoutMs: number;
  /** Wipes the session (partition data, cookies, renderer): resolves when everything is gone. */
  onEnd: (reason: KioskEndReason) => Promise<void>;
  timers?: KioskTimers;
  /** Every state change, after it happened (for the attract screen and tests). */
  onStateChange?: (state: KioskState, sessionId: number) => void;
  /** A failed wipe (onEnd rejected or threw); it is retried after `wipeRetryMs`. */
  onError?: (error: unknown, reason: KioskEndReason) => void;
  /** Default 2000 ms. */
  wipeRetryMs?: number;
}

export const systemTimers: KioskTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** setTimeout's limit (2^31-1 ms); longer delays are re-armed in steps. */
const MAX_TIMER_MS = 0x7fffffff;

export class KioskController {
  private readonly idleTimeoutMs: number;
  private readonly onEnd: (reason: KioskEndReason) => Promise<void>;
  private readonly timers: KioskTimers;
  private readonly onStateChange: ((state: KioskState, sessionId: number) => void) | undefined;
  private readonly onError: ((error: unknown, reason: KioskEndReason) => void) | undefined;
  private readonly wipeRetryMs: number;

  private current: KioskState = 'attract';
  private session = 0;
  private present = false;
  /** A card was inserted after the current wipe began: it starts the next session. */
  private insertedWhileEnding = false;
  private lastActivity = 0;
  private idleTimer: unknown;
  private retryTimer: unknown;
  private ending: Promise<void> | undefined;
  private resolveEnding: (() => void) | undefined;
  private disposed = false;

  constructor(options: KioskControllerOptions) {
    if (!Number.isFinite(options.idleTimeoutMs) || options.idleTimeoutMs <= 0) {
      throw new RangeError('idleTimeoutMs must be a positive number of milliseconds');
    }
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.onEnd = options.onEnd;
    this.timers = options.timers ?? systemTimers;
    this.onStateChange = options.onStateChange;
    this.onError = options.onError;
    this.wipeRetryMs = options.wipeRetryMs ?? 2000;
  }

  get state(): KioskState {
    return this.current;
  }

  /** Increments with every session that starts (0 before the first); name partitions after it. */
  get sessionId(): number {
    return this.session;
  }

  /** Whether a card is in the reader as far as the events said. */
  get cardPresent(): boolean {
    return this.present;
  }

  cardInserted(): void {
    if (this.disposed) return;
    const wasPresent = this.present;
    this.present = true;
    // A second insertion event without a removal in between is the same card: it changes nothing
    // (in particular a card left in the reader after an idle end does not start a session).
    if (wasPresent) return;
    if (this.current === 'attract') this.startSession();
    else if (this.current === 'ending') this.insertedWhileEnding = true;
  }

  cardRemoved(): void {
    if (this.disposed) return;
    const wasPresent = this.present;
    this.present = false;
    if (this.current === 'session') void this.end('card-removed');
    else if (this.current === 'ending') this.insertedWhileEnding = false;
    // The card stayed in after an idle/manual end and the page was usable with it.
    else if (wasPresent) this.beginEnding('card-removed');
  }

  /**
   * Input from the resident (touch, key, pointer): postpones the idle end. Cheap to call often.
   * In 'attract' with a card still in the reader, it starts a fresh session: someone is using
   * the page with a card, and that must be wiped on card removal and on idle.
   */
  activity(): void {
    if (this.disposed) return;
    if (this.current === 'session') this.lastActivity = this.timers.now();
    else if (this.current === 'attract' && this.present) this.startSession();
  }

  /**
   * Ends the session: resolves once the wipe has finished (or at once in 'attract'). Calling it
   * again while the wipe runs returns the same promise, and onEnd is not called again.
   */
  end(reason: KioskEndReason): Promise<void> {
    if (this.current === 'ending' && this.ending) return this.ending;
    if (this.current !== 'session') return Promise.resolve();
    return this.beginEnding(reason);
  }

  /** Stops the timers (app shutdown). A wipe in progress still completes; none is retried. */
  dispose(): void {
    this.disposed = true;
    this.clearIdleTimer();
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private beginEnding(reason: KioskEndReason): Promise<void> {
    this.clearIdleTimer();
    this.insertedWhileEnding = false;
    const ending = new Promise<void>((resolve) => {
      this.resolveEnding = resolve;
    });
    this.ending = ending;
    this.setState('ending');
    this.runWipe(reason);
    return ending;
  }

  private startSession(): void {
    this.session += 1;
    this.lastActivity = this.timers.now();
    this.setState('session');
    this.armIdleTimer(this.idleTimeoutMs);
  }

  private armIdleTimer(ms: number): void {
    this.clearIdleTimer();
    this.idleTimer = this.timers.setTimeout(() => this.idleCheck(), Math.min(Math.max(ms, 0), MAX_TIMER_MS));
  }

  /** Activity only records a time; the timer re-arms itself for the rest of the interval. */
  private idleCheck(): void {
    this.idleTimer = undefined;
    if (this.disposed || this.current !== 'session') return;
    const idleFor = this.timers.now() - this.lastActivity;
    if (idleFor >= this.idleTimeoutMs) void this.end('idle');
    else this.armIdleTimer(this.idleTimeoutMs - idleFor);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== undefined) this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private runWipe(reason: KioskEndReason): void {
    let wipe: Promise<void>;
    try {
      wipe = Promise.resolve(this.onEnd(reason));
    } catch (e) {
      wipe = Promise.reject(e);
    }
    wipe.then(
      () => this.wipeDone(),
      (e: unknown) => {
        this.onError?.(e, reason);
        if (this.disposed) return;
        this.retryTimer = this.timers.setTimeout(() => {
          this.retryTimer = undefined;
          if (!this.disposed) this.runWipe(reason);
        }, this.wipeRetryMs);
      },
    );
  }

  private wipeDone(): void {
    const resolve = this.resolveEnding;
    this.ending = undefined;
    this.resolveEnding = undefined;
    const next = this.insertedWhileEnding && this.present;
    this.insertedWhileEnding = false;
    this.setState('attract');
    resolve?.();
    if (next && !this.disposed && this.current === 'attract') this.startSession();
  }

  private setState(s: KioskState): void {
    this.current = s;
    this.onStateChange?.(s, this.session);
  }
}
