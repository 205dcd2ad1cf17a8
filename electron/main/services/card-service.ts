/**
 * Which card main talks to, and what the portal window is told about readers and cards
 * (DESIGN §4 "Card presence").
 *
 * A card in a real reader always wins. Only in demo mode, and only while no reader holds a
 * card (or PC/SC cannot be used at all), the in-process emulator's demo resident stands in —
 * and every state and event says `demo: true` so the page labels it.
 */
import { EventEmitter } from 'node:events';
import { CardError } from '../../../native/apdu/errors.ts';
import type { CardTransport } from '../../../native/card-transport.ts';
import { InProcessTransport } from '../../../native/emulator/in-process-transport.ts';
import { loadResident } from '../../../native/emulator/load-profile.ts';
import { MynaCard } from '../../../native/myna-card.ts';
import { PcscTransport } from '../../../native/pcsc/pcsc-transport.ts';
import { ReaderMonitor, type ReaderMonitorOptions } from '../../../native/pcsc/reader-monitor.ts';
import type { CardEvent, CardState } from '../../ipc/contract.ts';

export const DEMO_READER = 'デモカード (Myna Companion emulator)';

export interface CardServiceOptions {
  /** auto: PC/SC, with the demo card as fallback in demo mode; emulator: the demo card only; pcsc: readers only. */
  source: 'auto' | 'emulator' | 'pcsc';
  demoMode: boolean;
  demoResident?: string;
  preferredReader?: () => string | null;
  /** Tests inject a fake pcsclite binding through the monitor's options. */
  monitor?: ReaderMonitorOptions;
  openTransport?: (reader: string) => CardTransport;
}

export interface CurrentCard {
  card: MynaCard;
  reader: string;
  demo: boolean;
}

interface Events {
  event: [CardEvent];
}

export class CardService extends EventEmitter<Events> {
  private readonly opts: CardServiceOptions;
  private monitor: ReaderMonitor | undefined;
  private pcscUnavailable = false;
  private demo: { transport: InProcessTransport; card: MynaCard } | undefined;
  private readonly cards = new Map<string, { transport: CardTransport; card: MynaCard }>();

  constructor(opts: CardServiceOptions) {
    super();
    this.opts = opts;
  }

  async start(): Promise<void> {
    if (this.opts.source !== 'pcsc' && (this.opts.demoMode || this.opts.source === 'emulator')) {
      const transport = new InProcessTransport(await loadResident(this.opts.demoResident ?? 'resident-01'), {
        readerName: DEMO_READER,
      });
      this.demo = { transport, card: new MynaCard(transport) };
    }
    if (this.opts.source === 'emulator') return;
    const monitor = new ReaderMonitor(this.opts.monitor);
    this.monitor = monitor;
    monitor.on('reader-added', ({ reader }) => this.emit('event', { type: 'reader-added', reader }));
    monitor.on('reader-removed', ({ reader }) => {
      this.drop(reader);
      this.emit('event', { type: 'reader-removed', reader });
    });
    monitor.on('card-inserted', ({ reader, atr }) =>
      this.emit('event', { type: 'card-inserted', reader, atr, demo: false }),
    );
    monitor.on('card-removed', ({ reader }) => this.emit('event', { type: 'card-removed', reader }));
    monitor.on('service-down', () => this.emit('event', { type: 'service-down' }));
    monitor.on('service-up', () => this.emit('event', { type: 'service-up' }));
    try {
      await monitor.start();
      await monitor.whenSettled();
    } catch {
      // No libpcsclite or no pcscd at all: the app still runs (demo card in demo mode) and
      // says so in its state instead of failing to start.
      this.pcscUnavailable = true;
    }
  }

  state(): CardState {
    const readers = (this.monitor?.readers() ?? []).map((r) => ({ name: r.name, cardPresent: r.cardPresent }));
    let service: CardState['service'];
    if (this.opts.source === 'emulator' || this.pcscUnavailable) service = 'unavailable';
    else {
      const s = this.monitor?.state;
      service = s === 'up' ? 'up' : s === 'down' || s === 'closed' ? 'down' : 'starting';
    }
    const real = this.pickReader();
    if (real) {
      const info = this.monitor?.reader(real);
      return { service, readers, card: { status: 'present', reader: real, demo: false, atr: info?.atr ?? '' } };
    }
    if (this.demo && this.demoPresent()) {
      const atr = Buffer.from(this.demo.transport.atr()).toString('hex').toUpperCase();
      return { service, readers, card: { status: 'present', reader: DEMO_READER, demo: true, atr } };
    }
    return { service, readers, card: { status: 'absent' } };
  }

  /** The card to use for one operation; throws NO_READER / NO_CARD with their remedies. */
  current(): CurrentCard {
    const real = this.pickReader();
    if (real) {
      let entry = this.cards.get(real);
      if (!entry) {
        const transport = this.opts.openTransport?.(real) ?? new PcscTransport(real);
        entry = { transport, card: new MynaCard(transport) };
        this.cards.set(real, entry);
      }
      return { card: entry.card, reader: real, demo: false };
    }
    if (this.demo && this.demoPresent()) return { card: this.demo.card, reader: DEMO_READER, demo: true };
    // The demo slot counts as a reader: with it pulled, "insert a card" is the right remedy.
    const readers = this.monitor?.readers() ?? [];
    throw new CardError(readers.length === 0 && !this.demo ? 'NO_READER' : 'NO_CARD');
  }

  /** The demo card, for tests and the host's "pull the card" control. */
  get demoTransport(): InProcessTransport | undefined {
    return this.demo?.transport;
  }

  /** Simulates pulling / re-inserting the demo card (kiosk tests, the host). */
  setDemoCardPresent(present: boolean): void {
    if (!this.demo) return;
    if (present === this.demoPresent()) return;
    if (present) {
      this.demo.transport.insertCard();
      this.emit('event', {
        type: 'card-inserted',
        reader: DEMO_READER,
        atr: Buffer.from(this.demo.transport.atr()).toString('hex').toUpperCase(),
        demo: true,
      });
    } else {
      this.demo.transport.removeCard();
      this.emit('event', { type: 'card-removed', reader: DEMO_READER });
    }
  }

  async close(): Promise<void> {
    for (const reader of [...this.cards.keys()]) this.drop(reader);
    await this.monitor?.close();
    await this.demo?.transport.close();
  }

  private demoPresent(): boolean {
    return this.demo !== undefined && this.demo.transport.atr().length > 0;
  }

  private pickReader(): string | undefined {
    const readers = this.monitor?.readers() ?? [];
    const preferred = this.opts.preferredReader?.();
    if (preferred && readers.some((r) => r.name === preferred && r.cardPresent)) return preferred;
    return readers.find((r) => r.cardPresent)?.name;
  }

  private drop(reader: string): void {
    const entry = this.cards.get(reader);
    if (!entry) return;
    this.cards.delete(reader);
    void entry.transport.close().catch(() => {});
  }
}
