/**
 * Application intake (子育てワンストップ 電子申請): a signed package (README "Application package
 * format") in, a 受付番号 out. Framework-free, so the route and the bench call the same code.
 *
 *   1. Idempotency-Key seen before → the same application (or 422 IDEMPOTENCY_KEY_CONFLICT when
 *      the bytes differ);
 *   2. verifyApplicationPackage with the portal's sign trust → 422 PACKAGE_INVALID with the failed
 *      checks (garbage, unsigned, tampered, revoked, expired, untrusted …);
 *   3. the signer certificate — the very one the verifier checked — must be registered to the
 *      logged-in resident as a sign certificate (issuer + serial, and the same certificate
 *      bytes) → otherwise 403 SIGNER_NOT_RESIDENT: nobody submits a package someone else signed;
 *   4. the municipality must take the procedure online (catalog) → 422 PROCEDURE_NOT_AVAILABLE;
 *   5. validateApplication (form schema, My Number check digits, attachments) → 422
 *      APPLICATION_FORM_INVALID with every issue's path (rooted at the manifest);
 *   6. one write transaction (idempotency.ts pattern): look the key up again (a parallel
 *      request may have won → its application), 受付番号, application row, package bytes, first
 *      status-history entry, idempotency key, 操作履歴 'application-submitted'.
 *
 * A refused package stores NOTHING — no row, no bytes, no activity entry (the database is
 * byte-for-byte unchanged): a refused submission was not received, and storing whatever anyone
 * posts would let unauthenticated-in-effect bytes (unsigned, someone else's) fill the disk. The
 * refusal is in the response and the request log.
 */
import { writeTx } from '../db/database.ts';
import { prepared } from '../db/statements.ts';
import { getForm, getMunicipality, onlineService, SERVICES, validateApplication } from '../kosodate/index.ts';
import { recordActivity } from '../service/activity.ts';
import type { PortalContext } from '../service/context.ts';
import { assertSameRequest, findIdempotent, saveIdempotent } from '../service/idempotency.ts';
import { problem } from '../service/problem.ts';
import { certificateIdentity, randomId, sha256Hex } from '../service/util.ts';
import { type PackageVerificationResult, verifyApplicationPackageDetailed } from '../verify/package-verifier.ts';
import { nextReceiptNumber } from './receipt-number.ts';
import { type ApplicationRow, insertApplication, loadApplication } from './store.ts';

export const APPLICATION_PACKAGE_MEDIA_TYPE = 'application/vnd.myna-companion.application+zip';
export const APPLICATION_IDEMPOTENCY_SCOPE = 'application';

export interface SubmissionOutcome {
  /** False when the Idempotency-Key was seen before with the same bytes. */
  created: boolean;
  application: ApplicationRow;
}

/** What is kept of the verification: everything but the manifest (stored in its own column). */
export interface StoredVerification extends Omit<PackageVerificationResult, 'manifest'> {
  verifiedAt: string;
  crlsLoadedAt: string;
}

/** The procedure's name as the catalog's services call it (児童手当 認定請求), else its form's title. */
export function procedureTitle(procedureId: string): string {
  return (
    SERVICES.find((s) => s.onlineApplication?.procedureId === procedureId)?.title ??
    getForm(procedureId)?.title.ja ??
    procedureId
  );
}

export function municipalityName(code: string): string {
  return getMunicipality(code)?.name ?? code;
}

function existing(ctx: PortalContext, residentId: string, id: string): SubmissionOutcome {
  const application = loadApplication(ctx.db, residentId, id);
  if (!application) throw new Error(`idempotency key points to a missing application ${id}`);
  return { created: false, application };
}

