/**
 * The package ZIP (README "Application package format"): manifest.json, signature.p7s, then
 * attachments/<name> in manifest order — nothing else.
 */
import { ATTACHMENTS_PREFIX, ENTRY_MANIFEST, ENTRY_SIGNATURE } from './package-limits.ts';
import { writeZip, type ZipEntry } from './zip-writer.ts';

export interface PackageParts {
  manifestBytes: Uint8Array;
  signature: Uint8Array;
  attachments: { name: string; bytes: Uint8Array }[];
}

export function packageEntries(parts: PackageParts): ZipEntry[] {
  return [
    { name: ENTRY_MANIFEST, data: parts.manifestBytes },
    { name: ENTRY_SIGNATURE, data: parts.signature },
    ...parts.attachments.map((a) => ({ name: `${ATTACHMENTS_PREFIX}${a.name}`, data: a.bytes })),
  ];
}

export function writeApplicationPackage(parts: PackageParts, modified: Date): Uint8Array {
  return writeZip(packageEntries(parts), modified);
}
