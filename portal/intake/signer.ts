/**
 * Who signed a package: the signer certificate embedded in signature.p7s, found by the
 * SignerInfo's issuer and serial number (the package format requires that identifier), as the
 * portal keys certificates to residents (util.ts certificateIdentity). Only called for packages
 * that verified, so the structure is known to be sound.
 */
import { type CertificateIdentity, certificateIdentity } from '../service/util.ts';
import { parseCms } from '../verify/cms-parser.ts';
import { bytesEqual } from '../verify/der.ts';
import { readPackageArchive } from '../verify/zip-reader.ts';

export function packageSigner(packageBytes: Uint8Array): CertificateIdentity {
  const cms = parseCms(readPackageArchive(packageBytes).signature);
  const si = cms.signerInfos[0];
  if (cms.signerInfos.length !== 1 || !si || si.sid.kind !== 'issuerAndSerialNumber') {
    throw new Error('a verified package must have one SignerInfo identified by issuer and serial number');
  }
  const sid = si.sid;
  const signer = cms.certificates.find(
    (e) => e.cert && bytesEqual(e.cert.issuer, sid.issuer) && bytesEqual(e.cert.serial, sid.serial),
  );
  if (!signer) throw new Error('the signer certificate of a verified package is not embedded');
  return certificateIdentity(signer.der);
}