export async function submitApplication(
  ctx: PortalContext,
  residentId: string,
  idempotencyKey: string,
  packageBytes: Uint8Array,
): Promise<SubmissionOutcome> {
  const requestHash = sha256Hex(packageBytes);
  const hit = findIdempotent(ctx.db, residentId, APPLICATION_IDEMPOTENCY_SCOPE, idempotencyKey);
  if (hit) {
    assertSameRequest(hit, requestHash);
    return existing(ctx, residentId, hit.resourceId);
  }

  // ---- 2. verification
  const verifiedAt = ctx.now();
  const verified = await verifyApplicationPackageDetailed(packageBytes, { ...ctx.trust.sign, now: verifiedAt });
  const { result } = verified;
  if (!result.valid) {
    const failed = result.failures.map((f) => f.check);
    throw problem(
      'PACKAGE_INVALID',
      `the package does not verify (${[...new Set(failed)].join(', ')}): ${result.failures[0]?.message ?? 'invalid'}`,
      {
        detailJa: result.failures[0]?.messageJa,
        failures: result.failures.map((f) => ({ check: f.check, message: f.message, messageJa: f.messageJa })),
        ...(result.packageErrorCode ? { packageErrorCode: result.packageErrorCode } : {}),
      },
    );
  }
  const manifest = result.manifest;
  if (!manifest || !verified.signedManifest || !verified.signerCertificate)
    throw new Error('a valid package without a signed manifest or a signer certificate');

  // ---- 3. the signer is the logged-in resident (the portal keys certificates as util.ts
  // certificateIdentity does; the certificate is the one whose signature was verified)
  const signer = certificateIdentity(verified.signerCertificate);
  const registered = prepared(
    ctx.db,
    'SELECT resident_id, kind, sha256 FROM resident_certificates WHERE issuer = ? AND serial_number = ?',
  ).get(signer.issuer, signer.serialNumber) as { resident_id: string; kind: string; sha256: string } | undefined;
  if (!registered || registered.resident_id !== residentId || registered.kind !== 'sign') {
    throw problem(
      'SIGNER_NOT_RESIDENT',
      'the package is signed with a signature certificate that is not registered to you; sign it with your own card',
      { detailJa: 'ご自身のマイナンバーカード（署名用電子証明書）で署名した申請データを送信してください' },
    );
  }
  if (registered.sha256 !== signer.sha256) {
    throw problem('SIGNER_NOT_RESIDENT', 'the signer certificate differs from the one registered under its serial');
  }

  // ---- 4. the procedure is offered online by that municipality
  const procedureId = manifest.procedure.id;
  const municipalityCode = manifest.municipality.code;
  if (!onlineService(municipalityCode, procedureId)) {
    const m = getMunicipality(municipalityCode);
    throw problem(
      'PROCEDURE_NOT_AVAILABLE',
      `${m ? m.nameEn : `municipality ${municipalityCode}`} does not take ${procedureId} online through this portal`,
      {
        detailJa: `${m ? m.name : `団体コード ${municipalityCode} の市区町村`}では、この手続のオンライン申請を受け付けていません`,
      },
    );
  }

  // ---- 5. the form and its attachments
  const validation = validateApplication({
    procedureId,
    municipalityCode,
    form: manifest.form,
    attachments: manifest.attachments.map((a) => ({ name: a.name, mediaType: a.mediaType })),
  });
  if (!validation.ok) {
    throw problem(
      'APPLICATION_FORM_INVALID',
      `${validation.errors.length} problem(s): ${validation.errors
        .slice(0, 5)
        .map((e) => `${e.path} ${e.message}`)
        .join('; ')}`,
      {
        detailJa: validation.errors[0]?.messageJa,
        errors: validation.errors.map((e) => ({
          in: 'manifest',
          path: e.path,
          code: e.code,
          message: e.message,
          messageJa: e.messageJa,
        })),
      },
    );
  }

  // ---- 6. store, once
  const { manifest: _manifest, ...rest } = result;
  const stored: StoredVerification = {
    ...rest,
    verifiedAt: verifiedAt.toISOString(),
    crlsLoadedAt: ctx.trust.crlsLoadedAt.toISOString(),
  };
  // The signed bytes themselves: canonical JSON (manifest-canonical), so exactly canonicalize(manifest).
  const manifestText = Buffer.from(verified.signedManifest).toString('utf8');
  return writeTx(ctx.db, () => {
    const raced = findIdempotent(ctx.db, residentId, APPLICATION_IDEMPOTENCY_SCOPE, idempotencyKey);
    if (raced) {
      assertSameRequest(raced, requestHash);
      return existing(ctx, residentId, raced.resourceId);
    }
    const receivedAt = ctx.now();
    const at = receivedAt.toISOString();
    const id = randomId('app');
    const receiptNumber = nextReceiptNumber(ctx.db, municipalityCode, receivedAt);
    insertApplication(ctx.db, {
      id,
      residentId,
      receiptNumber,
      procedureId,
      municipalityCode,
      receivedAt: at,
      manifest: manifestText,
      manifestSha256: sha256Hex(manifestText),
      signerIssuer: signer.issuer,
      signerSerial: signer.serialNumber,
      signingTime: result.signingTime ?? null,
      verification: JSON.stringify(stored),
      verifiedAt: stored.verifiedAt,
      formWarnings: JSON.stringify(validation.warnings),
      package: { bytes: packageBytes, sha256: requestHash },
      demo: false,
    });
    saveIdempotent(ctx.db, {
      residentId,
      scope: APPLICATION_IDEMPOTENCY_SCOPE,
      key: idempotencyKey,
      requestHash,
      resourceId: id,
      at,
    });
    recordActivity(
      ctx.db,
      residentId,
      at,
      'application-submitted',
      `電子申請：${procedureTitle(procedureId)}（${municipalityName(municipalityCode)}）受付番号 ${receiptNumber}`,
      { applicationId: id, receiptNumber, procedureId, municipalityCode },
    );
    const application = loadApplication(ctx.db, residentId, id);
    if (!application) throw new Error('application vanished inside its transaction');
    return { created: true, application };
  });
}
