import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CardEvent, CardState } from '../../ipc/contract.ts';
import { startKioskAdapter } from './kiosk-adapter.ts';

class FakeCard extends EventEmitter<{ event: [CardEvent] }> {
  present = false;
  state(): CardState {
    return {
      service: 'up',
      readers: [],
      card: this.present ? { status: 'present', reader: 'R', demo: false, atr: '3B' } : { status: 'absent' },
    };
  }
}

afterEach(() => vi.useRealTimers());

describe('kiosk adapter: card events and idle time drive the session controller', () => {
  it('card in starts a session, card out wipes it', async () => {
    const card = new FakeCard();
    const wipes: string[] = [];
    const k = startKioskAdapter({
      card,
      idleTimeoutMs: 60_000,
      wipe: async (reason) => {
        wipes.push(reason);
      },
    });
    card.emit('event', { type: 'card-inserted', reader: 'R', atr: '3B', demo: false });
    expect(k.controller.state).toBe('session');
    card.emit('event', { type: 'card-removed', reader: 'R' });
    await Promise.resolve();
    expect(wipes).toEqual(['card-removed']);
    k.dispose();
  });

  it('an unplugged reader ends the session too', async () => {
    const card = new FakeCard();
    card.present = true; // already in the reader when the app starts
    const wipes: string[] = [];
    const k = startKioskAdapter({ card, idleTimeoutMs: 60_000, wipe: async (r) => void wipes.push(r) });
    expect(k.controller.state).toBe('session');
    card.emit('event', { type: 'reader-removed', reader: 'R' });
    await Promise.resolve();
    expect(wipes).toEqual(['card-removed']);
    k.dispose();
  });

  it('idle: no input for the timeout ends the session; window input and OS input postpone it', async () => {
    vi.useFakeTimers();
    const card = new FakeCard();
    const wipes: string[] = [];
    let osIdleSeconds = 0;
    const k = startKioskAdapter({
      card,
      idleTimeoutMs: 60_000,
      idlePollMs: 5_000,
      systemIdleSeconds: () => osIdleSeconds,
      wipe: async (r) => void wipes.push(r),
    });
    card.emit('event', { type: 'card-inserted', reader: 'R', atr: '3B', demo: false });
    // Touch input seen by the OS (never a before-input-event): keeps the session alive.
    await vi.advanceTimersByTimeAsync(50_000);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(wipes).toEqual([]);
    // Keyboard input in our window.
    osIdleSeconds = 1000;
    k.activity();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(wipes).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(wipes).toEqual(['idle']);
    k.dispose();
  });

  it('a card left in the reader after an idle end: the next resident’s input (OS or window) starts a watched session', async () => {
    vi.useFakeTimers();
    const card = new FakeCard();
    const wipes: string[] = [];
    let osIdleSeconds = 1000;
    const k = startKioskAdapter({
      card,
      idleTimeoutMs: 60_000,
      idlePollMs: 5_000,
      systemIdleSeconds: () => osIdleSeconds,
      wipe: async (r) => void wipes.push(r),
    });
    card.emit('event', { type: 'card-inserted', reader: 'R', atr: '3B', demo: false });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(wipes).toEqual(['idle']);
    expect(k.controller.state).toBe('attract');
    // Nobody there: the poll sees no input, nothing starts.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(k.controller.state).toBe('attract');
    // The next resident touches the recreated page (only the OS idle clock sees touch).
    osIdleSeconds = 0;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(k.controller.state).toBe('session');
    expect(k.controller.sessionId).toBe(2);
    // … logs in with the card that was left there, and walks away without it: idle wipes again.
    osIdleSeconds = 1000;
    await vi.advanceTimersByTimeAsync(61_000);
    expect(wipes).toEqual(['idle', 'idle']);
    // Keyboard input in our window counts too, and taking the card out ends that session.
    k.activity();
    expect(k.controller.state).toBe('session');
    card.emit('event', { type: 'card-removed', reader: 'R' });
    await vi.advanceTimersByTimeAsync(0);
    expect(wipes).toEqual(['idle', 'idle', 'card-removed']);
    k.dispose();
  });

  it('a card left in the reader after an idle end: taking it out wipes even when no input was seen', async () => {
    vi.useFakeTimers();
    const card = new FakeCard();
    const wipes: string[] = [];
    const k = startKioskAdapter({
      card,
      idleTimeoutMs: 60_000,
      systemIdleSeconds: () => 1000,
      wipe: async (r) => void wipes.push(r),
    });
    card.emit('event', { type: 'card-inserted', reader: 'R', atr: '3B', demo: false });
    await vi.advanceTimersByTimeAsync(61_000);
    card.emit('event', { type: 'card-removed', reader: 'R' });
    await vi.advanceTimersByTimeAsync(0);
    expect(wipes).toEqual(['idle', 'card-removed']);
    expect(k.controller.state).toBe('attract');
    k.dispose();
  });

  it('dispose() stops listening to the card', () => {
    const card = new FakeCard();
    const k = startKioskAdapter({ card, idleTimeoutMs: 60_000, wipe: async () => {} });
    k.dispose();
    expect(card.listenerCount('event')).toBe(0);
  });
});
