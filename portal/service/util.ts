/**
 * Small helpers: random identifiers, hashes, Japan-time dates, Luhn, certificate identity.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** `<prefix>_<hex>` from `bytes` random bytes. */
export const randomId = (prefix: string, bytes = 12) => `${prefix}_${randomBytes(bytes).toString('hex')}`;

/** A random decimal string of `n` digits (leading zeros allowed). */
export function randomDigits(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n)) if (b < 250 && out.length < n) out += String(b % 10);
  }
  return out;
}

export const base64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** Strict base64 / base64url decoding: undefined unless the text is canonical in either alphabet. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const url = /[-_]/.test(text);
  const bytes = Buffer.from(text, url ? 'base64url' : 'base64');
  const again = bytes.toString(url ? 'base64url' : 'base64');
  const strip = (s: string) => s.replace(/=+$/, '');
  if (strip(again) !== strip(text)) return undefined;
  return new Uint8Array(bytes);
}

const JST_OFFSET_MS = 9 * 3600_000;

/** 'YYYY-MM-DD' of an instant in Japan time (UTC+9, no DST). */
export const jstDate = (d: Date) => new Date(d.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);

/** 'YYYY-MM-DD HH:mm' of an instant in Japan time. */
export const jstDateTime = (d: Date) =>
  new Date(d.getTime() + JST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** The UTC instant of local midnight in Japan starting `date` ('YYYY-MM-DD'). */
export const jstMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00+09:00`));

/** ISO instant of a Japan-time 'YYYY-MM-DD HH:mm[:ss]'. */
export const jst = (local: string) => new Date(Date.parse(`${local.replace(' ', 'T')}+09:00`)).toISOString();

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export interface CertificateIdentity {
  /** Issuer DN as RDNs joined by ', ' (e.g. 'C=JP, O=JPKI, …'). */
  issuer: string;
  /** Lower-case hex without leading zeros. */
  serialNumber: string;
  subject: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
}

/** How the portal keys a certificate to a resident: (issuer, serial). Throws on a non-certificate. */
export function certificateIdentity(der: Uint8Array): CertificateIdentity {
  const x = new X509Certificate(der);
  return {
    issuer: x.issuer.split('\n').join(', '),
    serialNumber: x.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    subject: x.subject.split('\n').join(', '),
    sha256: sha256Hex(der),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
  };
}
