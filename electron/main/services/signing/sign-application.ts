/**
 * A prepared application (manifest.ts) → a signed package, in memory: the card signs the
 * manifest (CMS attached, CAdES-BES), the result is self-checked, then zipped. Nothing is
 * written anywhere here; callers persist `packageBytes` (atomically — see the CLI).
 */
import { writeApplicationPackage } from './application-package.ts';
import { type SignCard, signCmsWithCard } from './card-signer.ts';
import { sha256 } from './hash.ts';
import type { ApplicationSummary, PreparedApplication } from './manifest.ts';

export interface SignApplicationOptions {
  /** The signing time (default: now). */
  now?: Date;
  /** Also verify with PKI.js before returning (tests; ~10 ms). */
  crossCheckWithPkijs?: boolean;
}

export interface SignedApplication {
  /** The .mynapkg ZIP. */
  packageBytes: Uint8Array;
  /** signature.p7s: DER CMS SignedData with manifest.json encapsulated. */
  cms: Uint8Array;
  manifestBytes: Uint8Array;
  signerCertificate: Uint8Array;
  caCertificate: Uint8Array;
  signingTime: Date;
  summary: ApplicationSummary;
  /** The self-check's passed checks, for display ("self-check", not verification: DESIGN §7). */
  selfCheck: string[];
}

export async function signApplication(
  card: SignCard,
  prepared: PreparedApplication,
  password: string,
  opts: SignApplicationOptions = {},
): Promise<SignedApplication> {
  const signed = await signCmsWithCard(
    card,
    {
      messageDigest: sha256(prepared.manifestBytes),
      attached: true,
      content: prepared.manifestBytes,
      signingTime: opts.now ?? new Date(),
      selfCheck: { crossCheckWithPkijs: opts.crossCheckWithPkijs },
    },
    password,
  );
  const packageBytes = writeApplicationPackage(
    { manifestBytes: prepared.manifestBytes, signature: signed.cms, attachments: prepared.attachments },
    signed.signingTime,
  );
  return {
    packageBytes,
    cms: signed.cms,
    manifestBytes: prepared.manifestBytes,
    signerCertificate: signed.signerCertificate,
    caCertificate: signed.caCertificate,
    signingTime: signed.signingTime,
    summary: prepared.summary,
    selfCheck: signed.selfCheck.checks,
  };
}
