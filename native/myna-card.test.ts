/**
 * Every MynaCard operation against the in-process emulator: results, the APDU count of each
 * (the protocol minimum of jpki-protocol §5.3), every status-word path and typed error.
 */
import { constants, createHash, createPublicKey, publicDecrypt, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CardError, type CardErrorCode } from './apdu/errors.ts';
import type { CardTransport } from './card-transport.ts';
import { InProcessTransport } from './emulator/in-process-transport.ts';
import { loadResident } from './emulator/load-profile.ts';
import type { CardProfile } from './emulator/profile.ts';
import { sha256DigestInfo } from './jpki/digest-info.ts';
import { MynaCard } from './myna-card.ts';

let alice: CardProfile;
let locked: CardProfile;
let oneLeft: CardProfile;
let rare: CardProfile;

beforeAll(async () => {
  alice = await loadResident('resident-01');
  locked = await loadResident('resident-04');
  oneLeft = await loadResident('resident-05');
  rare = await loadResident('resident-06');
});

function setup(profile: CardProfile = alice, opts: ConstructorParameters<typeof InProcessTransport>[1] = {}) {
  const t = new InProcessTransport(profile, opts);
  const card = new MynaCard(t);
  const count = async <T>(fn: () => Promise<T>): Promise<{ value: T; apdus: number; headers: string[] }> => {
    const mark = t.log.mark('op');
    const value = await fn();
    const a = t.log.apdusSince(mark);
    return { value, apdus: a.length, headers: a.map((x) => x.header) };
  };
  return { t, card, count };
}

async function expectCardError(p: Promise<unknown>, code: CardErrorCode): Promise<CardError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CardError);
    expect((e as CardError).code).toBe(code);
    return e as CardError;
  }
  throw new Error(`expected ${code}`);
}

const digestInfo = sha256DigestInfo(createHash('sha256').update('申請書').digest());

function verifySignature(certDer: Uint8Array, sig: Uint8Array): Uint8Array {
  const key = createPublicKey(
    new X509Certificate(Buffer.from(certDer)).publicKey.export({ format: 'pem', type: 'spki' }),
  );
  return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig);
}

describe('identify and certificates', () => {
  it('recognises the card by SELECT of the JPKI AID and reads the token (3 APDUs)', async () => {
    const { card, count } = setup();
    const r = await count(() => card.identify());
    expect(r.value).toEqual({ kind: 'mynumber-card', token: 'JPKIAPICCTOKEN2' });
    expect(r.apdus).toBe(3);
  });

  it('reads each public certificate at 2 + ceil(size/256) APDUs with short APDUs, 3 with extended', async () => {
    for (const [kind, der] of [
      ['auth', alice.authCert],
      ['auth-ca', alice.authCaCert],
      ['sign-ca', alice.signCaCert],
    ] as const) {
      const short = setup(alice);
      const s = await short.count(() => new MynaCard(short.t, { extendedLength: 'never' }).readCertificate(kind));
      expect(Buffer.from(s.value).equals(Buffer.from(der))).toBe(true);
      expect(s.apdus).toBe(2 + Math.ceil(der.length / 256));
      const ext = setup(alice);
      const e = await ext.count(() => ext.card.readCertificate(kind)); // 'auto': the ATR advertises extended length
      expect(Buffer.from(e.value).equals(Buffer.from(der))).toBe(true);
      expect(e.apdus).toBe(3);
    }
  });

  it('caches public certificates for the card it read them from, and forgets them on a new card', async () => {
    const { t, card, count } = setup();
    await card.readCertificate('auth');
    expect((await count(() => card.readCertificate('auth'))).apdus).toBe(0);
    t.removeCard();
    t.insertCard();
    expect((await count(() => card.readCertificate('auth'))).apdus).toBe(3);
  });

  it('reads the sign certificate only with the sign password', async () => {
    const { card, count } = setup();
    const r = await count(() => card.readSignCertificate('abc123'));
    expect(Buffer.from(r.value).equals(Buffer.from(alice.signCert))).toBe(true);
    expect(r.headers.slice(0, 4)).toEqual(['00A4040C', '00A4020C', '00200080', '00A4020C']);
    await expectCardError(card.readSignCertificate('WRONG123'), 'PIN_INCORRECT');
  });
});

