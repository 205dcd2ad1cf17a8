/** The self-check rejects every damaged or non-conforming CMS, naming the check that failed. */
import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CardProfile } from '../../../../native/emulator/profile.ts';
import { sha256DigestInfo } from '../../../../native/jpki/digest-info.ts';
import { buildSignedAttributes, buildSignedData, type SignedAttributes } from './cms-builder.ts';
import { OID } from './oids.ts';
import { type SelfCheckExpectations, selfCheckSignedData } from './self-check.ts';
import { SigningError } from './signing-error.ts';
import { residentProfile } from './test-support.ts';

let alice: CardProfile;
let bob: CardProfile;
beforeAll(async () => {
  alice = await residentProfile('resident-01');
  bob = await residentProfile('resident-02');
});

const content = new TextEncoder().encode('{"procedure":{"id":"x"}}');
const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

function rsa(profile: CardProfile, digestInfo: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(profile.signKey), format: 'der', type: 'pkcs8' });
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
}

/** Signs `sa` (as given: possibly tampered attributes) with alice's key and builds the CMS. */
function make(sa: SignedAttributes, attached = true): Uint8Array {
  return buildSignedData({
    signedAttributes: sa,
    signature: rsa(alice, sa.digestInfo),
    signerCertificate: alice.signCert,
    caCertificates: [alice.signCaCert],
    content: attached ? content : undefined,
  });
}

function attrs(): SignedAttributes {
  return buildSignedAttributes({
    messageDigest: sha(content),
    signerCertificate: alice.signCert,
    signingTime: new Date(),
  });
}

/** Replaces the attributes and re-derives what is signed, as a non-conforming signer would. */
function withAttributes(list: pkijs.Attribute[]): SignedAttributes {
  const attributes = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: list });
  const toBeSigned = new Uint8Array(attributes.toSchema().toBER(false));
  toBeSigned[0] = 0x31;
  return { attributes, toBeSigned, digestInfo: sha256DigestInfo(sha(toBeSigned)), signingTime: new Date() };
}

const expectations = (over: Partial<SelfCheckExpectations> = {}): SelfCheckExpectations => ({
  messageDigest: sha(content),
  attached: true,
  content,
  signerCertificate: alice.signCert,
  caCertificates: [alice.signCaCert],
  ...over,
});

async function failsAt(cms: Uint8Array, check: string, over: Partial<SelfCheckExpectations> = {}): Promise<void> {
  try {
    await selfCheckSignedData(cms, expectations(over));
  } catch (e) {
    expect(e).toBeInstanceOf(SigningError);
    expect((e as SigningError).code).toBe('SELF_CHECK_FAILED');
    expect((e as SigningError).details.check).toBe(check);
    return;
  }
  throw new Error(`self-check passed; expected it to fail at ${check}`);
}

/** Parse with PKI.js, mutate, re-encode (DER). */
function reencode(cms: Uint8Array, mutate: (sd: pkijs.SignedData) => void): Uint8Array {
  const ci = pkijs.ContentInfo.fromBER(new Uint8Array(cms));
  const sd = new pkijs.SignedData({ schema: ci.content });
  mutate(sd);
  return new Uint8Array(
    new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema() }).toSchema().toBER(false),
  );
}

