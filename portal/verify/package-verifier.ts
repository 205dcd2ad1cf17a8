/**
 * Verifier for application packages (`.mynapkg`, README "Application package format" v1) on
 * the RECEIVING side — the reference portal / a municipality. Not for the app to present as
 * JPKI verification (see cms-verifier.ts).
 *
 * Checks, in addition to the CMS checks of verifyCms():
 * - `package-structure`: the strict ZIP layout (zip-reader.ts);
 * - `manifest-canonical`: manifest.json is exactly the RFC 8785 form of itself and follows the
 *   version-1 schema (municipality code with a valid check digit included);
 * - `manifest-signed`: the signature's encapsulated content is manifest.json byte for byte;
 * - `attachments`: every attachment listed once, in order, with matching size and SHA-256,
 *   nothing unlisted, names/media types/limits as the contract says — each offender named.
 */
import { createHash } from 'node:crypto';
import { type CmsVerifyOptions, verifyCmsDetailed } from './cms-verifier.ts';
import { bytesEqual } from './der.ts';
import { checkCanonical } from './jcs.ts';
import {
  attachmentRuleProblems,
  MAX_MANIFEST_BYTES,
  type Manifest,
  type ManifestAttachment,
  manifestSchemaProblems,
  usableAttachments,
} from './manifest.ts';
import {
  CheckCollector,
  CMS_CHECKS,
  type CmsCheckId,
  internalErrorResult,
  PACKAGE_CHECKS,
  type PackageCheckId,
  type VerificationResult,
} from './result.ts';
import { type PackageArchive, PackageFormatError, readPackageArchive } from './zip-reader.ts';

export type PackageVerifyOptions = Omit<CmsVerifyOptions, 'content'>;

export interface AttachmentSummary {
  name: string;
  /** From the manifest, when the attachment is listed there. */
  mediaType?: string;
  size: number;
  sha256: string;
}

export interface PackageVerificationResult extends Omit<VerificationResult<PackageCheckId | CmsCheckId>, 'content'> {
  /** The signed manifest (or manifest.json when the signature carries none). */
  manifest?: Manifest;
  /** The attachments actually in the package, in archive order. */
  attachments?: AttachmentSummary[];
  /** When package-structure failed: the stable code of the ZIP problem. */
  packageErrorCode?: string;
}

const ORDER: readonly (PackageCheckId | CmsCheckId)[] = [...PACKAGE_CHECKS, ...CMS_CHECKS];
const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function checkAttachments(
  c: CheckCollector<PackageCheckId | CmsCheckId>,
  listed: ManifestAttachment[],
  archive: PackageArchive,
  hashes: string[],
): void {
  const id = 'attachments';
  for (const p of attachmentRuleProblems(listed)) c.fail(id, p.message, p.messageJa);
  const actualNames = archive.attachments.map((a) => a.name);
  const listedNames = listed.map((a) => a.name);
  for (const a of archive.attachments) {
    if (!listedNames.includes(a.name)) {
      c.fail(
        id,
        `attachment ${JSON.stringify(a.name)} is in the package but not listed in the signed manifest`,
        `添付ファイル ${JSON.stringify(a.name)} がパッケージにありますが、署名されたマニフェストに記載されていません`,
      );
    }
  }
  for (const l of listed) {
    if (!actualNames.includes(l.name)) {
      c.fail(
        id,
        `attachment ${JSON.stringify(l.name)} is listed in the signed manifest but missing from the package`,
        `添付ファイル ${JSON.stringify(l.name)} がマニフェストに記載されていますが、パッケージにありません`,
      );
    }
  }
  const common = listedNames.filter((n) => actualNames.includes(n));
  const inArchive = actualNames.filter((n) => listedNames.includes(n));
  if (common.join('\u0000') !== inArchive.join('\u0000')) {
    c.fail(
      id,
      `the attachments are not in manifest order (package: ${inArchive.map((n) => JSON.stringify(n)).join(', ')})`,
      '添付ファイルの順序がマニフェストと異なります',
    );
  }
  archive.attachments.forEach((a, i) => {
    const l = listed.find((x) => x.name === a.name);
    if (!l) return;
    const q = JSON.stringify(a.name);
    if (a.data.length !== l.size) {
      c.fail(
        id,
        `attachment ${q} is ${a.data.length} bytes; the signed manifest says ${l.size}`,
        `添付ファイル ${q} の大きさ（${a.data.length}バイト）がマニフェスト（${l.size}バイト）と異なります`,
      );
    }
    if (hashes[i] !== l.sha256) {
      c.fail(
        id,
        `attachment ${q} does not match its SHA-256 in the signed manifest (changed after signing)`,
        `添付ファイル ${q} のSHA-256がマニフェストと一致しません（署名後に変更されています）`,
      );
    }
  });
  c.pass(id, `${archive.attachments.length} attachment(s), each listed once, in order, sizes and SHA-256 match`);
}

/**
 * Verifies a package. Never throws for bad input: a broken archive is a failed
 * `package-structure` check (with `packageErrorCode`), and everything else is collected.
 */
export async function verifyApplicationPackage(
  zipBytes: Uint8Array,
  options: PackageVerifyOptions,
): Promise<PackageVerificationResult> {
  return (await verifyApplicationPackageDetailed(zipBytes, options)).result;
}

export interface DetailedPackageVerification {
  result: PackageVerificationResult;
  /**
   * The exact bytes the verifier checked, for a caller that stores or keys on them (the portal
   * intake), so that it need not read the package a second time — and cannot read it differently:
   * the signer certificate's DER whenever it was found, and the signed manifest (canonical
   * JSON, identical to manifest.json) whenever `manifest-signed` passed.
   */
  signerCertificate?: Uint8Array;
  signedManifest?: Uint8Array;
}

