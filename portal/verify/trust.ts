/**
 * Trust anchors and CRLs for the verifiers: loaded from DER or PEM files (a PEM file may hold
 * several blocks), or the demo defaults from resources/demo/pki (FICTIONAL demo CAs — for the
 * demo portal and tests only; a municipality drops the real J-LIS certificates and CRLs in).
 */
import { readFileSync } from 'node:fs';
import { type ParsedCertificate, type ParsedCrl, parseCertificate, parseCrl } from './x509.ts';

export interface TrustMaterial {
  trustAnchors: Uint8Array[];
  crls: Uint8Array[];
}

export class TrustLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustLoadError';
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** DER blocks of a file that is either one DER object or PEM with blocks labelled `labels`. */
export function derBlocks(bytes: Uint8Array, labels: string[], source = 'input'): Uint8Array[] {
  if (bytes[0] === 0x30) return [bytes];
  const text = Buffer.from(bytes).toString('latin1');
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    if (!labels.includes(m[1] as string)) continue;
    const b64 = (m[2] as string).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new TrustLoadError(`${source}: malformed PEM block`);
    out.push(new Uint8Array(Buffer.from(b64, 'base64')));
  }
  if (out.length === 0) throw new TrustLoadError(`${source}: neither DER nor PEM with ${labels.join('/')}`);
  return out;
}

function readAll(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new TrustLoadError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Certificates from DER/PEM files; each must parse as an X.509 certificate. */
export function loadCertificates(paths: string[]): Uint8Array[] {
  return paths.flatMap((p) =>
    derBlocks(readAll(p), ['CERTIFICATE'], p).map((der) => {
      try {
        parseCertificate(der);
      } catch (e) {
        throw new TrustLoadError(`${p}: not a certificate (${(e as Error).message})`);
      }
      return der;
    }),
  );
}

/** CRLs from DER/PEM files; each must parse as an X.509 CRL. */
export function loadCrls(paths: string[]): Uint8Array[] {
  return paths.flatMap((p) =>
    derBlocks(readAll(p), ['X509 CRL'], p).map((der) => {
      try {
        parseCrl(der);
      } catch (e) {
        throw new TrustLoadError(`${p}: not a CRL (${(e as Error).message})`);
      }
      return der;
    }),
  );
}

const demo = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../resources/demo/pki/${name}`, import.meta.url)));

/** The demo sign CA and its CRL (FICTIONAL, tests and demo mode only). */
export function demoSignTrust(): TrustMaterial {
  return { trustAnchors: [demo('sign-ca.der')], crls: [demo('sign-ca.crl.der')] };
}

/** The demo auth CA and its CRL (FICTIONAL, tests and demo mode only). */
export function demoAuthTrust(): TrustMaterial {
  return { trustAnchors: [demo('auth-ca.der')], crls: [demo('auth-ca.crl.der')] };
}

export interface ParsedTrust {
  anchors: ParsedCertificate[];
  crls: ParsedCrl[];
  anchorErrors: string[];
  crlErrors: string[];
}

type Memo<T> = { bytes: Uint8Array; parsed: T } | { bytes: Uint8Array; error: string };

/**
 * Trust material is the same on every call (the portal's configured anchors and CRLs), so each
 * item is parsed once: memoized per Uint8Array object, and reused only while its bytes are
 * still exactly those parsed (a private copy is kept and compared, so a changed array is
 * parsed again). Parsed items are read-only for every consumer.
 */
function memoParse<T>(memo: WeakMap<Uint8Array, Memo<T>>, der: Uint8Array, parse: (d: Uint8Array) => T): Memo<T> {
  const hit = memo.get(der);
  if (hit && Buffer.from(hit.bytes.buffer, hit.bytes.byteOffset, hit.bytes.byteLength).equals(der)) return hit;
  const bytes = new Uint8Array(der);
  let m: Memo<T>;
  try {
    m = { bytes, parsed: parse(bytes) };
  } catch (e) {
    m = { bytes, error: (e as Error).message };
  }
  memo.set(der, m);
  return m;
}

const anchorMemo = new WeakMap<Uint8Array, Memo<ParsedCertificate>>();
const crlMemo = new WeakMap<Uint8Array, Memo<ParsedCrl>>();

/** Parses trust material given as DER; unreadable items are reported, not thrown. */
export function parseTrust(trustAnchors: Uint8Array[], crls: Uint8Array[]): ParsedTrust {
  const out: ParsedTrust = { anchors: [], crls: [], anchorErrors: [], crlErrors: [] };
  trustAnchors.forEach((der, i) => {
    const m = memoParse(anchorMemo, der, parseCertificate);
    if ('parsed' in m) out.anchors.push(m.parsed);
    else out.anchorErrors.push(`trust anchor #${i + 1}: ${m.error}`);
  });
  crls.forEach((der, i) => {
    const m = memoParse(crlMemo, der, parseCrl);
    if ('parsed' in m) out.crls.push(m.parsed);
    else out.crlErrors.push(`CRL #${i + 1}: ${m.error}`);
  });
  return out;
}
