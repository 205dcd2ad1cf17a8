/**
 * Draft → the exact bytes that will be signed: the canonical manifest (RFC 8785), the
 * attachments with their SHA-256 and size, and the summary the consent window shows. The
 * summary is derived by parsing the manifest bytes back, never from the draft, so what the
 * resident sees is what the signature covers (DESIGN §3, consent window).
 */
import { formErrorFromJcs, type ValidAttachment, validateDraft } from './draft.ts';
import { sha256Hex } from './hash.ts';
import { canonicalizeToBytes, JcsError } from './jcs.ts';
import { type AllowedMediaType, MANIFEST_FORMAT, MANIFEST_VERSION, PACKAGE_LIMITS } from './package-limits.ts';
import { SigningError } from './signing-error.ts';

export interface ManifestAttachment {
  mediaType: AllowedMediaType;
  name: string;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
}

export interface Manifest {
  attachments: ManifestAttachment[];
  form: Record<string, unknown>;
  format: typeof MANIFEST_FORMAT;
  municipality: { code: string };
  procedure: { id: string };
  version: typeof MANIFEST_VERSION;
}

export interface PreparedAttachment extends ManifestAttachment {
  /** A private copy taken at preparation: later changes to the caller's buffer change nothing. */
  bytes: Uint8Array;
}

export interface ApplicationSummary {
  procedureId: string;
  municipalityCode: string;
  /**
   * The scalar fields of `form.applicant` when the form has such an object (e.g. name,
   * address, birthDate), as strings, in key order; absent otherwise. A My Number is shown
   * masked but for its last 4 digits: the summary is for recognising the application on a
   * screen others may see (kiosks), not for reading the number back.
   */
  applicant?: Record<string, string>;
  attachments: { name: string; mediaType: string; size: number }[];
  attachmentsTotalBytes: number;
  /** Size of manifest.json, the bytes the CMS signature covers. */
  manifestBytes: number;
  /** Lower-case hex SHA-256 of manifest.json; it pins the attachments too (their hashes are in it). */
  manifestSha256: string;
  /** The same hash for people: upper-case, groups of 4, e.g. `3F2A 9C01 …`. */
  fingerprint: string;
}

export interface PreparedApplication {
  manifestBytes: Uint8Array;
  manifest: Manifest;
  attachments: PreparedAttachment[];
  summary: ApplicationSummary;
}

export function prepareApplication(draft: unknown): PreparedApplication {
  const d = validateDraft(draft);
  const attachments: PreparedAttachment[] = d.attachments.map((a: ValidAttachment) => {
    const bytes = new Uint8Array(a.bytes); // a copy (memcpy), not a view
    return { mediaType: a.mediaType, name: a.name, sha256: sha256Hex(bytes), size: bytes.length, bytes };
  });
  const manifestValue: Manifest = {
    attachments: attachments.map(({ mediaType, name, sha256, size }) => ({ mediaType, name, sha256, size })),
    form: d.form,
    format: MANIFEST_FORMAT,
    municipality: { code: d.municipalityCode },
    procedure: { id: d.procedureId },
    version: MANIFEST_VERSION,
  };
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = canonicalizeToBytes(manifestValue);
  } catch (e) {
    if (e instanceof JcsError) throw formErrorFromJcs(e);
    throw e;
  }
  if (manifestBytes.length > PACKAGE_LIMITS.maxManifestBytes) {
    throw new SigningError('MANIFEST_TOO_LARGE', {
      field: 'form',
      limit: PACKAGE_LIMITS.maxManifestBytes,
      actual: manifestBytes.length,
    });
  }
  // Everything below is read back from the bytes, so the summary cannot drift from them.
  const manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes)) as Manifest;
  return { manifestBytes, manifest, attachments, summary: summarize(manifest, manifestBytes) };
}

export function summarize(manifest: Manifest, manifestBytes: Uint8Array): ApplicationSummary {
  const hash = sha256Hex(manifestBytes);
  const attachments = manifest.attachments.map((a) => ({ name: a.name, mediaType: a.mediaType, size: a.size }));
  const summary: ApplicationSummary = {
    procedureId: manifest.procedure.id,
    municipalityCode: manifest.municipality.code,
    attachments,
    attachmentsTotalBytes: attachments.reduce((n, a) => n + a.size, 0),
    manifestBytes: manifestBytes.length,
    manifestSha256: hash,
    fingerprint: formatFingerprint(hash),
  };
  const applicant = applicantOf(manifest.form);
  if (applicant) summary.applicant = applicant;
  return summary;
}

function applicantOf(form: Record<string, unknown>): Record<string, string> | undefined {
  const a = form.applicant;
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(a).sort()) {
    const v = (a as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[k] = MY_NUMBER_KEY.test(k) ? maskMyNumber(String(v)) : String(v);
    }
  }
  return Object.keys(out).length ? out : undefined;
}

const MY_NUMBER_KEY = /^(myNumber|individualNumber|kojinBango)$/i;

function maskMyNumber(v: string): string {
  return v.length <= 4 ? '*'.repeat(v.length) : `${'*'.repeat(v.length - 4)}${v.slice(-4)}`;
}

export function formatFingerprint(hexHash: string): string {
  return (
    hexHash
      .toUpperCase()
      .match(/.{1,4}/g)
      ?.join(' ') ?? ''
  );
}