/** verifyApplicationPackage, plus the signer certificate's and the signed manifest's bytes. */
export async function verifyApplicationPackageDetailed(
  zipBytes: Uint8Array,
  options: PackageVerifyOptions,
): Promise<DetailedPackageVerification> {
  try {
    return await verifyPackageUnguarded(zipBytes, options);
  } catch (e) {
    return { result: internalErrorResult(ORDER, 'package-structure', e) };
  }
}

async function verifyPackageUnguarded(
  zipBytes: Uint8Array,
  options: PackageVerifyOptions,
): Promise<DetailedPackageVerification> {
  const c = new CheckCollector<PackageCheckId | CmsCheckId>(ORDER, ['revocation']);
  const finish = (extra: Partial<PackageVerificationResult> = {}): PackageVerificationResult => ({
    valid: c.valid(),
    failures: c.failures,
    checks: c.outcomes(),
    ...extra,
  });

  let archive: PackageArchive;
  try {
    archive = readPackageArchive(zipBytes);
  } catch (e) {
    if (!(e instanceof PackageFormatError)) throw e;
    c.fail('package-structure', e.message, e.messageJa);
    c.skipRest('skipped: the package archive is not valid');
    return { result: finish({ packageErrorCode: e.code }) };
  }
  c.pass(
    'package-structure',
    `stored ZIP: manifest.json (${archive.manifest.length} bytes), signature.p7s (${archive.signature.length} bytes), ${archive.attachments.length} attachment(s)`,
  );

  // ---- manifest-canonical (manifest.json as found in the archive)
  const canon = checkCanonical(archive.manifest);
  if (archive.manifest.length > MAX_MANIFEST_BYTES) {
    c.fail(
      'manifest-canonical',
      `manifest.json is ${archive.manifest.length} bytes; at most ${MAX_MANIFEST_BYTES} are allowed`,
      `manifest.json が大きすぎます（${archive.manifest.length}バイト、上限${MAX_MANIFEST_BYTES}バイト）`,
    );
  }
  if (!canon.canonical)
    c.fail('manifest-canonical', `manifest.json is ${canon.reason}`, `manifest.json が${canon.reasonJa}`);
  if (canon.value !== undefined) {
    for (const p of manifestSchemaProblems(canon.value)) c.fail('manifest-canonical', p.message, p.messageJa);
  }
  c.pass('manifest-canonical', 'RFC 8785 canonical JSON following the version-1 schema');

  // ---- the CMS checks
  const { result: cms, signerCertificate } = await verifyCmsDetailed(archive.signature, options);
  for (const f of cms.failures) c.fail(f.check, f.message, f.messageJa);
  for (const o of cms.checks) {
    if (o.status === 'pass') c.pass(o.check, o.detail);
    else if (o.status === 'not-checked') c.notChecked(o.check, o.detail);
  }

  // ---- manifest-signed
  let authoritative: { value: unknown; source: string } | undefined;
  let signedManifest: Uint8Array | undefined;
  if (!cms.content) {
    c.fail(
      'manifest-signed',
      'signature.p7s does not encapsulate the manifest (detached or unreadable signature)',
      'signature.p7s にマニフェストが含まれていません（分離署名または読み取り不能）',
    );
  } else if (!bytesEqual(cms.content, archive.manifest)) {
    c.fail(
      'manifest-signed',
      'manifest.json differs from the manifest signed in signature.p7s',
      'manifest.json が signature.p7s で署名されたマニフェストと異なります（改ざんされています）',
    );
  } else {
    c.pass('manifest-signed', 'the signature encapsulates manifest.json byte for byte');
    signedManifest = cms.content;
  }
  if (cms.content) {
    // When the signed manifest is manifest.json byte for byte (every valid package), its bytes
    // were just read and checked above: the same bytes give the same value.
    const signed = signedManifest ? canon : checkCanonical(cms.content);
    if (signed.value !== undefined) authoritative = { value: signed.value, source: 'signed manifest' };
  }
  if (!authoritative && canon.value !== undefined) authoritative = { value: canon.value, source: 'manifest.json' };

  // ---- attachments, against the signed manifest whenever there is one
  const hashes = archive.attachments.map((a) => sha256Hex(a.data));
  const listed = authoritative ? usableAttachments(authoritative.value) : undefined;
  if (!listed) {
    c.notChecked('attachments', 'skipped: no readable attachment list in the manifest');
  } else {
    checkAttachments(c, listed, archive, hashes);
    if (authoritative?.source !== 'signed manifest')
      c.note('attachments', 'checked against manifest.json (no signed manifest)');
  }

  const summaries: AttachmentSummary[] = archive.attachments.map((a, i) => {
    const l = listed?.find((x) => x.name === a.name);
    const s: AttachmentSummary = { name: a.name, size: a.data.length, sha256: hashes[i] as string };
    if (l) s.mediaType = l.mediaType;
    return s;
  });
  const out = finish({ attachments: summaries });
  if (authoritative && manifestSchemaProblems(authoritative.value).length === 0)
    out.manifest = authoritative.value as Manifest;
  if (cms.signer) out.signer = cms.signer;
  if (cms.signingTime) out.signingTime = cms.signingTime;
  const detailed: DetailedPackageVerification = { result: out };
  if (signerCertificate) detailed.signerCertificate = signerCertificate;
  if (signedManifest) detailed.signedManifest = signedManifest;
  return detailed;
}
