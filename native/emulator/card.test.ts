import { createHash, publicDecrypt, verify, X509Certificate } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmulatedCard, MYNA_ATR } from './card.ts';
import { MY_NUMBER_EF_SIZE } from './kenhojo-ber.ts';
import type { CardProfile } from './profile.ts';
import { dataOf, h, makeTestProfile, swOf, TEST_PINS, toHex } from './test-profile.ts';

const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const SELECT_KENHOJO = '00A4040C0AD3921000310001010408';
const SELECT_KENKAKU = '00A4040C0AD3921000310001010402';
const SELECT_JUKI = '00A4040C0AD3921000310001010100';
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const sel = (fid: string) => `00A4020C02${fid}`;
const verifyApdu = (pin: string) => `00200080${pin.length.toString(16).padStart(2, '0')}${ascii(pin)}`;
const SHA256_PREFIX = '3031300D060960864801650304020105000420';
const digestInfo = (msg: string) => `${SHA256_PREFIX}${createHash('sha256').update(msg).digest('hex').toUpperCase()}`;

let profile: CardProfile;
let card: EmulatedCard;

function send(apdu: string): Uint8Array {
  return card.handle(h(apdu));
}
function sw(apdu: string): string {
  return swOf(send(apdu));
}
/** Reads a whole EF the way OpenSC does: 4-byte header read, then 256-byte chunks. */
function readLikeOpenSc(): Uint8Array {
  const head = send('00B0000004');
  expect(swOf(head)).toBe('9000');
  const d = dataOf(head);
  expect(d[0]).toBe(0x30);
  expect(d[1]).toBe(0x82);
  const size = (((d[2] as number) << 8) | (d[3] as number)) + 4;
  const out: number[] = [];
  while (out.length < size) {
    const n = Math.min(256, size - out.length);
    const off = out.length;
    const r = send(`00B0${off.toString(16).padStart(4, '0')}${n === 256 ? '00' : n.toString(16).padStart(2, '0')}`);
    expect(swOf(r)).toBe('9000');
    out.push(...dataOf(r));
  }
  return Uint8Array.from(out);
}

beforeEach(() => {
  profile = makeTestProfile();
  card = new EmulatedCard(profile);
});

describe('ATR and power (jpki-protocol §4.1, §6.3)', () => {
  it('presents the contact My Number Card ATR', () => {
    expect(toHex(card.atr)).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
    expect(toHex(MYNA_ATR)).toBe(toHex(card.atr));
  });

  for (const transition of ['powerOff', 'powerOn', 'reset'] as const) {
    it(`${transition} clears AP, EF and verified PINs but keeps counters`, () => {
      sw(SELECT_JPKI);
      sw(sel('001B'));
      expect(sw(verifyApdu('WRONG1'))).toBe('63C4');
      expect(sw(verifyApdu(TEST_PINS.signPassword))).toBe('9000');
      expect(sw(verifyApdu('WRONG1'))).toBe('63C4');
      expect(sw(verifyApdu(TEST_PINS.signPassword))).toBe('9000');
      expect(card.sessionState()).toEqual({ ap: 'jpki', ef: 0x1b, verified: ['sign'] });
      expect(sw(verifyApdu('WRONG1'))).toBe('63C4');
      card[transition]();
      expect(card.sessionState()).toEqual({ ap: undefined, ef: undefined, verified: [] });
      if (transition === 'powerOff') card.powerOn();
      expect(sw('00B0000004')).toBe('6986'); // no EF any more
      sw(SELECT_JPKI);
      sw(sel('001B'));
      expect(sw('00200080')).toBe('63C4'); // the failed try survived the power cycle
      sw(sel('0001'));
      expect(sw('00B0000004')).toBe('6982');
    });
  }

  it('an APDU to an unpowered card powers it (never throws)', () => {
    card.powerOff();
    expect(sw(SELECT_JPKI)).toBe('9000');
  });
});

