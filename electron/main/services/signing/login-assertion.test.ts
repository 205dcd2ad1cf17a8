/** Login assertions: auth key over SHA-256(challenge ‖ origin), verified with the auth certificate. */
import { constants, randomBytes, verify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CardError } from '../../../../native/apdu/errors.ts';
import { loginAssertionMessage, originProblem, signLoginAssertion } from './login-assertion.ts';
import { SigningError } from './signing-error.ts';
import { emulatedCard } from './test-support.ts';

describe('signLoginAssertion', () => {
  it('signs challenge ‖ UTF-8(origin) with the auth key; crypto.verify accepts it with the auth certificate', async () => {
    const { card, profile, transport } = await emulatedCard();
    const challenge = new Uint8Array(randomBytes(32));
    const origin = 'http://127.0.0.1:43123';
    const mark = transport.log.mark('login');
    const r = await signLoginAssertion(card, { challenge, origin }, '1234');
    expect(Buffer.from(r.authCertificate).equals(Buffer.from(profile.authCert))).toBe(true);
    const key = new X509Certificate(r.authCertificate).publicKey;
    const msg = Buffer.concat([challenge, Buffer.from(origin, 'utf8')]);
    expect(verify('sha256', msg, { key, padding: constants.RSA_PKCS1_PADDING }, r.signature)).toBe(true);
    expect(verify('sha256', Buffer.concat([challenge, Buffer.from('https://evil.example')]), key, r.signature)).toBe(
      false,
    );
    expect(Buffer.from(loginAssertionMessage(challenge, origin)).equals(msg)).toBe(true);
    expect(transport.log.apdusSince(mark).map((a) => a.header)).toContain('802A0080');
  });

  it('validates the challenge (16–256 bytes) and the origin before touching the card', async () => {
    const { card, transport } = await emulatedCard();
    const mark = transport.log.mark('bad');
    const bad: [Uint8Array, string][] = [
      [new Uint8Array(15), 'https://portal.example'],
      [new Uint8Array(257), 'https://portal.example'],
      [new Uint8Array(32), 'https://portal.example/'],
      [new Uint8Array(32), 'https://portal.example/login'],
      [new Uint8Array(32), 'https://user@portal.example'],
      [new Uint8Array(32), 'http://portal.example'],
      [new Uint8Array(32), 'HTTPS://portal.example'],
      [new Uint8Array(32), 'https://portal.example:443'],
      [new Uint8Array(32), 'file:///etc/passwd'],
      [new Uint8Array(32), 'null'],
      [new Uint8Array(32), ''],
    ];
    for (const [challenge, origin] of bad) {
      await expect(signLoginAssertion(card, { challenge, origin }, '1234'), origin).rejects.toSatisfy(
        (e) => e instanceof SigningError && e.code === 'INPUT_INVALID',
      );
    }
    expect(transport.log.apdusSince(mark)).toHaveLength(0);
    for (const ok of [
      'https://portal.example',
      'https://portal.example:8443',
      'http://127.0.0.1:8080',
      'http://localhost:3000',
      'http://[::1]:9000',
    ]) {
      expect(originProblem(ok), ok).toBeUndefined();
    }
  });

  it('wrong PIN: PIN_INCORRECT with the tries left; nothing returned', async () => {
    const { card } = await emulatedCard();
    await expect(
      signLoginAssertion(card, { challenge: new Uint8Array(16), origin: 'https://p.example' }, '9999'),
    ).rejects.toSatisfy((e) => e instanceof CardError && e.code === 'PIN_INCORRECT' && e.details.remaining === 2);
  });
});
