/**
 * portal/verify — the receiving side's verifier for CAdES-BES signatures, application
 * packages and login assertions (DESIGN §7, §8). Written independently of the app's signer.
 * The app must not present any of this as JPKI signature verification.
 */
export {
  type CmsVerificationResult,
  type CmsVerifyOptions,
  type DetailedCmsVerification,
  verifyCms,
  verifyCmsDetailed,
} from './cms-verifier.ts';
export { canonicalize, checkCanonical, isCanonical } from './jcs.ts';
export { decodeJpkiSubjectAltName, type JpkiAttributes, parseJpkiBirthDate } from './jpki-san.ts';
export {
  type LoginAssertion,
  type LoginVerificationResult,
  type LoginVerifyOptions,
  loginSignedBytes,
  verifyLoginAssertion,
} from './login-verifier.ts';
export { isValidMunicipalityCode, municipalityCheckDigit } from './municipality-code.ts';
export {
  type AttachmentSummary,
  type DetailedPackageVerification,
  type PackageVerificationResult,
  type PackageVerifyOptions,
  verifyApplicationPackage,
  verifyApplicationPackageDetailed,
} from './package-verifier.ts';
export type { CheckId, CheckOutcome, CheckStatus, Failure, SignerSummary, VerificationResult } from './result.ts';
export { demoAuthTrust, demoSignTrust, loadCertificates, loadCrls, type TrustMaterial } from './trust.ts';
export { type PackageFormatCode, PackageFormatError, readPackageArchive, readZip } from './zip-reader.ts';
