/**
 * One CAdES-BES signature by the card's sign key, shared by packages and detached/attached
 * file signatures: read the Sign CA certificate (public, cached per card), then — under one
 * VERIFY, in one card transaction — read the sign certificate, build the signed attributes
 * from it and let the card sign their DigestInfo; assemble the CMS; self-check it. A PIN
 * error comes back as the card stack's CardError, unchanged; a signature that fails the
 * self-check is SigningError SELF_CHECK_FAILED and is never returned.
 */
import { CardError } from '../../../../native/apdu/errors.ts';
import type { MynaCard } from '../../../../native/myna-card.ts';
import { buildSignedAttributes, buildSignedData, type SignedAttributes } from './cms-builder.ts';
import { certificateIssuerAndSerial } from './der.ts';
import { type SelfCheckOptions, type SelfCheckResult, selfCheckSignedData } from './self-check.ts';
import { SigningError } from './signing-error.ts';

/** What the signer needs of a card (MynaCard; a stand-in in benchmarks). */
export type SignCard = Pick<MynaCard, 'readCertificate' | 'signWithSignCertificate'>;

export interface CardCmsRequest {
  /** SHA-256 of the content. */
  messageDigest: Uint8Array;
  /** Encapsulate the content (attached) or not (detached). */
  attached: boolean;
  /** The content: required when attached; optional when detached (see SelfCheckExpectations). */
  content?: Uint8Array | undefined;
  signingTime: Date;
  /** Extra self-checks (tests: the PKI.js cross-check). */
  selfCheck?: SelfCheckOptions | undefined;
}

export interface CardCmsResult {
  /** DER ContentInfo(SignedData). */
  cms: Uint8Array;
  signerCertificate: Uint8Array;
  caCertificate: Uint8Array;
  signingTime: Date;
  selfCheck: SelfCheckResult;
}

export async function signCmsWithCard(card: SignCard, req: CardCmsRequest, password: string): Promise<CardCmsResult> {
  if (req.attached && !req.content) throw new TypeError('an attached signature needs its content');
  if (!(req.messageDigest instanceof Uint8Array) || req.messageDigest.length !== 32) {
    throw new SigningError('INPUT_INVALID', { field: 'messageDigest', rule: '32-byte SHA-256 hash' });
  }
  if (!(req.signingTime instanceof Date) || Number.isNaN(req.signingTime.getTime())) {
    throw new SigningError('INPUT_INVALID', { field: 'signingTime', rule: 'a valid Date' });
  }
  const caCertificate = await card.readCertificate('sign-ca');
  let built: SignedAttributes | undefined;
  const { signature, certificate } = await card.signWithSignCertificate(password, (signerCertificate) => {
    try {
      certificateIssuerAndSerial(signerCertificate);
    } catch (e) {
      // Nothing is signed when prepare throws (MynaCard.signWithSignCertificate).
      throw new CardError(
        'MALFORMED_RESPONSE',
        { operation: 'read sign certificate: not a certificate' },
        { cause: e },
      );
    }
    built = buildSignedAttributes({
      messageDigest: req.messageDigest,
      signerCertificate,
      signingTime: req.signingTime,
    });
    return built.digestInfo;
  });
  if (!built) throw new Error('signWithSignCertificate returned without preparing');
  const cms = buildSignedData({
    signedAttributes: built,
    signature,
    signerCertificate: certificate,
    caCertificates: [caCertificate],
    content: req.attached ? req.content : undefined,
  });
  const selfCheck = await selfCheckSignedData(
    cms,
    {
      messageDigest: req.messageDigest,
      attached: req.attached,
      content: req.content,
      signerCertificate: certificate,
      caCertificates: [caCertificate],
    },
    req.selfCheck,
  );
  return { cms, signerCertificate: certificate, caCertificate, signingTime: built.signingTime, selfCheck };
}
