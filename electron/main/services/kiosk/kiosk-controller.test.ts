import { describe, expect, it } from 'vitest';
import { KioskController, type KioskEndReason, type KioskState, type KioskTimers } from './kiosk-controller.ts';

/** Deterministic timers: time moves only when the test says so. */
class FakeTimers implements KioskTimers {
  private t = 1_000_000;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.queue.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.queue.delete(h as number);
  };
  get pending(): number {
    return this.queue.size;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.queue) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.queue.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(opts: { idle?: number; onEnd?: (r: KioskEndReason) => Promise<void> } = {}) {
  const timers = new FakeTimers();
  const wipes: KioskEndReason[] = [];
  const states: [KioskState, number][] = [];
  const errors: unknown[] = [];
  const k = new KioskController({
    idleTimeoutMs: opts.idle ?? 60_000,
    timers,
    onEnd: async (r) => {
      wipes.push(r);
      await opts.onEnd?.(r);
    },
    onStateChange: (s, id) => states.push([s, id]),
    onError: (e) => errors.push(e),
  });
  return { k, timers, wipes, states, errors };
}

describe('KioskController', () => {
  it('starts in attract; a card starts a session; removal wipes once and returns to attract', async () => {
    const { k, wipes, states } = setup();
    expect(k.state).toBe('attract');
    expect(k.sessionId).toBe(0);
    k.cardInserted();
    expect(k.state).toBe('session');
    expect(k.sessionId).toBe(1);
    k.cardRemoved();
    expect(k.state).toBe('ending');
    await flush();
    expect(k.state).toBe('attract');
    expect(wipes).toEqual(['card-removed']);
    expect(states).toEqual([
      ['session', 1],
      ['ending', 1],
      ['attract', 1],
    ]);
  });

  it('wipes on idle timeout', async () => {
    const { k, timers, wipes } = setup({ idle: 60_000 });
    k.cardInserted();
    timers.advance(59_999);
    expect(k.state).toBe('session');
    timers.advance(1);
    expect(k.state).toBe('ending');
    await flush();
    expect(wipes).toEqual(['idle']);
    expect(k.state).toBe('attract');
    expect(timers.pending).toBe(0);
  });

  it('activity postpones the idle end by a whole timeout from the last input', async () => {
    const { k, timers, wipes } = setup({ idle: 60_000 });
    k.cardInserted();
    timers.advance(50_000);
    k.activity();
    timers.advance(50_000); // 100 s since start, 50 s since the input
    expect(k.state).toBe('session');
    k.activity();
    k.activity(); // many inputs are cheap: one timer, re-armed only when it fires
    expect(timers.pending).toBe(1);
    timers.advance(59_999);
    expect(k.state).toBe('session');
    timers.advance(1);
    await flush();
    expect(wipes).toEqual(['idle']);
  });

  it('activity in attract without a card changes nothing', () => {
    const { k, timers } = setup();
    k.activity();
    expect(k.state).toBe('attract');
    expect(timers.pending).toBe(0);
  });

  it('never ends twice: card out, idle and end() during one wipe give one onEnd call', async () => {
    const gate = deferred();
    const { k, timers, wipes } = setup({ idle: 1000, onEnd: () => gate.promise });
    k.cardInserted();
    k.cardRemoved();
    timers.advance(10_000); // the idle timer was cleared when the session ended
    const a = k.end('manual');
    const b = k.end('idle');
    expect(a).toBe(b);
    k.activity();
    expect(k.state).toBe('ending');
    gate.resolve();
    await a;
    expect(k.state).toBe('attract');
    expect(wipes).toEqual(['card-removed']);
  });

  it('idle and card removal at the same moment: one wipe', async () => {
    const { k, timers, wipes } = setup({ idle: 1000 });
    k.cardInserted();
    timers.advance(1000);
    k.cardRemoved();
    await flush();
    expect(wipes).toEqual(['idle']);
  });

  it('a card inserted during the wipe starts a fresh session only after the wipe finished', async () => {
    const gate = deferred();
    const { k, wipes, states } = setup({ onEnd: () => gate.promise });
    k.cardInserted();
    k.cardRemoved();
    k.cardInserted(); // the next resident, while the previous session is still being wiped
    expect(k.state).toBe('ending');
    expect(k.sessionId).toBe(1);
    await flush();
    expect(k.state).toBe('ending');
    gate.resolve();
    await flush();
    expect(k.state).toBe('session');
    expect(k.sessionId).toBe(2);
    expect(wipes).toEqual(['card-removed']);
    expect(states.map((s) => s[0])).toEqual(['session', 'ending', 'attract', 'session']);
  });

  it('a card inserted and removed again during the wipe starts nothing', async () => {
    const gate = deferred();
    const { k } = setup({ onEnd: () => gate.promise });
    k.cardInserted();
    k.cardRemoved();
    k.cardInserted();
    k.cardRemoved();
    gate.resolve();
    await flush();
    expect(k.state).toBe('attract');
    expect(k.sessionId).toBe(1);
  });

  it('a card left in the reader after an idle end: a repeated insertion event starts nothing', async () => {
    const { k, timers } = setup({ idle: 1000 });
    k.cardInserted();
    timers.advance(1000);
    await flush();
    expect(k.state).toBe('attract');
    expect(k.cardPresent).toBe(true);
    k.cardInserted(); // a repeated event for the same card
    expect(k.state).toBe('attract');
    expect(k.sessionId).toBe(1);
  });

  // The recreated page is fully usable with the card still in the reader: whoever uses it is in
  // a watched session, wiped on card removal and on idle like any other.
  it('a card left after an idle end: input starts a fresh session, which card removal wipes', async () => {
    const { k, timers, wipes, states } = setup({ idle: 1000 });
    k.cardInserted();
    timers.advance(1000);
    await flush();
    expect(wipes).toEqual(['idle']);
    k.activity(); // the next resident touches the screen; the card is still in the reader
    expect(k.state).toBe('session');
    expect(k.sessionId).toBe(2);
    expect(wipes).toEqual(['idle']); // fresh: the wipe already happened
    k.cardRemoved();
    await flush();
    expect(wipes).toEqual(['idle', 'card-removed']);
    expect(k.state).toBe('attract');
    expect(states.map((s) => s[0])).toEqual(['session', 'ending', 'attract', 'session', 'ending', 'attract']);
  });

  it('a card left after an idle end: the session started by input ends on idle too', async () => {
    const { k, timers, wipes } = setup({ idle: 1000 });
    k.cardInserted();
    timers.advance(1000);
    await flush();
    k.activity();
    timers.advance(999);
    expect(k.state).toBe('session');
    timers.advance(1);
    await flush();
    expect(wipes).toEqual(['idle', 'idle']);
    expect(k.state).toBe('attract');
  });

  it('a card left after a manual end: taking it out wipes once more (no input seen), then insertion starts a session', async () => {
    const gate = deferred();
    let gated = false;
    const { k, wipes } = setup({ onEnd: () => (gated ? gate.promise : Promise.resolve()) });
    k.cardInserted();
    await k.end('manual');
    gated = true;
    k.cardRemoved();
    expect(k.state).toBe('ending');
    k.cardRemoved(); // a reader-removed after the card-removed: still one wipe
    k.activity(); // no session before the wipe finished
    expect(k.state).toBe('ending');
    k.cardInserted();
    gate.resolve();
    await flush();
    expect(wipes).toEqual(['manual', 'card-removed']);
    expect(k.state).toBe('session');
    expect(k.sessionId).toBe(2);
  });

  it('card removal in attract without a card seen (reader unplugged while empty) wipes nothing', async () => {
    const { k, wipes } = setup();
    k.cardRemoved();
    await flush();
    expect(wipes).toEqual([]);
    expect(k.state).toBe('attract');
  });

  it('input during the wipe after an idle end does not start a session; input after it does', async () => {
    const gate = deferred();
    const { k, timers, wipes } = setup({ idle: 1000, onEnd: () => gate.promise });
    k.cardInserted();
    timers.advance(1000);
    expect(k.state).toBe('ending');
    k.activity();
    expect(k.state).toBe('ending');
    gate.resolve();
    await flush();
    expect(k.state).toBe('attract');
    expect(k.sessionId).toBe(1);
    k.activity();
    expect(k.state).toBe('session');
    expect(k.sessionId).toBe(2);
    expect(wipes).toEqual(['idle']);
  });

  it('manual end resolves after the wipe; end() in attract is a no-op', async () => {
    const { k, wipes } = setup();
    await k.end('manual');
    expect(wipes).toEqual([]);
    k.cardInserted();
    await k.end('manual');
    expect(wipes).toEqual(['manual']);
    expect(k.state).toBe('attract');
  });

  it('a second insertion during a session changes nothing', () => {
    const { k } = setup();
    k.cardInserted();
    k.cardInserted();
    expect(k.sessionId).toBe(1);
    expect(k.state).toBe('session');
  });

  it('a failed wipe keeps the controller in ending (no session on top of it) and retries', async () => {
    let fail = 2;
    const { k, timers, wipes, errors } = setup({
      onEnd: async () => {
        if (fail-- > 0) throw new Error('clearData failed');
      },
    });
    k.cardInserted();
    k.cardRemoved();
    k.cardInserted();
    await flush();
    expect(k.state).toBe('ending');
    expect(errors).toHaveLength(1);
    timers.advance(2000);
    await flush();
    expect(k.state).toBe('ending');
    timers.advance(2000);
    await flush();
    expect(wipes).toEqual(['card-removed', 'card-removed', 'card-removed']);
    expect(errors).toHaveLength(2);
    expect(k.state).toBe('session');
    expect(k.sessionId).toBe(2);
  });

  it('a synchronous throw from onEnd is a failed wipe too', async () => {
    const timers = new FakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const k = new KioskController({
      idleTimeoutMs: 1000,
      timers,
      onEnd: () => {
        calls++;
        if (calls === 1) throw new Error('sync');
        return Promise.resolve();
      },
      onError: (e) => errors.push(e),
    });
    k.cardInserted();
    const done = k.end('manual');
    await flush();
    expect(k.state).toBe('ending');
    timers.advance(2000);
    await done;
    expect(k.state).toBe('attract');
    expect(errors).toHaveLength(1);
  });

  it('dispose stops the idle timer', () => {
    const { k, timers, wipes } = setup({ idle: 1000 });
    k.cardInserted();
    k.dispose();
    timers.advance(5000);
    expect(wipes).toEqual([]);
    expect(timers.pending).toBe(0);
  });

  it('refuses a non-positive idle timeout', () => {
    expect(() => new KioskController({ idleTimeoutMs: 0, onEnd: async () => {} })).toThrow(RangeError);
  });
});