describe('SELECT (jpki-protocol §1)', () => {
  it('selects every known AP with P2=0C and returns no data', () => {
    for (const a of [SELECT_JPKI, SELECT_KENHOJO, SELECT_KENKAKU, SELECT_JUKI]) {
      const r = send(a);
      expect(toHex(r)).toBe('9000');
    }
  });

  it('accepts P2=00 (FCI requested) and answers 9000 without FCI', () => {
    expect(toHex(send('00A404000AD392F00026010000000100'))).toBe('9000');
    expect(sw(sel('000A').replace('020C', '0200'))).toBe('9000');
  });

  it('unknown AID → 6A82 and the current selection is kept', () => {
    sw(SELECT_JPKI);
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    expect(sw('00A4040C07A0000000791000')).toBe('6A82');
    expect(sw('00A4040007627601FF00000000')).toBe('6A82'); // OpenSC probe, case 4
    expect(card.sessionState()).toEqual({ ap: 'jpki', ef: 0x18, verified: ['auth'] });
  });

  it('unknown FID, an FID of another AP, or no AP → 6A82', () => {
    expect(sw(sel('000A'))).toBe('6A82'); // nothing selected yet
    sw(SELECT_JPKI);
    expect(sw(sel('0011'))).toBe('6A82'); // kenhojo PIN is not in the JPKI AP
    expect(sw(sel('1234'))).toBe('6A82');
    sw(SELECT_KENHOJO);
    expect(sw(sel('000A'))).toBe('6A82');
    sw(SELECT_KENKAKU);
    expect(sw(sel('0001'))).toBe('6A82'); // kenkaku is selectable but empty
  });

  it('P1=09 does not work (OpenSC #801) → 6A86; other P1/P2 → 6A86; bad lengths → 6700', () => {
    sw(SELECT_JPKI);
    expect(sw('00A4090C02000A')).toBe('6A86');
    expect(sw('00A4000C023F00')).toBe('6A86');
    expect(sw('00A4040C05D392')).toBe('6700'); // malformed: Lc mismatch
    expect(sw('00A4020402000A')).toBe('6A86');
    expect(sw('00A4020C03000A00')).toBe('6700');
    expect(sw('00A4040C11D392F000260100000001000000000000000000')).toBe('6700');
  });

  it('SELECT AP (even the same one) clears verified PINs and the current EF', () => {
    sw(SELECT_JPKI);
    sw(sel('001B'));
    expect(sw(verifyApdu(TEST_PINS.signPassword))).toBe('9000');
    sw(sel('0001'));
    expect(sw('00B0000004')).toBe('9000');
    sw(SELECT_JPKI);
    expect(sw('00B0000004')).toBe('6986');
    sw(sel('0001'));
    expect(sw('00B0000004')).toBe('6982');
  });
});