describe('PIN status and VERIFY', () => {
  it('reads tries left without spending one (3 APDUs) for each PIN', async () => {
    const { card, count } = setup();
    for (const pin of ['auth', 'sign', 'kenhojo'] as const) {
      const r = await count(() => card.pinStatus(pin));
      expect(r.apdus).toBe(3);
      expect(r.value.state).toBe('ok');
    }
    expect((await card.pinStatuses()).map((p) => p.remaining)).toEqual([3, 5, 3]);
    expect((await card.pinStatuses()).map((p) => p.remaining)).toEqual([3, 5, 3]);
  });

  it('keeps the kenhojo counter separate from the auth PIN', async () => {
    const { card } = setup(oneLeft);
    const st = await card.pinStatuses();
    expect(st.find((p) => p.pin === 'auth')?.state).toBe('one-left');
    expect(st.find((p) => p.pin === 'kenhojo')?.remaining).toBe(3);
    // resident-05's kenhojo PIN differs from its auth PIN: the auth PIN must not open kenhojo
    await expectCardError(card.readBasicInfo(oneLeft.authPin), 'PIN_INCORRECT');
    expect((await card.pinStatus('auth')).remaining).toBe(1);
  });

  it('a wrong PIN reports the tries left, is not retried, and the last one blocks', async () => {
    const { t, card, count } = setup();
    const mark = t.log.mark('wrong');
    let e = await expectCardError(card.sign('auth', digestInfo, '0000'), 'PIN_INCORRECT');
    expect(e.details.remaining).toBe(2);
    expect(t.log.apdusSince(mark).filter((a) => a.header === '00200080' && a.lc)).toHaveLength(1);
    e = await expectCardError(card.sign('auth', digestInfo, '0000'), 'PIN_INCORRECT');
    expect(e.details.remaining).toBe(1);
    expect(e.messageEn).toContain('ONE try left');
    e = await expectCardError(card.sign('auth', digestInfo, '0000'), 'PIN_BLOCKED');
    expect(e.details.remaining).toBe(0);
    // Known blocked: refused without a single APDU, even with the right PIN.
    const r = await count(() => card.sign('auth', digestInfo, '1234').catch((x) => x));
    expect((r.value as CardError).code).toBe('PIN_BLOCKED');
    expect(r.apdus).toBe(0);
    // A fresh client learns it from the status query (6984 / 63C0) without a VERIFY with data
    const fresh = new MynaCard(t);
    expect((await fresh.pinStatus('auth')).state).toBe('blocked');
  });

  it('a PIN blocked on the card answers 6984 to VERIFY: PIN_BLOCKED, with the way out', async () => {
    const { card } = setup(locked);
    expect((await card.pinStatus('sign')).state).toBe('blocked');
    const fresh = setup(locked);
    const e = await expectCardError(fresh.card.sign('sign', digestInfo, locked.signPassword), 'PIN_BLOCKED');
    expect(e.messageJa).toContain('窓口');
  });

  it('a PIN of the wrong shape never reaches the card', async () => {
    const { card, count } = setup();
    for (const [key, pin] of [
      ['auth', '12345'],
      ['auth', 'abcd'],
      ['sign', 'ABC'],
      ['sign', 'ABCDEFGH'],
      ['sign', 'ABC_123'],
    ] as const) {
      const r = await count(() => card.sign(key, digestInfo, pin).catch((x) => x));
      expect((r.value as CardError).code).toBe('PIN_FORMAT');
      expect(r.apdus).toBe(0);
    }
    expect((await card.pinStatuses()).map((p) => p.remaining)).toEqual([3, 5, 3]);
  });
});

describe('PIN hygiene', () => {
  it('the bytes that carried the PIN are zero-filled once the card has answered', async () => {
    const inner = new InProcessTransport(alice);
    const sent: { ins: number; length: number; bytes: Uint8Array }[] = [];
    const spy: CardTransport = {
      readerName: 'spy',
      atr: () => inner.atr(),
      withCard: (fn, o) =>
        inner.withCard(
          (ch) =>
            fn({
              transmit: (apdu) => {
                sent.push({ ins: apdu[1] as number, length: apdu.length, bytes: apdu });
                return ch.transmit(apdu.slice());
              },
            }),
          o,
        ),
      close: () => inner.close(),
    };
    const card = new MynaCard(spy);
    await card.sign('sign', digestInfo, 'ABC123');
    await card.changePin('auth', '1234', '5678');
    const pinCommands = sent.filter((a) => (a.ins === 0x20 || a.ins === 0x24) && a.length > 5);
    expect(pinCommands).toHaveLength(3);
    for (const a of pinCommands) expect(a.bytes.every((b) => b === 0)).toBe(true);
    // and the signing input was not touched
    expect(sent.find((a) => a.ins === 0x2a)?.bytes.subarray(5, 56)).toEqual(digestInfo);
  });
});

