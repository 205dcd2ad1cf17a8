/**
 * The limits and constants of the application package, format version 1 (README "Application
 * package format" is the contract with portal/verify). Refused before anything is signed.
 */
const MiB = 1024 * 1024;

export const PACKAGE_LIMITS = {
  maxAttachments: 20,
  maxAttachmentBytes: 10 * MiB,
  maxTotalAttachmentBytes: 20 * MiB,
  maxManifestBytes: 256 * 1024,
  /** File names: 1–120 characters (counted in UTF-16 code units: the stricter reading). */
  maxNameLength: 120,
  /** procedureId: a short slug. */
  maxProcedureIdLength: 64,
  /** Nesting depth of the form object (guards recursion; real forms are a few levels deep). */
  maxFormDepth: 32,
} as const;

export const ALLOWED_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

export const PACKAGE_MEDIA_TYPE = 'application/vnd.myna-companion.application+zip';
export const PACKAGE_EXTENSION = '.mynapkg';
export const MANIFEST_FORMAT = 'myna-companion/application-package';
export const MANIFEST_VERSION = 1;

export const ENTRY_MANIFEST = 'manifest.json';
export const ENTRY_SIGNATURE = 'signature.p7s';
export const ATTACHMENTS_PREFIX = 'attachments/';