describe('READ BINARY (jpki-protocol §2.2)', () => {
  beforeEach(() => {
    sw(SELECT_JPKI);
  });

  it('token EF 0006: "JPKIAPICCTOKEN2" padded with spaces to 32 bytes', () => {
    sw(sel('0006'));
    const r = send('00B0000020');
    expect(swOf(r)).toBe('9000');
    expect(Buffer.from(dataOf(r)).toString('latin1')).toBe('JPKIAPICCTOKEN2'.padEnd(32, ' '));
  });

  it('free certificates read OpenSC-style (4-byte header, 256-byte chunks) equal the profile', () => {
    for (const [fid, der] of [
      ['000A', profile.authCert],
      ['000B', profile.authCaCert],
      ['0002', profile.signCaCert],
    ] as const) {
      expect(sw(sel(fid))).toBe('9000');
      expect(toHex(readLikeOpenSc())).toBe(toHex(der));
    }
  });

  it('Le 00 = 256; Le beyond the end → the remaining bytes + 9000 (never 61xx/6Cxx)', () => {
    sw(sel('000A'));
    const size = profile.authCert.length;
    expect(dataOf(send('00B0000000')).length).toBe(256);
    const lastOff = size - 10;
    const r = send(`00B0${lastOff.toString(16).padStart(4, '0')}00`);
    expect(swOf(r)).toBe('9000');
    expect(toHex(dataOf(r))).toBe(toHex(profile.authCert.subarray(lastOff)));
  });

  it('P1P2 is a 15-bit offset', () => {
    sw(sel('000A'));
    const r = send('00B0010010');
    expect(toHex(dataOf(r))).toBe(toHex(profile.authCert.subarray(0x100, 0x110)));
  });

  it('extended Le: 00 00 00 = 65536 reads the whole certificate in one APDU', () => {
    sw(sel('000A'));
    const r = send('00B00000000000');
    expect(swOf(r)).toBe('9000');
    expect(toHex(dataOf(r))).toBe(toHex(profile.authCert));
    const r2 = send('00B0000700012C'); // offset 7, Le 300 extended
    expect(toHex(dataOf(r2))).toBe(toHex(profile.authCert.subarray(7, 307)));
  });

  it('offset at or past the end → 6B00', () => {
    sw(sel('000A'));
    const size = profile.authCert.length;
    expect(sw(`00B0${size.toString(16).padStart(4, '0')}01`)).toBe('6B00');
    expect(sw('00B07FFF01')).toBe('6B00');
  });

  it('no EF selected → 6986; key and PIN EFs are never readable → 6986', () => {
    expect(sw('00B0000004')).toBe('6986');
    for (const fid of ['0017', '0018', '001A', '001B']) {
      sw(sel(fid));
      expect(sw('00B0000004')).toBe('6986');
    }
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    sw(sel('0017'));
    expect(sw('00B0000004')).toBe('6986');
  });

  it('missing Le or command data → 6700', () => {
    sw(sel('000A'));
    expect(sw('00B00000')).toBe('6700');
    expect(sw('00B0000001AA')).toBe('6700');
  });

  it('sign certificate 0001 needs the sign PIN in this AP session (jpki-protocol §2.1)', () => {
    sw(sel('0001'));
    expect(sw('00B0000004')).toBe('6982');
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin)); // the auth PIN does not open it
    sw(sel('0001'));
    expect(sw('00B0000004')).toBe('6982');
    sw(sel('001B'));
    expect(sw(verifyApdu(TEST_PINS.signPassword))).toBe('9000');
    sw(sel('0001'));
    expect(toHex(readLikeOpenSc())).toBe(toHex(profile.signCert));
  });

  it('the SFI form is refused in the JPKI AP (unconfirmed there) → 6A82', () => {
    expect(sw('00B08A0004')).toBe('6A82');
  });
});

