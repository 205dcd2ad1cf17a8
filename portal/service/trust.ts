/**
 * What the portal trusts: the auth CA(s) for login and the sign CA(s) for applications, each
 * with its CRLs. Defaults to the FICTIONAL demo CAs of resources/demo/pki; a municipality adds the
 * real J-LIS certificates by file (DER or PEM) and turns the demo ones off. CRLs given as files
 * are re-read by `reloadCrls()` (all or nothing: a file that does not load leaves the old set).
 */
import { demoPkiPath } from '../../resources/demo/load.ts';
import { loadCertificates, loadCrls } from '../verify/index.ts';

/** DER bytes, or the path of a DER or PEM file (a PEM file may hold several blocks). */
export type TrustSource = Uint8Array | string;

export interface TrustSources {
  /** 利用者証明用 CA(s): login. */
  auth?: TrustSource[];
  /** 署名用 CA(s): signed applications. */
  sign?: TrustSource[];
}

export interface TrustOptions {
  trustAnchors?: TrustSources;
  crls?: TrustSources;
  /** Include the demo CAs and their CRLs. Default true. */
  demoTrust?: boolean;
}

export interface TrustMaterial {
  trustAnchors: Uint8Array[];
  crls: Uint8Array[];
}

const certs = (sources: TrustSource[]) =>
  sources.flatMap((s) => (typeof s === 'string' ? loadCertificates([s]) : [new Uint8Array(s)]));
const crlsOf = (sources: TrustSource[]) =>
  sources.flatMap((s) => (typeof s === 'string' ? loadCrls([s]) : [new Uint8Array(s)]));

export class TrustStore {
  readonly #crlSources: { auth: TrustSource[]; sign: TrustSource[] };
  readonly #anchors: { auth: Uint8Array[]; sign: Uint8Array[] };
  #crls: { auth: Uint8Array[]; sign: Uint8Array[] };
  #crlsLoadedAt: Date;
  readonly #now: () => Date;

  constructor(options: TrustOptions = {}, now: () => Date = () => new Date()) {
    const demo = options.demoTrust ?? true;
    const anchorSources = {
      auth: [...(demo ? [demoPkiPath('auth-ca.der')] : []), ...(options.trustAnchors?.auth ?? [])],
      sign: [...(demo ? [demoPkiPath('sign-ca.der')] : []), ...(options.trustAnchors?.sign ?? [])],
    };
    this.#crlSources = {
      auth: [...(demo ? [demoPkiPath('auth-ca.crl.der')] : []), ...(options.crls?.auth ?? [])],
      sign: [...(demo ? [demoPkiPath('sign-ca.crl.der')] : []), ...(options.crls?.sign ?? [])],
    };
    this.#anchors = { auth: certs(anchorSources.auth), sign: certs(anchorSources.sign) };
    if (this.#anchors.auth.length === 0)
      throw new Error('no auth CA to trust: give trustAnchors.auth or keep demoTrust');
    this.#crls = { auth: crlsOf(this.#crlSources.auth), sign: crlsOf(this.#crlSources.sign) };
    this.#crlsLoadedAt = now();
    this.#now = now;
  }

  /** For verifyLoginAssertion. */
  get auth(): TrustMaterial {
    return { trustAnchors: this.#anchors.auth, crls: this.#crls.auth };
  }

  /** For verifyApplicationPackage. */
  get sign(): TrustMaterial {
    return { trustAnchors: this.#anchors.sign, crls: this.#crls.sign };
  }

  get crlsLoadedAt(): Date {
    return this.#crlsLoadedAt;
  }

  /** Re-reads every CRL given as a file. Throws (and keeps the current CRLs) if one does not load. */
  reloadCrls(): { auth: number; sign: number; loadedAt: string } {
    const next = { auth: crlsOf(this.#crlSources.auth), sign: crlsOf(this.#crlSources.sign) };
    this.#crls = next;
    this.#crlsLoadedAt = this.#now();
    return { auth: next.auth.length, sign: next.sign.length, loadedAt: this.#crlsLoadedAt.toISOString() };
  }
}
