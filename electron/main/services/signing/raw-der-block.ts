/**
 * Embedding exact DER inside a PKI.js/asn1js tree without parsing it: the card's certificates,
 * and their issuer Name and serialNumber (in sid and signingCertificateV2), go into the CMS
 * byte for byte. Parsing a certificate into PKI.js objects and encoding it back costs
 * milliseconds per certificate (schema matching) and could in principle alter bytes; this
 * costs a copy. The self-check compares the embedded certificates with the card's bytes.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readWhole } from './der.ts';

/** An asn1js block whose encoding is the given DER, verbatim. */
export class RawDerBlock extends asn1js.BaseBlock {
  private readonly der: Uint8Array;

  constructor(der: Uint8Array) {
    super();
    readWhole(der); // exactly one well-formed TLV
    this.der = Uint8Array.from(der);
  }

  override toBER(_sizeOnly?: boolean, writer?: asn1js.ViewWriter): ArrayBuffer {
    const bytes = this.der.slice().buffer as ArrayBuffer;
    if (writer) {
      writer.write(bytes);
      return new ArrayBuffer(0);
    }
    return bytes;
  }
}

/** A PKI.js Certificate for SignedData.certificates that encodes as the card's exact DER. */
export class EmbeddedCertificate extends pkijs.Certificate {
  private readonly der: Uint8Array;

  constructor(der: Uint8Array) {
    super();
    this.der = der;
  }

  override toSchema(): asn1js.Sequence {
    return new RawDerBlock(this.der) as unknown as asn1js.Sequence;
  }
}
