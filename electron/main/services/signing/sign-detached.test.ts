/** CMS over any file, detached and attached, verified by openssl against the demo Sign CA. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CardError } from '../../../../native/apdu/errors.ts';
import { ATTACHED_CONTENT_LIMIT, signContent, signDigest } from './sign-detached.ts';
import { SigningError } from './signing-error.ts';
import { emulatedCard, opensslVerify } from './test-support.ts';

const doc = new TextEncoder().encode('契約書\r\n第1条 …\n');
const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('signContent / signDigest', () => {
  it('detached (default): no content inside; openssl verifies with -content', async () => {
    const { card } = await emulatedCard();
    const s = await signContent(card, doc, 'ABC123', { crossCheckWithPkijs: true });
    expect(s.attached).toBe(false);
    expect(Buffer.from(s.cms).indexOf(Buffer.from(doc))).toBe(-1);
    const v = opensslVerify(s.cms, doc);
    expect(v.status, v.stderr).toBe(0);
    const tampered = Uint8Array.from(doc);
    tampered[0] = (tampered[0] as number) ^ 1;
    expect(opensslVerify(s.cms, tampered).status).not.toBe(0);
  });

  it('attached: openssl recovers the exact bytes (binary, CRLFs kept)', async () => {
    const { card } = await emulatedCard();
    const s = await signContent(card, doc, 'ABC123', { attached: true, crossCheckWithPkijs: true });
    const v = opensslVerify(s.cms);
    expect(v.status, v.stderr).toBe(0);
    expect(Buffer.from(v.stdout).equals(Buffer.from(doc))).toBe(true);
  });

  it('from a digest only (streamed file): detached, verifies with openssl', async () => {
    const { card } = await emulatedCard();
    const s = await signDigest(card, sha(doc), 'ABC123');
    expect(opensslVerify(s.cms, doc).status).toBe(0);
    await expect(signDigest(card, new Uint8Array(31), 'ABC123')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('an empty file can be signed detached', async () => {
    const { card } = await emulatedCard();
    const s = await signContent(card, new Uint8Array(0), 'ABC123');
    expect(opensslVerify(s.cms, new Uint8Array(0)).status).toBe(0);
  });

  it('refuses attached content over the limit before touching the card', async () => {
    const { card, transport } = await emulatedCard();
    const mark = transport.log.mark('big');
    const big = new Uint8Array(ATTACHED_CONTENT_LIMIT + 1);
    await expect(signContent(card, big, 'ABC123', { attached: true })).rejects.toBeInstanceOf(SigningError);
    expect(transport.log.apdusSince(mark)).toHaveLength(0);
  });

  it('wrong password comes back as CardError PIN_INCORRECT', async () => {
    const { card } = await emulatedCard();
    await expect(signContent(card, doc, 'NOPE12')).rejects.toSatisfy(
      (e) => e instanceof CardError && e.code === 'PIN_INCORRECT' && e.details.remaining === 4,
    );
  });
});
