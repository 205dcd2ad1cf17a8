import { describe, expect, it } from 'vitest';
import { CardError, isCardError } from '../apdu/errors.ts';
import type { CardChannel } from '../card-transport.ts';
import { Faults } from './faults.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { dataOf, h, makeTestProfile, swOf, TEST_PINS, toHex } from './test-profile.ts';

const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const sel = (fid: string) => `00A4020C02${fid}`;

async function tx(ch: CardChannel, apdu: string): Promise<string> {
  return swOf(await ch.transmit(h(apdu)));
}

function transport(opts: ConstructorParameters<typeof InProcessTransport>[1] = {}) {
  return new InProcessTransport(makeTestProfile(), opts);
}

describe('InProcessTransport', () => {
  it('implements CardTransport: reader name, ATR, transmit', async () => {
    const t = transport({ readerName: 'emulator' });
    expect(t.readerName).toBe('emulator');
    expect(toHex(t.atr())).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
    await expect(t.withCard((ch) => tx(ch, SELECT_JPKI))).resolves.toBe('9000');
  });

  it('serialises withCard calls in call order (no interleaving)', async () => {
    const t = transport();
    const order: string[] = [];
    const op = (name: string, waitMs: number) =>
      t.withCard(async (ch) => {
        order.push(`${name}:start`);
        await tx(ch, SELECT_JPKI);
        await new Promise((r) => setTimeout(r, waitMs));
        await tx(ch, sel('0006'));
        order.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([op('a', 30), op('b', 0), op('c', 10)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('a failing operation does not block the queue', async () => {
    const t = transport();
    await expect(t.withCard(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(t.withCard((ch) => tx(ch, SELECT_JPKI))).resolves.toBe('9000');
  });

  it('resetAfter drops verified PINs when the operation ends; without it they persist', async () => {
    const t = transport();
    const verifySign = (ch: CardChannel) =>
      tx(ch, SELECT_JPKI)
        .then(() => tx(ch, sel('001B')))
        .then(() => tx(ch, `0020008008${ascii(TEST_PINS.signPassword)}`));
    await t.withCard(verifySign);
    expect(t.card.sessionState().verified).toEqual(['sign']);
    await t.withCard(verifySign, { resetAfter: true });
    expect(t.card.sessionState()).toEqual({ ap: undefined, ef: undefined, verified: [] });
    expect(t.log.entries().at(-1)).toMatchObject({ kind: 'power', event: 'reset' });
  });

  it('a channel cannot be used after its withCard ended', async () => {
    const t = transport();
    let leaked: CardChannel | undefined;
    await t.withCard(async (ch) => {
      leaked = ch;
    });
    await expect(leaked?.transmit(h(SELECT_JPKI))).rejects.toThrow(/after its withCard/);
  });

  it('close() rejects later operations with NO_READER', async () => {
    const t = transport();
    await t.close();
    await expect(t.withCard(async () => 1)).rejects.toMatchObject({ code: 'NO_READER' });
  });
});

describe('card removal and insertion', () => {
  it('removeAfter n: APDU n is answered, the next transmit rejects with CARD_REMOVED', async () => {
    const t = transport({ faults: { removeAfter: 2 } });
    const seen: string[] = [];
    const err = await t
      .withCard(async (ch) => {
        seen.push(await tx(ch, SELECT_JPKI));
        seen.push(await tx(ch, sel('000A')));
        seen.push(await tx(ch, '00B0000004'));
      })
      .catch((e: unknown) => e);
    expect(seen).toEqual(['9000', '9000']);
    expect(err).toBeInstanceOf(CardError);
    expect((err as CardError).code).toBe('CARD_REMOVED');
    expect(t.atr().length).toBe(0);
    await expect(t.withCard(async () => 1)).rejects.toMatchObject({ code: 'NO_CARD' });
    t.insertCard();
    expect(toHex(t.atr())).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
    // one-shot: the re-inserted card works, and the card came back unpowered-then-powered
    await expect(t.withCard((ch) => tx(ch, '00B0000004'))).resolves.toBe('6986');
    expect(
      t.log
        .entries()
        .filter((e) => e.kind === 'card')
        .map((e) => (e as { event: string }).event),
    ).toEqual(['removed', 'inserted']);
  });

  it('removal during an operation kills that channel even if the card is re-inserted', async () => {
    const t = transport();
    const err = await t
      .withCard(async (ch) => {
        await tx(ch, SELECT_JPKI);
        t.removeCard();
        t.insertCard();
        await tx(ch, sel('000A'));
      })
      .catch((e: unknown) => e);
    expect(isCardError(err, 'CARD_REMOVED')).toBe(true);
    await expect(t.withCard((ch) => tx(ch, SELECT_JPKI))).resolves.toBe('9000');
  });

  it('removal clears verified state but not counters', async () => {
    const t = transport();
    await t.withCard(async (ch) => {
      await tx(ch, SELECT_JPKI);
      await tx(ch, sel('0018'));
      await tx(ch, `0020008004${ascii('0000')}`);
      await tx(ch, `0020008004${ascii(TEST_PINS.authPin)}`);
      await tx(ch, `0020008004${ascii('0000')}`);
    });
    t.removeCard();
    t.insertCard();
    expect(t.card.sessionState().verified).toEqual([]);
    expect(t.card.pins.triesLeft('auth')).toBe(2);
  });
});

describe('faults (changeable at run time)', () => {
  it('delay: every response is held back by N ms, and the log duration shows it', async () => {
    const t = transport();
    t.faults.setDelay(60);
    const start = performance.now();
    await t.withCard((ch) => tx(ch, SELECT_JPKI));
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
    expect(t.log.apdus().at(-1)?.durationMs).toBeGreaterThanOrEqual(55);
    t.faults.setDelay(0);
  });

  it('force-sw by INS applies once to the next matching APDU, which the card never sees', async () => {
    const t = transport({ faults: { forceSw: [{ ins: 0x20, sw: 0x6982 }] } });
    await t.withCard(async (ch) => {
      await tx(ch, SELECT_JPKI);
      await tx(ch, sel('0018'));
      expect(await tx(ch, `0020008004${ascii('0000')}`)).toBe('6982'); // forced: no try spent
      expect(await tx(ch, '00200080')).toBe('63C3');
    });
    expect(t.log.apdus().map((e) => e.fault ?? '')).toEqual(['', '', 'force-sw', '']);
  });

  it('force-sw by APDU number (counted from when it is armed)', async () => {
    const t = transport();
    await t.withCard((ch) => tx(ch, SELECT_JPKI));
    t.faults.forceSw({ apdu: 2, sw: 0x6a82 });
    await t.withCard(async (ch) => {
      expect(await tx(ch, SELECT_JPKI)).toBe('9000');
      expect(await tx(ch, SELECT_JPKI)).toBe('6A82');
      expect(await tx(ch, SELECT_JPKI)).toBe('9000');
    });
  });

  it('corrupt: flip keeps the SW and inverts the data; truncate leaves 1 byte; oversize adds 256 bytes', async () => {
    const t = transport();
    const profile = makeTestProfile();
    await t.withCard(async (ch) => {
      await tx(ch, SELECT_JPKI);
      await tx(ch, sel('000A'));
      t.faults.corrupt(1, 'flip');
      const flipped = await ch.transmit(h('00B0000004'));
      expect(swOf(flipped)).toBe('9000');
      expect([...dataOf(flipped)]).toEqual([...profile.authCert.subarray(0, 4)].map((b) => b ^ 0xff));
      t.faults.corrupt(1, 'truncate');
      expect((await ch.transmit(h('00B0000004'))).length).toBe(1);
      t.faults.corrupt(1, 'oversize');
      const big = await ch.transmit(h('00B0000004'));
      expect(big.length).toBe(4 + 256 + 2);
      expect(swOf(big)).toBe('9000');
      t.faults.corrupt(1, 'flip');
      expect(await tx(ch, sel('000A'))).toBe('6FFF'); // no data: the SW itself is flipped
      expect(await tx(ch, sel('000A'))).toBe('9000');
    });
    expect(t.log.apdus().map((e) => e.fault ?? '')).toEqual([
      '',
      '',
      'corrupt:flip',
      'corrupt:truncate',
      'corrupt:oversize',
      'corrupt:flip',
      '',
    ]);
    expect(t.log.apdus()[3]?.sw).toBe('');
  });

  it('lock a PIN at construction or at run time', async () => {
    const t = transport({ faults: new Faults({ lockPins: ['sign'] }) });
    expect(t.card.pins.triesLeft('sign')).toBe(0);
    t.faults.lockPin('auth');
    await t.withCard(async (ch) => {
      await tx(ch, SELECT_JPKI);
      await tx(ch, sel('0018'));
      expect(await tx(ch, '00200080')).toBe('63C0');
      expect(await tx(ch, `0020008004${ascii(TEST_PINS.authPin)}`)).toBe('6984');
    });
  });

  it('removeAfter at run time counts from when it is armed; clear() disarms everything', async () => {
    const t = transport();
    await t.withCard((ch) => tx(ch, SELECT_JPKI));
    t.faults.removeAfter(1);
    t.faults.setDelay(5);
    t.faults.clear();
    await t.withCard((ch) => tx(ch, SELECT_JPKI));
    expect(t.slot.present).toBe(true);
    t.faults.removeAfter(1);
    await t.withCard((ch) => tx(ch, SELECT_JPKI));
    expect(t.slot.present).toBe(false);
    expect(t.faults.apduCount).toBe(3);
  });

  it('rejects nonsensical fault settings', () => {
    const f = new Faults();
    expect(() => f.removeAfter(0)).toThrow(RangeError);
    expect(() => f.setDelay(-1)).toThrow(RangeError);
    expect(() => f.forceSw({ sw: 0x10000, ins: 1 })).toThrow(RangeError);
    expect(() => f.forceSw({ sw: 0x6982 })).toThrow(RangeError);
    expect(() => f.corrupt(0)).toThrow(RangeError);
  });
});