describe('selfCheckSignedData', () => {
  it('passes a good CMS, attached and detached, and reports every check', async () => {
    const pk = { crossCheckWithPkijs: true };
    const r = await selfCheckSignedData(make(attrs()), expectations(), pk);
    expect(r.checks).toHaveLength(10);
    expect(r.signedAttributes[0]).toBe(0x31);
    expect((await selfCheckSignedData(make(attrs()), expectations())).checks.at(-1)).toBe('signature');
    const detached = await selfCheckSignedData(make(attrs(), false), expectations({ attached: false }), pk);
    expect(detached.checks.at(-1)).toBe('pkijs');
    // detached with only the digest known: node:crypto verifies, PKI.js is skipped
    const digestOnly = await selfCheckSignedData(
      make(attrs(), false),
      expectations({ attached: false, content: undefined }),
      pk,
    );
    expect(digestOnly.checks.at(-1)).toBe('signature');
  });

  it('re-encoding through PKI.js is the identity (the tamper helper below changes only what it says)', async () => {
    const cms = make(attrs());
    expect(Buffer.from(reencode(cms, () => {})).equals(Buffer.from(cms))).toBe(true);
  });

  it('a flipped signature byte: signature', async () => {
    const cms = make(attrs());
    const bad = reencode(cms, (sd) => {
      const si = sd.signerInfos[0] as pkijs.SignerInfo;
      const v = new Uint8Array(si.signature.valueBlock.valueHexView);
      v[10] = (v[10] as number) ^ 0x80;
      si.signature = new asn1js.OctetString({ valueHex: v });
    });
    await failsAt(bad, 'signature');
  });

  it('a flipped byte in the encapsulated manifest: content (and message-digest when the content matches)', async () => {
    const cms = make(attrs());
    const i = Buffer.from(cms).indexOf(Buffer.from(content));
    const bad = Uint8Array.from(cms);
    bad[i + 3] = (bad[i + 3] as number) ^ 0x01;
    await failsAt(bad, 'content');
    const tampered = Uint8Array.from(content);
    tampered[3] = (tampered[3] as number) ^ 0x01;
    await failsAt(bad, 'message-digest', { content: tampered, messageDigest: sha(tampered) });
  });

  it('signed attributes in non-DER order (built here, correctly signed otherwise): attribute-order', async () => {
    const good = attrs();
    const reversed = [...good.attributes.attributes].reverse();
    await failsAt(make(withAttributes(reversed)), 'attribute-order');
  });

  it('a missing or extra signed attribute: signed-attributes', async () => {
    const good = attrs().attributes.attributes;
    await failsAt(make(withAttributes(good.filter((a) => a.type !== OID.signingCertificateV2))), 'signed-attributes');
  });

  it('signingCertificateV2 with an explicit hashAlgorithm, or for another certificate: signing-certificate-v2', async () => {
    const good = attrs().attributes.attributes;
    const essWith = (cert: Uint8Array, withAlg: boolean) => {
      const ess = buildSignedAttributes({
        messageDigest: sha(content),
        signerCertificate: cert,
        signingTime: new Date(),
      }).attributes.attributes.find((a) => a.type === OID.signingCertificateV2) as pkijs.Attribute;
      if (withAlg) {
        const essCertId = ((ess.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock
          .value[0] as asn1js.Sequence;
        essCertId.valueBlock.value.unshift(
          new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }).toSchema() as unknown as asn1js.Sequence,
        );
      }
      return good.map((a) => (a.type === OID.signingCertificateV2 ? ess : a));
    };
    await failsAt(make(withAttributes(essWith(alice.signCert, true))), 'signing-certificate-v2');
    await failsAt(make(withAttributes(essWith(bob.signCert, false))), 'signing-certificate-v2');
  });

  it('sha256WithRSAEncryption without its NULL parameters: signer-info', async () => {
    const bad = reencode(make(attrs()), (sd) => {
      (sd.signerInfos[0] as pkijs.SignerInfo).signatureAlgorithm = new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256WithRSAEncryption,
      });
    });
    await failsAt(bad, 'signer-info');
  });

  it('not the certificate the card returned, or the CA missing: certificates', async () => {
    const cms = make(attrs());
    await failsAt(cms, 'certificates', { signerCertificate: bob.signCert });
    const noCa = reencode(cms, (sd) => {
      sd.certificates = (sd.certificates ?? []).filter(
        (c) => !Buffer.from((c as pkijs.Certificate).toSchema().toBER(false)).equals(Buffer.from(alice.signCaCert)),
      );
    });
    await failsAt(noCa, 'certificates');
  });

  it('BER instead of DER (indefinite length, trailing bytes): der', async () => {
    const cms = make(attrs());
    // Outer SEQUENCE with indefinite length: 30 80 <content> 00 00.
    const lenBytes = (cms[1] as number) & 0x7f;
    const inner = cms.subarray(2 + lenBytes);
    const indefinite = Uint8Array.from([0x30, 0x80, ...inner, 0, 0]);
    await failsAt(indefinite, 'der');
    await failsAt(Uint8Array.from([...cms, 0]), 'der');
  });

  it('attached expected but detached produced (and the reverse): content', async () => {
    await failsAt(make(attrs(), false), 'content');
    await failsAt(make(attrs(), true), 'content', { attached: false });
  });
});
