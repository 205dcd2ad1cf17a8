/** The signing service's public surface (DESIGN §4 "Apply" and "Login", §7). */
export { type SignCard, signCmsWithCard } from './card-signer.ts';
export type { ApplicationDraft, AttachmentInput } from './draft.ts';
export { validateDraft } from './draft.ts';
export { canonicalize, canonicalizeToBytes, JcsError } from './jcs.ts';
export {
  type AuthCard,
  type LoginAssertion,
  type LoginAssertionRequest,
  loginAssertionMessage,
  originProblem,
  signLoginAssertion,
} from './login-assertion.ts';
export {
  type ApplicationSummary,
  type Manifest,
  type PreparedApplication,
  prepareApplication,
} from './manifest.ts';
export { municipalityCheckDigit, municipalityCodeProblem } from './municipality-code.ts';
export {
  ALLOWED_MEDIA_TYPES,
  PACKAGE_EXTENSION,
  PACKAGE_LIMITS,
  PACKAGE_MEDIA_TYPE,
} from './package-limits.ts';
export { type SelfCheckResult, selfCheckSignedData } from './self-check.ts';
export { type SignApplicationOptions, type SignedApplication, signApplication } from './sign-application.ts';
export {
  ATTACHED_CONTENT_LIMIT,
  type FileSignature,
  type SignFileOptions,
  signContent,
  signDigest,
} from './sign-detached.ts';
export { isSigningError, SigningError, type SigningErrorCode, type SigningErrorDetails } from './signing-error.ts';