describe('signatures', () => {
  it('signs a DigestInfo with the auth key and the sign key in exactly 5 APDUs each', async () => {
    for (const [key, pin, cert] of [
      ['auth', '1234', alice.authCert],
      ['sign', 'abc123', alice.signCert],
    ] as const) {
      const { card, count } = setup();
      const r = await count(() => card.sign(key, digestInfo, pin));
      expect(r.apdus).toBe(5);
      expect(r.headers).toEqual(['00A4040C', '00A4020C', '00200080', '00A4020C', '802A0080']);
      expect(Buffer.from(verifySignature(cert, r.value)).equals(Buffer.from(digestInfo))).toBe(true);
    }
  });

  it('resets the card after a PIN operation so the verified state does not outlive it', async () => {
    const { t, card } = setup();
    await card.sign('sign', digestInfo, 'ABC123');
    // A raw SELECT key + sign without VERIFY must now be refused by the card
    const raw = await t.withCard(async (c) => {
      await c.transmit(
        Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]),
      );
      await c.transmit(Uint8Array.from([0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x1a]));
      return c.transmit(Uint8Array.from([0x80, 0x2a, 0x00, 0x80, 0x33, ...digestInfo, 0x00]));
    });
    expect(Buffer.from(raw.subarray(-2)).toString('hex')).toBe('6982');
  });

  it('signs with the sign certificate under one VERIFY, in one transaction', async () => {
    const { card, count } = setup();
    let seen: Uint8Array | undefined;
    const r = await count(() =>
      card.signWithSignCertificate('abc123', (cert) => {
        seen = cert;
        return digestInfo;
      }),
    );
    expect(Buffer.from(seen!).equals(Buffer.from(alice.signCert))).toBe(true);
    expect(Buffer.from(r.value.certificate).equals(Buffer.from(alice.signCert))).toBe(true);
    expect(r.headers.filter((h) => h === '00200080')).toHaveLength(1);
    expect(r.apdus).toBe(7); // SELECT AP, SELECT 001B, VERIFY, SELECT 0001, one extended READ, SELECT 001A, SIGN
    expect(Buffer.from(verifySignature(alice.signCert, r.value.signature)).equals(Buffer.from(digestInfo))).toBe(true);
  });

  it('signs nothing when the caller cannot prepare the input', async () => {
    const { card, count } = setup();
    const r = await count(() =>
      card
        .signWithSignCertificate('abc123', () => {
          throw new Error('bad draft');
        })
        .catch((e: Error) => e.message),
    );
    expect(r.value).toBe('bad draft');
    expect(r.headers).not.toContain('802A0080');
  });

  it('refuses a signing input that cannot fit a 2048-bit PKCS#1 block', async () => {
    const { card } = setup();
    await expect(card.sign('auth', new Uint8Array(246), '1234')).rejects.toThrow(RangeError);
  });
});

describe('kenhojo', () => {
  it('reads the basic 4 information in 5 APDUs', async () => {
    const { card, count } = setup();
    const r = await count(() => card.readBasicInfo('1234'));
    expect(r.apdus).toBe(5);
    expect(r.value).toEqual(alice.basic4);
  });

  it('reads long addresses and characters outside the BMP (BER long form)', async () => {
    const { card } = setup(rare);
    expect(await card.readBasicInfo(rare.kenhojoPin)).toEqual(rare.basic4);
  });

  it('reads the My Number in 5 APDUs', async () => {
    const { card, count } = setup();
    const r = await count(() => card.readMyNumber('1234'));
    expect(r.apdus).toBe(5);
    expect(r.value).toBe(alice.myNumber);
  });
});