describe('kenhojo AP (jpki-protocol §3)', () => {
  beforeEach(() => {
    sw(SELECT_KENHOJO);
  });

  it('EF 0001/0002 need the kenhojo PIN → 6982 without it', () => {
    sw(sel('0001'));
    expect(sw('00B0000011')).toBe('6982');
    sw(sel('0002'));
    expect(sw('00B0000007')).toBe('6982');
    expect(sw('00B0820000')).toBe('6982');
  });

  it('My Number EF: DF 10 0C + 12 digits in a 17-byte file; a 17-byte read succeeds', () => {
    sw(sel('0011'));
    expect(sw(verifyApdu(TEST_PINS.kenhojoPin))).toBe('9000');
    sw(sel('0001'));
    const r = send('00B0000011');
    expect(swOf(r)).toBe('9000');
    const d = dataOf(r);
    expect(d.length).toBe(MY_NUMBER_EF_SIZE);
    expect(toHex(d.subarray(0, 3))).toBe('DF100C');
    expect(Buffer.from(d.subarray(3, 15)).toString('latin1')).toBe(profile.myNumber);
    expect(toHex(dataOf(send('00B0000000')))).toBe(toHex(d)); // Le 256 → the whole 17 bytes
  });

  it('basic-4 EF: FF20 with a non-minimal 82 00 xx length, DF21 offsets, DF22–DF25 values', () => {
    sw(sel('0011'));
    sw(verifyApdu(TEST_PINS.kenhojoPin));
    sw(sel('0002'));
    // myna-rs style: 7 bytes, then the rest from offset 7
    const head = dataOf(send('00B0000007'));
    expect(toHex(head.subarray(0, 3))).toBe('FF2082');
    expect(head[3]).toBe(0x00);
    const total = 5 + (head[4] as number);
    const rest = dataOf(send(`00B00007${(total - 7).toString(16).padStart(2, '0')}`));
    const file = new Uint8Array([...head, ...rest]);
    expect(file.length).toBe(total);
    // lenient walk of the private-class TLVs
    const tlvs = new Map<number, { at: number; value: Uint8Array }>();
    let i = 5;
    while (i < file.length) {
      const tag = ((file[i] as number) << 8) | (file[i + 1] as number);
      const len = file[i + 2] as number;
      expect(len).toBeLessThan(0x80);
      tlvs.set(tag, { at: i, value: file.subarray(i + 3, i + 3 + len) });
      i += 3 + len;
    }
    const text = (tag: number) => new TextDecoder().decode(tlvs.get(tag)?.value);
    expect(text(0xdf22)).toBe(profile.basic4.name);
    expect(text(0xdf23)).toBe(profile.basic4.address);
    expect(text(0xdf24)).toBe(profile.basic4.birthDate);
    expect(text(0xdf25)).toBe(profile.basic4.sex);
    const offsets = tlvs.get(0xdf21)?.value as Uint8Array;
    expect(offsets.length).toBe(8);
    [0xdf22, 0xdf23, 0xdf24, 0xdf25].forEach((tag, k) => {
      expect(((offsets[2 * k] as number) << 8) | (offsets[2 * k + 1] as number)).toBe(tlvs.get(tag)?.at);
    });
  });

  it("jsapdu's short forms: VERIFY 00 20 00 91 without SELECT, READ 00 B0 82 00 with extended Le", () => {
    expect(sw(`00200091${'04'}${ascii(TEST_PINS.kenhojoPin)}`)).toBe('9000');
    const r = send('00B08200000000');
    expect(swOf(r)).toBe('9000');
    expect(toHex(dataOf(r).subarray(0, 4))).toBe('FF208200');
    // The SFI read made 0002 current; offset via P2
    expect(toHex(dataOf(send('00B0000203')))).toBe(toHex(dataOf(r).subarray(2, 5)));
    const myNumber = dataOf(send('00B0810003'));
    expect(toHex(myNumber)).toBe('DF100C');
    expect(toHex(dataOf(send('00B08103FF')))).toBe(`${ascii(profile.myNumber)}0000`);
  });

  it('SFI form errors: bits 6–7 of P1 set → 6A86; no EF with that SFI → 6A82', () => {
    expect(sw('00B0A20000')).toBe('6A86');
    expect(sw('00B0850000')).toBe('6A82');
  });

  it('VERIFY by SFI reference to a non-PIN EF → 6A88; bad P2 → 6A86', () => {
    expect(sw(`0020009204${ascii('1111')}`)).toBe('6A88');
    expect(sw(`0020009E04${ascii('1111')}`)).toBe('6A88');
    expect(sw(`002000C104${ascii('1111')}`)).toBe('6A86');
    expect(sw(`0020000104${ascii('1111')}`)).toBe('6A86');
    expect(sw('00200091')).toBe('63C3'); // nothing was spent
  });
});

describe('VERIFY (jpki-protocol §2.3)', () => {
  beforeEach(() => {
    sw(SELECT_JPKI);
  });

  it('empty VERIFY returns tries left without spending one', () => {
    sw(sel('0018'));
    expect(sw('00200080')).toBe('63C3');
    expect(sw('00200080')).toBe('63C3');
    sw(sel('001B'));
    expect(sw('00200080')).toBe('63C5');
  });

  it('wrong PIN counts down to 63C0; then the status query says 63C0 and a VERIFY with data 6984', () => {
    sw(sel('0018'));
    expect(sw(verifyApdu('0000'))).toBe('63C2');
    expect(sw(verifyApdu('0000'))).toBe('63C1');
    expect(sw(verifyApdu('0000'))).toBe('63C0');
    expect(sw('00200080')).toBe('63C0');
    expect(sw(verifyApdu(TEST_PINS.authPin))).toBe('6984');
    expect(card.pins.triesLeft('auth')).toBe(0);
    sw(sel('0017'));
    expect(sw(`802A008033${digestInfo('x')}00`)).toBe('6982');
  });

  it('a correct PIN resets the counter to its maximum', () => {
    sw(sel('001B'));
    expect(sw(verifyApdu('BAD000'))).toBe('63C4');
    expect(sw(verifyApdu('BAD000'))).toBe('63C3');
    expect(sw(verifyApdu(TEST_PINS.signPassword))).toBe('9000');
    expect(sw('00200080')).toBe('63C5');
  });

  it('the card compares the sign password as stored: lower case is wrong', () => {
    sw(sel('001B'));
    expect(sw(verifyApdu(TEST_PINS.signPassword.toLowerCase()))).toBe('63C4');
  });

  it('a PIN of the wrong length is compared (and fails) like any wrong PIN', () => {
    sw(sel('0018'));
    expect(sw(verifyApdu('98710'))).toBe('63C2');
  });

  it('a failed VERIFY drops an earlier success for that PIN', () => {
    sw(sel('001B'));
    sw(verifyApdu(TEST_PINS.signPassword));
    sw(verifyApdu('BAD000'));
    sw(sel('0001'));
    expect(sw('00B0000004')).toBe('6982');
  });

  it('P2=80 without a PIN EF current → 6986; P1≠00 → 6A86', () => {
    expect(sw(verifyApdu('1111'))).toBe('6986');
    sw(sel('000A'));
    expect(sw(verifyApdu('1111'))).toBe('6986');
    expect(sw('00200080')).toBe('6986');
    sw(sel('0018'));
    expect(sw(`00200180${'04'}${ascii('1111')}`)).toBe('6A86');
    expect(sw('00200080')).toBe('63C3');
  });

  it('SFI references are refused in the JPKI AP (00 20 00 98 is unconfirmed) → 6A86', () => {
    expect(sw(`0020009804${ascii(TEST_PINS.authPin)}`)).toBe('6A86');
    sw(sel('0018'));
    expect(sw('00200080')).toBe('63C3');
  });
});

