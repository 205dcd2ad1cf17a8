/**
 * CardTransport over the emulator in the same process (DESIGN §5): unit tests and the demo
 * fallback. Behaves like the pcsclite transport where it matters to callers:
 *  - `withCard` calls are serialised (one "transaction" at a time, in call order);
 *  - no card at the start of `withCard` → CardError NO_CARD;
 *  - card removed during `withCard` → every later transmit on that channel rejects with
 *    CardError CARD_REMOVED (even if the card is re-inserted meanwhile, like a PC/SC handle);
 *  - `resetAfter` resets the card when the operation ends, dropping verified PINs.
 */
import { CardError } from '../apdu/errors.ts';
import type { CardChannel, CardTransport } from '../card-transport.ts';
import { CardSlot, type CardSlotOptions } from './card-slot.ts';
import type { CardProfile } from './profile.ts';

export interface InProcessTransportOptions extends CardSlotOptions {
  readerName?: string;
}

export class InProcessTransport implements CardTransport {
  readonly readerName: string;
  readonly slot: CardSlot;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(card: CardProfile | CardSlot, opts: InProcessTransportOptions = {}) {
    this.slot = card instanceof CardSlot ? card : new CardSlot(card, opts);
    this.readerName = opts.readerName ?? 'Myna Companion emulator';
  }

  get card() {
    return this.slot.card;
  }

  get log() {
    return this.slot.log;
  }

  get faults() {
    return this.slot.faults;
  }

  atr(): Uint8Array {
    return this.slot.atr();
  }

  cardGeneration(): number {
    return this.slot.generation;
  }

  removeCard(): void {
    this.slot.remove();
  }

  insertCard(): void {
    this.slot.insert();
  }

  withCard<T>(fn: (ch: CardChannel) => Promise<T>, opts: { resetAfter?: boolean } = {}): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new CardError('NO_READER', { reader: this.readerName });
      if (!this.slot.present) throw new CardError('NO_CARD', { reader: this.readerName });
      const gen = this.slot.generation;
      let open = true;
      const alive = () => this.slot.present && this.slot.generation === gen;
      const channel: CardChannel = {
        transmit: async (apdu: Uint8Array) => {
          if (!open) throw new Error('CardChannel used after its withCard() ended');
          if (!alive()) throw new CardError('CARD_REMOVED', { reader: this.readerName });
          return this.slot.exchange(apdu);
        },
      };
      try {
        return await fn(channel);
      } finally {
        open = false;
        if (opts.resetAfter && alive()) this.slot.reset();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }
}
