import { afterEach, describe, expect, it } from 'vitest';
import { FakePcscSystem } from '../../../native/pcsc/fake-pcsclite.ts';
import type { CardEvent } from '../../ipc/contract.ts';
import { CardService, DEMO_READER } from './card-service.ts';

const ATR = '3B8880010000000000000000';
const services: CardService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

async function start(sys: FakePcscSystem | undefined, demoMode: boolean, preferred: string | null = null) {
  const s = new CardService({
    source: sys ? 'auto' : 'emulator',
    demoMode,
    preferredReader: () => preferred,
    ...(sys
      ? { monitor: { binding: () => sys.binding, retryDelaysMs: [5, 10], minHealthyMs: 20, settleTimeoutMs: 300 } }
      : {}),
  });
  services.push(s);
  await s.start();
  return s;
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 300 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(f()).toBe(true);
};

describe('CardService', () => {
  it('demo mode without a card in any reader: the demo card stands in, labelled as such', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('Reader A');
    const s = await start(sys, true);
    const st = s.state();
    expect(st.service).toBe('up');
    expect(st.readers).toEqual([{ name: 'Reader A', cardPresent: false }]);
    expect(st.card).toMatchObject({ status: 'present', demo: true, reader: DEMO_READER });
    expect(s.current()).toMatchObject({ demo: true, reader: DEMO_READER });
  });

  it('a card in a real reader always wins over the demo card, and events say demo: false', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('Reader A');
    const s = await start(sys, true);
    const events: CardEvent[] = [];
    s.on('event', (e) => events.push(e));
    sys.insertCard('Reader A', ATR);
    await until(() => s.state().card.status === 'present' && !(s.state().card as { demo: boolean }).demo);
    expect(s.current()).toMatchObject({ demo: false, reader: 'Reader A' });
    expect(events).toContainEqual({ type: 'card-inserted', reader: 'Reader A', atr: ATR, demo: false });
    sys.removeCard('Reader A');
    await until(() => events.some((e) => e.type === 'card-removed'));
    expect(s.current().demo).toBe(true);
  });

  it('outside demo mode there is no demo card: NO_READER, then NO_CARD, each with its remedy', async () => {
    const sys = new FakePcscSystem();
    const s = await start(sys, false);
    expect(() => s.current()).toThrow(expect.objectContaining({ code: 'NO_READER' }));
    sys.addReader('Reader A');
    await until(() => s.state().readers.length === 1);
    expect(() => s.current()).toThrow(expect.objectContaining({ code: 'NO_CARD' }));
    expect(s.state().card).toEqual({ status: 'absent' });
  });

  it('the preferred reader wins when it holds a card', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('Reader A');
    sys.addReader('Reader B');
    sys.insertCard('Reader A', ATR);
    sys.insertCard('Reader B', ATR);
    const s = await start(sys, false, 'Reader B');
    await until(() => s.state().readers.filter((r) => r.cardPresent).length === 2);
    expect(s.current().reader).toBe('Reader B');
  });

  it('pcscd down is reported as service down and comes back by itself', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('Reader A');
    const s = await start(sys, true);
    const events: CardEvent[] = [];
    s.on('event', (e) => events.push(e));
    sys.stop();
    await until(() => events.some((e) => e.type === 'service-down'));
    expect(s.state().service).toBe('down');
    expect(s.current().demo).toBe(true);
    sys.start();
    await until(() => events.some((e) => e.type === 'service-up'));
  });

  it('emulator source: pulling and re-inserting the demo card emits events', async () => {
    const s = await start(undefined, true);
    const events: CardEvent[] = [];
    s.on('event', (e) => events.push(e));
    expect(s.state().service).toBe('unavailable');
    s.setDemoCardPresent(false);
    expect(s.state().card).toEqual({ status: 'absent' });
    s.setDemoCardPresent(true);
    expect(events.map((e) => e.type)).toEqual(['card-removed', 'card-inserted']);
  });
});