describe('CHANGE REFERENCE DATA (jpki-protocol §2.5)', () => {
  beforeEach(() => {
    sw(SELECT_JPKI);
  });

  it('needs the PIN verified in this session → 6982', () => {
    sw(sel('0018'));
    expect(sw(`0024018004${ascii('5555')}`)).toBe('6982');
  });

  it('changes the PIN after VERIFY; old one is wrong afterwards', () => {
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    expect(sw(`0024018004${ascii('5555')}`)).toBe('9000');
    sw(SELECT_JPKI);
    sw(sel('0018'));
    expect(sw(verifyApdu(TEST_PINS.authPin))).toBe('63C2');
    expect(sw(verifyApdu('5555'))).toBe('9000');
  });

  it('validates the new value: bad length → 6700, bad characters → 6A80', () => {
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    expect(sw(`0024018003${ascii('555')}`)).toBe('6700');
    expect(sw(`0024018005${ascii('55555')}`)).toBe('6700');
    expect(sw(`0024018004${ascii('55A5')}`)).toBe('6A80');
    sw(sel('001B'));
    sw(verifyApdu(TEST_PINS.signPassword));
    expect(sw(`0024018005${ascii('ABC12')}`)).toBe('6700');
    expect(sw(`0024018011${ascii('ABCDEFGH123456789')}`)).toBe('6700');
    expect(sw(`0024018006${ascii('abc123')}`)).toBe('6A80');
    expect(sw(`0024018006${ascii('ABCDEF')}`)).toBe('6A80');
    expect(sw(`0024018006${ascii('123456')}`)).toBe('6A80');
    expect(sw(`0024018010${ascii('ABCDEFGH12345678')}`)).toBe('9000');
  });

  it('blocked → 6984; P1 other than 01 → 6A86; no PIN EF → 6986', () => {
    sw(sel('0018'));
    expect(sw(`0024008008${ascii('98715555')}`)).toBe('6A86');
    card.pins.lock('auth');
    expect(sw(`0024018004${ascii('5555')}`)).toBe('6984');
    sw(sel('000A'));
    expect(sw(`0024018004${ascii('5555')}`)).toBe('6986');
  });

  it('kenhojo PIN by SFI reference (00 24 01 91)', () => {
    sw(SELECT_KENHOJO);
    expect(sw(`00200091${'04'}${ascii(TEST_PINS.kenhojoPin)}`)).toBe('9000');
    expect(sw(`0024019104${ascii('1357')}`)).toBe('9000');
    expect(card.pins.snapshot().pins).toEqual({ kenhojo: '1357' });
  });
});

