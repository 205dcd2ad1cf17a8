/**
 * CMS over any file, the equivalent of jpki/myna's `cms sign`: detached by default (the .p7s
 * carries no content; verify with `openssl cms -verify -content FILE`), attached on request
 * (the content is encapsulated, up to ATTACHED_CONTENT_LIMIT). Same CAdES-BES profile and
 * self-check as application packages.
 */
import { type SignCard, signCmsWithCard } from './card-signer.ts';
import { sha256 } from './hash.ts';
import { SigningError } from './signing-error.ts';

/** Attached signatures keep the content in memory and in the .p7s: keep them reasonable. */
export const ATTACHED_CONTENT_LIMIT = 64 * 1024 * 1024;

export interface SignFileOptions {
  /** Encapsulate the content (default false: detached). */
  attached?: boolean;
  /** The signing time (default: now). */
  now?: Date;
  /** Also verify with PKI.js before returning (tests). */
  crossCheckWithPkijs?: boolean;
}

export interface FileSignature {
  /** DER ContentInfo(SignedData). */
  cms: Uint8Array;
  signerCertificate: Uint8Array;
  caCertificate: Uint8Array;
  signingTime: Date;
  /** SHA-256 of the content (= the messageDigest attribute). */
  contentSha256: Uint8Array;
  attached: boolean;
}

/** Signs content held in memory, detached or attached. */
export async function signContent(
  card: SignCard,
  content: Uint8Array,
  password: string,
  opts: SignFileOptions = {},
): Promise<FileSignature> {
  const attached = opts.attached ?? false;
  if (!(content instanceof Uint8Array)) {
    throw new SigningError('INPUT_INVALID', { field: 'content', rule: 'not a Uint8Array' });
  }
  if (attached && content.length > ATTACHED_CONTENT_LIMIT) {
    throw new SigningError('CONTENT_TOO_LARGE', {
      field: 'content',
      limit: ATTACHED_CONTENT_LIMIT,
      actual: content.length,
    });
  }
  const digest = sha256(content);
  const r = await signCmsWithCard(
    card,
    {
      messageDigest: digest,
      attached,
      content,
      signingTime: opts.now ?? new Date(),
      selfCheck: { crossCheckWithPkijs: opts.crossCheckWithPkijs },
    },
    password,
  );
  return { ...pick(r), contentSha256: digest, attached };
}

/**
 * A detached signature when only the content's SHA-256 is known (a file hashed as a stream,
 * of any size). The self-check then verifies the signature with node:crypto only.
 */
export async function signDigest(
  card: SignCard,
  contentSha256: Uint8Array,
  password: string,
  opts: Omit<SignFileOptions, 'attached'> = {},
): Promise<FileSignature> {
  if (!(contentSha256 instanceof Uint8Array) || contentSha256.length !== 32) {
    throw new SigningError('INPUT_INVALID', { field: 'contentSha256', rule: '32-byte SHA-256 hash' });
  }
  const r = await signCmsWithCard(
    card,
    { messageDigest: contentSha256, attached: false, signingTime: opts.now ?? new Date() },
    password,
  );
  return { ...pick(r), contentSha256: Uint8Array.from(contentSha256), attached: false };
}

function pick(r: Awaited<ReturnType<typeof signCmsWithCard>>) {
  return {
    cms: r.cms,
    signerCertificate: r.signerCertificate,
    caCertificate: r.caCertificate,
    signingTime: r.signingTime,
  };
}
