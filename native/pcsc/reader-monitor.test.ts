import { afterEach, describe, expect, it } from 'vitest';
import { FakePcscSystem } from './fake-pcsclite.ts';
import { ReaderMonitor, type ReaderMonitorEvents } from './reader-monitor.ts';

const ATR = '3BDA13FF8131FB468012392F31C173C601C03B';
const ATR2 = '3BC5FF8131FB4580730601000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Ev = keyof ReaderMonitorEvents;
const EVENTS: Ev[] = ['reader-added', 'reader-removed', 'card-inserted', 'card-removed', 'service-down', 'service-up'];

function record(m: ReaderMonitor): string[] {
  const log: string[] = [];
  for (const ev of EVENTS) {
    m.on(ev, (...args: unknown[]) => {
      const p = args[0] as { reader?: string; atr?: string; error?: { code: string } } | undefined;
      log.push([ev, p?.reader, p?.atr, p?.error?.code].filter((x) => x !== undefined).join(' '));
    });
  }
  return log;
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(2);
  }
}

let monitors: ReaderMonitor[] = [];
function monitor(sys: FakePcscSystem, retryDelaysMs = [5, 10, 20]): ReaderMonitor {
  const m = new ReaderMonitor({ binding: () => sys.binding, retryDelaysMs, minHealthyMs: 50, settleTimeoutMs: 500 });
  monitors.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(monitors.map((m) => m.close()));
  monitors = [];
});

