/**
 * The JPKI AP, one step per function, each running on a channel the caller already holds
 * inside a transaction (jpki-protocol §2). Higher-level operations live in ../myna-card.ts.
 */
import { AID, computeSignature, readBinary, selectAid, selectEf } from '../apdu/commands.ts';
import { CardError } from '../apdu/errors.ts';
import { exchange, exchangeOk } from '../apdu/exchange.ts';
import { readTlvFile } from '../apdu/read-file.ts';
import { SW, swHex } from '../apdu/response.ts';
import type { CardChannel } from '../card-transport.ts';

/** EF ids of the JPKI AP — jpki-protocol §2.1 */
export const JPKI_EF = {
  TOKEN: 0x0006,
  AUTH_CERT: 0x000a,
  AUTH_CA_CERT: 0x000b,
  SIGN_CERT: 0x0001,
  SIGN_CA_CERT: 0x0002,
  AUTH_KEY: 0x0017,
  AUTH_PIN: 0x0018,
  SIGN_KEY: 0x001a,
  SIGN_PIN: 0x001b,
} as const;

export type CertKind = 'auth' | 'sign' | 'auth-ca' | 'sign-ca';
export type KeyKind = 'auth' | 'sign';

export const CERT_EF: Record<CertKind, number> = {
  auth: JPKI_EF.AUTH_CERT,
  sign: JPKI_EF.SIGN_CERT,
  'auth-ca': JPKI_EF.AUTH_CA_CERT,
  'sign-ca': JPKI_EF.SIGN_CA_CERT,
};

/** Real certificates are ~1.3 kB (§2.2); anything past this is a corrupt file. */
const MAX_CERT_SIZE = 8192;
/** Largest data a 2048-bit PKCS#1 v1.5 signature can carry (§2.4). */
const MAX_SIGN_INPUT = 245;

/** SELECT the JPKI AP. The card is recognised by this, never by its ATR (§8.1). */
export async function selectJpki(ch: CardChannel): Promise<void> {
  const r = await exchange(ch, selectAid(AID.JPKI));
  if (r.sw === SW.OK) return;
  // 6A82 is what a card without the AP answers; 6Axx/6D00/6E00 come from cards that do not
  // even speak this SELECT form. All mean "not a My Number Card".
  if ((r.sw & 0xff00) === 0x6a00 || r.sw === SW.INS_NOT_SUPPORTED || r.sw === SW.CLA_NOT_SUPPORTED) {
    throw new CardError('NOT_MYNUMBER_CARD', { sw: swHex(r.sw) });
  }
  throw new CardError('UNEXPECTED_SW', { operation: 'select JPKI AP', sw: swHex(r.sw) });
}

export async function selectJpkiEf(ch: CardChannel, fid: number, operation: string): Promise<void> {
  await exchangeOk(ch, selectEf(fid), operation);
}

/** EF 0006: ASCII token padded with spaces or NULs (§2.1). */
export async function readToken(ch: CardChannel): Promise<string> {
  await selectJpkiEf(ch, JPKI_EF.TOKEN, 'select token');
  const data = await exchangeOk(ch, readBinary(0, 32), 'read token');
  if (data.length > 32) throw new CardError('MALFORMED_RESPONSE', { operation: 'read token: oversized' });
  const text = Buffer.from(data)
    .toString('latin1')
    .replace(/[\s\0]+$/, '');
  if (!/^[\x20-\x7e]*$/.test(text)) throw new CardError('MALFORMED_RESPONSE', { operation: 'read token: not ASCII' });
  return text;
}

/** Reads a certificate EF: SELECT + ceil(size/256) READs (or one extended READ). */
export async function readCertificateEf(ch: CardChannel, kind: CertKind, extended: boolean): Promise<Uint8Array> {
  await selectJpkiEf(ch, CERT_EF[kind], `select ${kind} certificate`);
  const der = await readTlvFile(ch, { maxSize: MAX_CERT_SIZE, extended, operation: `read ${kind} certificate` });
  if (der[0] !== 0x30)
    throw new CardError('MALFORMED_RESPONSE', { operation: `read ${kind} certificate: not a DER SEQUENCE` });
  return der;
}

/** SELECT the key EF and COMPUTE DIGITAL SIGNATURE over a DigestInfo (§2.4). */
export async function signWithKey(ch: CardChannel, key: KeyKind, digestInfo: Uint8Array): Promise<Uint8Array> {
  if (digestInfo.length === 0 || digestInfo.length > MAX_SIGN_INPUT)
    throw new RangeError('DigestInfo size out of range');
  await selectJpkiEf(ch, key === 'auth' ? JPKI_EF.AUTH_KEY : JPKI_EF.SIGN_KEY, `select ${key} key`);
  const sig = await exchangeOk(ch, computeSignature(digestInfo), `sign with ${key} key`);
  if (sig.length !== 256) {
    throw new CardError('MALFORMED_RESPONSE', { operation: `sign with ${key} key: ${sig.length}-byte signature` });
  }
  return sig;
}