describe('COMPUTE DIGITAL SIGNATURE (jpki-protocol §2.4)', () => {
  beforeEach(() => {
    sw(SELECT_JPKI);
  });

  for (const [name, pinFid, pin, keyFid, certOf] of [
    ['auth', '0018', TEST_PINS.authPin, '0017', (p: CardProfile) => p.authCert],
    ['sign', '001B', TEST_PINS.signPassword, '001A', (p: CardProfile) => p.signCert],
  ] as const) {
    it(`${name} key: PKCS#1 v1.5 signature over the DigestInfo verifies with the certificate`, () => {
      sw(sel(pinFid));
      expect(sw(verifyApdu(pin))).toBe('9000');
      sw(sel(keyFid));
      const r = send(`802A008033${digestInfo('hello')}00`);
      expect(swOf(r)).toBe('9000');
      const sig = dataOf(r);
      expect(sig.length).toBe(256);
      const pub = new X509Certificate(certOf(profile)).publicKey;
      expect(verify('sha256', Buffer.from('hello'), pub, sig)).toBe(true);
      expect(toHex(publicDecrypt(pub, sig))).toBe(digestInfo('hello'));
      // still verified: a second signature needs no new VERIFY (myna-rs mpa, §2.3)
      expect(sw(`802A008033${digestInfo('again')}00`)).toBe('9000');
    });
  }

  it('not verified → 6982; the other PIN does not unlock the key', () => {
    sw(sel('0017'));
    expect(sw(`802A008033${digestInfo('x')}00`)).toBe('6982');
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    sw(sel('001A'));
    expect(sw(`802A008033${digestInfo('x')}00`)).toBe('6982');
  });

  it('data: arbitrary bytes up to 245 are signed as-is; longer or empty → 6700', () => {
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    sw(sel('0017'));
    const max = 'AB'.repeat(245);
    const r = send(`802A0080F5${max}00`);
    expect(swOf(r)).toBe('9000');
    expect(toHex(publicDecrypt(new X509Certificate(profile.authCert).publicKey, dataOf(r)))).toBe(max);
    expect(sw(`802A0080F6${'AB'.repeat(246)}00`)).toBe('6700');
    expect(sw('802A008000')).toBe('6700');
  });

  it('Le smaller than the signature → 6700; no Le is tolerated', () => {
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    sw(sel('0017'));
    expect(sw(`802A008033${digestInfo('x')}80`)).toBe('6700');
    expect(sw(`802A008033${digestInfo('x')}`)).toBe('9000');
  });

  it('no key EF current → 6986; wrong P1/P2 → 6A86; CLA 00 → 6E00', () => {
    sw(sel('0018'));
    sw(verifyApdu(TEST_PINS.authPin));
    expect(sw(`802A008033${digestInfo('x')}00`)).toBe('6986'); // PIN EF is current
    sw(sel('0017'));
    expect(sw(`802A9E9A33${digestInfo('x')}00`)).toBe('6A86');
    expect(sw(`002A008033${digestInfo('x')}00`)).toBe('6E00');
    expect(sw(`002A9E9A33${digestInfo('x')}00`)).toBe('6E00');
  });
});

describe('class and instruction errors', () => {
  it('unknown INS → 6D00, unknown CLA → 6E00, malformed → 6700, READ RECORD → 6A83', () => {
    expect(sw('00CADF3005')).toBe('6D00'); // OpenSC probe
    expect(sw('00CB3FFF035C017E08')).toBe('6D00');
    expect(sw('0084000008')).toBe('6D00');
    expect(sw('80CA000000')).toBe('6D00');
    expect(sw('0CA4040C0AD392F000260100000001')).toBe('6E00');
    expect(sw('01A4040C0AD392F000260100000001')).toBe('6E00');
    expect(sw('84B0000004')).toBe('6E00');
    expect(sw('00A4')).toBe('6700');
    expect(sw('00A4040C0AD392')).toBe('6700');
    sw(SELECT_JUKI);
    expect(sw('00B2010C00')).toBe('6A83');
  });
});

describe('OpenSC 0.23 PKCS#15 bind + list-certificates sequence, in-process (jpki-protocol §5.1)', () => {
  it('answers the whole sequence the way OpenSC expects', () => {
    const seq: [string, string][] = [
      [SELECT_JPKI, '9000'],
      [sel('0018'), '9000'],
      ['00200080', '63C3'],
      [sel('001B'), '9000'],
      ['00200080', '63C5'],
      [sel('000A'), '9000'],
      ['00B0000004', '9000'],
      [sel('0001'), '9000'],
      ['00B0000004', '6982'],
    ];
    for (const [c, expected] of seq) expect(sw(c), c).toBe(expected);
  });
});