describe('PIN change', () => {
  it('changes a PIN after verifying the old one (4 APDUs); the new one works, the old one does not', async () => {
    const { card, count } = setup();
    const r = await count(() => card.changePin('kenhojo', '1234', '４３２１'));
    expect(r.apdus).toBe(4);
    expect(r.headers[3]).toBe('00240180');
    expect((await card.readBasicInfo('4321')).name).toBe(alice.basic4.name);
    await expectCardError(card.readBasicInfo('1234'), 'PIN_INCORRECT');
  });

  it('refuses a new PIN of the wrong shape before anything is sent', async () => {
    const { card, count } = setup();
    const r = await count(() => card.changePin('sign', 'ABC123', 'short').catch((x) => x));
    expect((r.value as CardError).code).toBe('PIN_FORMAT');
    expect(r.apdus).toBe(0);
  });

  it('a wrong current PIN changes nothing', async () => {
    const { card } = setup();
    await expectCardError(card.changePin('auth', '9999', '1111'), 'PIN_INCORRECT');
    expect((await card.sign('auth', digestInfo, '1234')).length).toBe(256);
  });
});

describe('faults and bad cards', () => {
  it('a card removed in the middle of a signature gives CARD_REMOVED and spends no try', async () => {
    const { t, card } = setup(alice);
    t.faults.removeAfter(t.faults.apduCount + 2); // after SELECT AP and SELECT PIN EF, before VERIFY
    await expectCardError(card.sign('sign', digestInfo, 'ABC123'), 'CARD_REMOVED');
    t.insertCard();
    expect((await card.pinStatus('sign')).remaining).toBe(5);
  });

  it('no card → NO_CARD; closed transport → NO_READER', async () => {
    const { t, card } = setup(alice, { present: false });
    await expectCardError(card.identify(), 'NO_CARD');
    await t.close();
    await expectCardError(card.identify(), 'NO_READER');
  });

  it('a card without the JPKI AP is NOT_MYNUMBER_CARD', async () => {
    const { t, card } = setup();
    t.faults.forceSw({ ins: 0xa4, sw: 0x6a82 });
    await expectCardError(card.identify(), 'NOT_MYNUMBER_CARD');
  });

  it('an unexpected status word is UNEXPECTED_SW with the SW, and nothing crashes', async () => {
    const { t, card } = setup();
    t.faults.forceSw({ ins: 0xb0, sw: 0x6f00 });
    const e = await expectCardError(card.readCertificate('auth'), 'UNEXPECTED_SW');
    expect(e.details.sw).toBe('6F00');
    t.faults.forceSw({ ins: 0x2a, sw: 0x6982 });
    await expectCardError(card.sign('auth', digestInfo, '1234'), 'SECURITY_STATUS');
    t.faults.forceSw({ ins: 0x20, sw: 0x6a88 });
    await expectCardError(card.pinStatus('auth'), 'UNEXPECTED_SW');
  });

  it('truncated, oversized and corrupted responses are MALFORMED_RESPONSE', async () => {
    for (const [mode, op] of [
      ['truncate', 3],
      ['oversize', 3],
      ['flip', 3],
    ] as const) {
      const { t } = setup();
      t.faults.corrupt(t.faults.apduCount + op, mode); // the first READ BINARY of the certificate
      await expectCardError(new MynaCard(t, { extendedLength: 'never' }).readCertificate('auth'), 'MALFORMED_RESPONSE');
    }
    const { t, card } = setup();
    t.faults.corrupt(t.faults.apduCount + 5, 'truncate'); // the signature
    await expectCardError(card.sign('auth', digestInfo, '1234'), 'MALFORMED_RESPONSE');
    const k = setup();
    k.t.faults.corrupt(k.t.faults.apduCount + 5, 'flip'); // the basic 4 file
    await expectCardError(k.card.readBasicInfo('1234'), 'MALFORMED_RESPONSE');
  });

  it('a transport that hangs is bounded by its own timeout, not ours — MynaCard adds no retry', async () => {
    let calls = 0;
    const flaky: CardTransport = {
      readerName: 'flaky',
      atr: () => new Uint8Array(0),
      withCard: async (fn) =>
        fn({
          transmit: async () => {
            calls++;
            throw new CardError('TIMEOUT');
          },
        }),
      close: async () => {},
    };
    await expectCardError(new MynaCard(flaky).sign('auth', digestInfo, '1234'), 'TIMEOUT');
    expect(calls).toBe(1);
  });
});