describe('ReaderMonitor (fake pcsclite)', () => {
  it('start() settles with every reader and its card state, with events in order', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    sys.addReader('B');
    sys.insertCard('B', ATR);
    const m = monitor(sys);
    const log = record(m);
    await m.start();
    expect(m.state).toBe('up');
    expect(m.readers()).toEqual([
      { name: 'A', cardPresent: false, atr: '' },
      { name: 'B', cardPresent: true, atr: ATR },
    ]);
    expect(log).toEqual(['service-up', 'reader-added A', 'reader-added B', `card-inserted B ${ATR}`]);
  });

  it('start() settles at once with no readers at all', async () => {
    const sys = new FakePcscSystem();
    const m = monitor(sys);
    const t0 = Date.now();
    await m.start();
    expect(Date.now() - t0).toBeLessThan(400);
    expect(m.readers()).toEqual([]);
  });

  it('hot-plug: cards in and out, readers in and out (card-removed before reader-removed)', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    const m = monitor(sys);
    await m.start();
    const log = record(m);
    sys.insertCard('A', ATR);
    await until(() => log.length === 1);
    sys.removeCard('A');
    await until(() => log.length === 2);
    sys.addReader('USB');
    await until(() => m.reader('USB') !== undefined);
    sys.insertCard('USB', ATR2);
    await until(() => m.reader('USB')?.cardPresent === true);
    sys.removeReader('USB');
    await until(() => m.reader('USB') === undefined);
    expect(log).toEqual([
      `card-inserted A ${ATR}`,
      'card-removed A',
      'reader-added USB',
      `card-inserted USB ${ATR2}`,
      'card-removed USB',
      'reader-removed USB',
    ]);
    expect(m.nativeReader('USB')).toBeUndefined();
    expect(m.nativeReader('A')?.name).toBe('A');
  });

  it('ignores EXCLUSIVE/INUSE churn while someone holds the card', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    sys.insertCard('A', ATR);
    const m = monitor(sys);
    await m.start();
    const log = record(m);
    const r = m.nativeReader('A')!;
    await new Promise<void>((res, rej) => r.connect({ share_mode: 1, protocol: 2 }, (e) => (e ? rej(e) : res())));
    await new Promise<void>((res) => r.disconnect(0, () => res()));
    await sleep(20);
    expect(log).toEqual([]);
  });

  it('pcscd stops: service-down first, then removals; comes back: service-up and readers again', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    sys.insertCard('A', ATR);
    const m = monitor(sys);
    await m.start();
    await sleep(60); // older than minHealthyMs: an instant reopen is tried first
    const log = record(m);
    sys.stop();
    await until(() => m.state === 'down');
    expect(log).toEqual(['service-down SERVICE_DOWN', 'card-removed A', 'reader-removed A']);
    expect(m.lastError?.code).toBe('SERVICE_DOWN');
    expect(m.readers()).toEqual([]);
    await sleep(50); // several failed retries: no repeated service-down
    expect(log.filter((l) => l.startsWith('service-down'))).toHaveLength(1);
    expect(sys.liveContexts).toBe(0);
    const attemptsWhileDown = sys.created;
    sys.start();
    sys.insertCard('A', ATR);
    await until(() => m.reader('A')?.cardPresent === true);
    expect(log.slice(3)).toEqual(['service-up', 'reader-added A', `card-inserted A ${ATR}`]);
    expect(sys.liveContexts).toBe(1); // never more than one context open
    expect(sys.created).toBe(attemptsWhileDown + 1);
  });

  it('a context that dies while pcscd is still reachable is replaced without service-down', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    const m = monitor(sys);
    await m.start();
    await sleep(60);
    const log = record(m);
    // the context's watcher fails but the service answers: simulate by killing contexts only
    for (const c of [...sys.contexts]) c.serviceDied();
    await until(() => log.includes('reader-added A'));
    expect(log).toEqual(['reader-removed A', 'reader-added A']);
    expect(m.state).toBe('up');
    expect(sys.liveContexts).toBe(1);
  });

  it('starting while pcscd is down reports service-down and keeps retrying', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    sys.stop();
    const m = monitor(sys);
    const log = record(m);
    await m.start();
    expect(m.state).toBe('down');
    expect(log).toEqual(['service-down SERVICE_DOWN']);
    sys.start();
    await until(() => m.reader('A') !== undefined);
    expect(log).toEqual(['service-down SERVICE_DOWN', 'service-up', 'reader-added A']);
  });

  it('sees a card swapped between two polls', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    sys.insertCard('A', ATR);
    const m = monitor(sys);
    await m.start();
    const log = record(m);
    // remove + insert before the reader watch reports: one status with the event count +2
    const slot = sys.slots.get('A')!;
    slot.events += 2;
    slot.atr = Buffer.from(ATR2, 'hex');
    sys.notify('A');
    await until(() => log.length === 2);
    expect(log).toEqual(['card-removed A', `card-inserted A ${ATR2}`]);
  });

  it('close() stops everything: no events, no retries, the late binding error is swallowed', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    const m = monitor(sys);
    await m.start();
    const log = record(m);
    await m.close();
    expect(m.state).toBe('closed');
    expect(sys.liveContexts).toBe(0);
    sys.insertCard('A', ATR);
    await sleep(20); // the fake emits "Command cancelled" after close(), as the binding does
    expect(log).toEqual([]);
    expect(m.readers()).toEqual([]);
  });

  it('close() while down cancels the retry timer', async () => {
    const sys = new FakePcscSystem();
    sys.stop();
    const m = monitor(sys, [10]);
    await m.start();
    const before = sys.created;
    await m.close();
    await sleep(40);
    expect(sys.created).toBe(before);
  });

  it('a listener that closes the monitor from inside an event stops the remaining events', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('A');
    sys.insertCard('A', ATR);
    const m = monitor(sys);
    await m.start();
    const seen: string[] = [];
    m.on('card-removed', () => {
      seen.push('removed');
      void m.close();
    });
    m.on('card-inserted', () => seen.push('inserted'));
    const slot = sys.slots.get('A')!;
    slot.events += 2; // swapped: removal then insertion in one status
    slot.atr = Buffer.from(ATR2, 'hex');
    sys.notify('A');
    await until(() => m.state === 'closed');
    await sleep(10);
    expect(seen).toEqual(['removed']);
  });
});
