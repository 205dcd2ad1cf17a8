/**
 * Draft → signed package through the in-process emulator: the package opens with unzip, its
 * signature verifies with openssl against the demo Sign CA, the manifest pins the attachments;
 * and every way it can go wrong ends in a typed error with no package.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardError } from '../../../../native/apdu/errors.ts';
import { MynaCard } from '../../../../native/myna-card.ts';
import type { SignCard } from './card-signer.ts';
import { type PreparedApplication, prepareApplication } from './manifest.ts';
import { type SignedApplication, signApplication } from './sign-application.ts';
import { SigningError } from './signing-error.ts';
import {
  emulatedCard,
  FlippingTransport,
  opensslVerify,
  readZip,
  run,
  sampleDraft,
  samplePdf,
  tempDir,
} from './test-support.ts';

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const SIGN_APDU = '802A0080';

async function expectError<E extends CardError | SigningError>(
  p: Promise<unknown>,
  cls: abstract new (...args: never[]) => E,
  codes: string[],
): Promise<E> {
  let result: unknown;
  try {
    result = await p;
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect(codes).toContain((e as E).code);
    return e as E;
  }
  throw new Error(`expected ${codes.join('/')}, got a result: ${typeof result}`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('signApplication round trip (in-process emulator)', () => {
  it('produces a package that unzip, openssl and sha256 agree with', async () => {
    const { card, transport, profile } = await emulatedCard('resident-01');
    const draft = sampleDraft();
    const prepared = prepareApplication(draft);
    const now = new Date('2026-06-01T01:02:03Z');
    const mark = transport.log.mark('sign');
    const signed = await signApplication(card, prepared, 'abc123', { now, crossCheckWithPkijs: true });
    const headers = transport.log.apdusSince(mark).map((a) => a.header);
    expect(headers.filter((h) => h === '00200080')).toHaveLength(1); // one VERIFY
    expect(headers.filter((h) => h === SIGN_APDU)).toHaveLength(1); // one signature

    expect(hex(signed.signerCertificate)).toBe(hex(profile.signCert));
    expect(hex(signed.caCertificate)).toBe(hex(profile.signCaCert));
    expect(signed.signingTime.toISOString()).toBe('2026-06-01T01:02:03.000Z');
    expect(signed.selfCheck).toEqual([
      'der',
      'structure',
      'content',
      'certificates',
      'signer-info',
      'signed-attributes',
      'message-digest',
      'signing-certificate-v2',
      'signature',
      'pkijs',
    ]);

    // Without the PKI.js cross-check (the default, for speed) every other check still runs.
    const quick = await signApplication(card, prepared, 'ABC123', { now });
    expect(quick.selfCheck).toEqual(signed.selfCheck.slice(0, -1));

    // The ZIP: contract order, nothing else, byte for byte.
    const zip = readZip(signed.packageBytes);
    expect(zip.entries.map((e) => e.name)).toEqual([
      'manifest.json',
      'signature.p7s',
      'attachments/所得証明書.pdf',
      'attachments/photo.png',
    ]);
    expect(hex(zip.entries[0]?.data as Uint8Array)).toBe(hex(prepared.manifestBytes));
    expect(hex(zip.entries[1]?.data as Uint8Array)).toBe(hex(signed.cms));
    expect(hex(zip.entries[2]?.data as Uint8Array)).toBe(hex(draft.attachments[0]?.bytes as Uint8Array));

    // The manifest lists each attachment's hash and size, in package order.
    const manifest = JSON.parse(Buffer.from(prepared.manifestBytes).toString('utf8'));
    expect(manifest.format).toBe('myna-companion/application-package');
    expect(manifest.version).toBe(1);
    expect(manifest.procedure).toEqual({ id: 'jidou-teate-nintei' });
    expect(manifest.municipality).toEqual({ code: '131016' });
    for (const [i, a] of manifest.attachments.entries()) {
      const data = zip.entries[2 + i]?.data as Uint8Array;
      expect(a.sha256).toBe(sha256Hex(data));
      expect(a.size).toBe(data.length);
    }

    // By hand, as the README says: unzip, then openssl against the Sign CA recovers manifest.json.
    const dir = tempDir('myna-pkg-');
    const pkg = join(dir, 'x.mynapkg');
    writeFileSync(pkg, signed.packageBytes);
    expect(run('unzip', ['-t', pkg]).status).toBe(0);
    expect(run('python3', ['-m', 'zipfile', '-t', pkg]).status).toBe(0);
    const v = opensslVerify(signed.cms);
    expect(v.status, v.stderr).toBe(0);
    expect(hex(v.stdout)).toBe(hex(prepared.manifestBytes));
  });

  it('signs a package without attachments, and one at the 10 MiB attachment limit', async () => {
    const { card } = await emulatedCard('resident-06');
    const empty = await signApplication(card, prepareApplication(sampleDraft({ attachments: [] })), 'takasaki1989');
    expect(readZip(empty.packageBytes).entries.map((e) => e.name)).toEqual(['manifest.json', 'signature.p7s']);
    expect(opensslVerify(empty.cms).status).toBe(0);
    const big = samplePdf(10 * 1024 * 1024);
    const full = await signApplication(
      card,
      prepareApplication(
        sampleDraft({ attachments: [{ name: 'scan.pdf', mediaType: 'application/pdf', bytes: big }] }),
      ),
      'takasaki1989',
    );
    const entries = readZip(full.packageBytes).entries;
    expect(sha256Hex(entries[2]?.data as Uint8Array)).toBe(sha256Hex(big));
  });

  it('takes its own copy of the attachments: changing the caller’s buffer after preparing changes nothing', async () => {
    const { card } = await emulatedCard();
    const draft = sampleDraft();
    const prepared = prepareApplication(draft);
    draft.attachments[0]!.bytes.fill(0);
    const signed = await signApplication(card, prepared, 'ABC123');
    const entry = readZip(signed.packageBytes).entries[2]?.data as Uint8Array;
    expect(sha256Hex(entry)).toBe(prepared.manifest.attachments[0]?.sha256);
  });

  it('never writes to the console (no PIN, card data or payload in any log)', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const { card } = await emulatedCard();
    await signApplication(card, prepareApplication(sampleDraft()), 'ABC123');
    await expectError(signApplication(card, prepareApplication(sampleDraft()), 'ZZZ999'), CardError, ['PIN_INCORRECT']);
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });
});

describe('signApplication failures: typed errors, no package', () => {
  let prepared: PreparedApplication;
  const prep = () => {
    prepared ??= prepareApplication(sampleDraft());
    return prepared;
  };

  it('wrong password: PIN_INCORRECT with the tries left, and nothing is signed', async () => {
    const { card, transport } = await emulatedCard();
    const mark = transport.log.mark('wrong');
    const e = await expectError(signApplication(card, prep(), 'WRONG1'), CardError, ['PIN_INCORRECT']);
    expect(e.details).toMatchObject({ pin: 'sign', remaining: 4 });
    expect(transport.log.apdusSince(mark).map((a) => a.header)).not.toContain(SIGN_APDU);
    expect((await card.pinStatus('sign')).remaining).toBe(4);
    // and the right one still works afterwards (the counter resets)
    await signApplication(card, prep(), 'ABC123');
    expect((await card.pinStatus('sign')).remaining).toBe(5);
  });

  it('badly formed password: PIN_FORMAT, nothing sent to the card', async () => {
    const { card, transport } = await emulatedCard();
    await card.readCertificate('sign-ca');
    const mark = transport.log.mark('format');
    await expectError(signApplication(card, prep(), 'abc'), CardError, ['PIN_FORMAT']);
    expect(transport.log.apdusSince(mark).map((a) => a.header)).not.toContain('00200080');
  });

  it('blocked password (resident-04): PIN_BLOCKED, no signature APDU', async () => {
    const { card, transport } = await emulatedCard('resident-04');
    const mark = transport.log.mark('blocked');
    const e = await expectError(signApplication(card, prep(), 'TOME1925'), CardError, ['PIN_BLOCKED']);
    expect(e.details.remaining).toBe(0);
    expect(transport.log.apdusSince(mark).map((a) => a.header)).not.toContain(SIGN_APDU);
  });

  it('card removed at any point of the operation: CARD_REMOVED or NO_CARD, never a package', async () => {
    const base = await emulatedCard();
    const m = base.transport.log.mark('count');
    await signApplication(base.card, prep(), 'ABC123');
    const total = base.transport.log.apdusSince(m).length;
    expect(total).toBeGreaterThan(8);
    for (let n = 1; n < total; n++) {
      const { card, transport } = await emulatedCard();
      transport.faults.removeAfter(n);
      await expectError(signApplication(card, prep(), 'ABC123'), CardError, ['CARD_REMOVED', 'NO_CARD']);
    }
  });

  it('a card whose signature is damaged in transit: SELF_CHECK_FAILED, the signature never leaves', async () => {
    const { transport } = await emulatedCard();
    const card = new MynaCard(new FlippingTransport(transport));
    const e = await expectError(signApplication(card, prep(), 'ABC123'), SigningError, ['SELF_CHECK_FAILED']);
    expect(e.details.check).toBe('signature');
    expect(e.messageJa).toContain('自己検証');
  });

  it('the emulator’s corrupt fault on the signature APDU: SELF_CHECK_FAILED (flip) or MALFORMED_RESPONSE (truncate, oversize)', async () => {
    const base = await emulatedCard();
    const m = base.transport.log.mark('count');
    await signApplication(base.card, prep(), 'ABC123');
    const headers = base.transport.log.apdusSince(m).map((a) => a.header);
    const at = headers.indexOf(SIGN_APDU) + 1;
    const corrupted = async (mode: 'flip' | 'truncate' | 'oversize') => {
      const { card, transport } = await emulatedCard();
      transport.faults.corrupt(at, mode);
      return signApplication(card, prep(), 'ABC123');
    };
    await expectError(corrupted('flip'), SigningError, ['SELF_CHECK_FAILED']);
    await expectError(corrupted('truncate'), CardError, ['MALFORMED_RESPONSE']);
    await expectError(corrupted('oversize'), CardError, ['MALFORMED_RESPONSE']);
  });

  it('a card that reports a different certificate than it signed with: SELF_CHECK_FAILED', async () => {
    const { card } = await emulatedCard();
    const other = await emulatedCard('resident-02');
    const liar: SignCard = {
      readCertificate: (k) => card.readCertificate(k),
      signWithSignCertificate: async (pw, prepare) => {
        const r = await card.signWithSignCertificate(pw, prepare);
        return { signature: r.signature, certificate: other.profile.signCert };
      },
    };
    const e = await expectError(signApplication(liar, prep(), 'ABC123'), SigningError, ['SELF_CHECK_FAILED']);
    expect(['certificates', 'signer-info', 'signing-certificate-v2', 'signature']).toContain(e.details.check);
  });

  it('a sign certificate that is not a certificate: MALFORMED_RESPONSE, and the card is never asked to sign', async () => {
    const { card, transport } = await emulatedCard();
    let signed = false;
    const broken: SignCard = {
      readCertificate: (k) => card.readCertificate(k),
      signWithSignCertificate: async (pw, prepare) =>
        card.signWithSignCertificate(pw, async () => {
          await prepare(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]));
          signed = true;
          return new Uint8Array(51);
        }),
    };
    const mark = transport.log.mark('broken');
    await expectError(signApplication(broken, prep(), 'ABC123'), CardError, ['MALFORMED_RESPONSE']);
    expect(signed).toBe(false);
    expect(transport.log.apdusSince(mark).map((a) => a.header)).not.toContain(SIGN_APDU);
  });
});

describe('expired and revoked residents still sign (the verifier decides, DESIGN §7)', () => {
  for (const [id, pw] of [
    ['resident-02', 'TARO2580'],
    ['resident-03', 'KIGEN2025'],
  ] as const) {
    it(`${id}: the self-check passes; openssl without -attime reports the certificate`, async () => {
      const { card } = await emulatedCard(id);
      const signed: SignedApplication = await signApplication(card, prepareApplication(sampleDraft()), pw, {
        crossCheckWithPkijs: true,
      });
      expect(signed.selfCheck.at(-1)).toBe('pkijs');
      const v = opensslVerify(signed.cms);
      if (id === 'resident-03') expect(v.stderr).toMatch(/expired/);
      else expect(v.status).toBe(0); // revocation needs the CRL, which openssl is not given here
    });
  }
});
