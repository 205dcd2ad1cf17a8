import { createHash, verify, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EmulatedCard } from './card.ts';
import { loadResident, residentPath } from './load-profile.ts';
import { dataOf, h, swOf, toHex } from './test-profile.ts';

const present = existsSync(residentPath('resident-01'));
if (!present) console.warn('load-profile.test.ts: resources/demo/cards/resident-01.json not generated yet; skipped');

describe.skipIf(!present)('demo resident resident-01 in the emulator', () => {
  it('loads, serves its auth certificate and signs with the key that matches it', async () => {
    const p = await loadResident('resident-01');
    const card = new EmulatedCard(p);
    const send = (s: string) => card.handle(h(s));
    expect(swOf(send('00A4040C0AD392F000260100000001'))).toBe('9000');
    send('00A4020C02000A');
    expect(toHex(dataOf(send('00B00000000000')))).toBe(toHex(p.authCert));
    send('00A4020C020018');
    expect(
      swOf(send(`00200080${p.authPin.length.toString(16).padStart(2, '0')}${toHex(Buffer.from(p.authPin))}`)),
    ).toBe('9000');
    send('00A4020C020017');
    const digest = createHash('sha256').update('demo').digest('hex');
    const sig = dataOf(send(`802A0080333031300D060960864801650304020105000420${digest}00`));
    expect(verify('sha256', Buffer.from('demo'), new X509Certificate(p.authCert).publicKey, sig)).toBe(true);
  });

  it('rejects unknown residents with a clear error', async () => {
    await expect(loadResident('resident-99')).rejects.toThrow(/resident-99/);
  });
});
