/**
 * The signer's real output through the independent verifier (issue 3 "Done when"): round
 * trips for the demo residents through the in-process emulator, and every tamper rejected
 * with its own check id. The archive is re-assembled with the signer's ZIP writer so that
 * only the tampered part differs.
 */
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  prepareApplication,
  signApplication,
  signContent,
  signLoginAssertion,
} from '../../electron/main/services/signing/index.ts';
import { writeZip } from '../../electron/main/services/signing/zip-writer.ts';
import { InProcessTransport } from '../../native/emulator/in-process-transport.ts';
import { loadResident } from '../../native/emulator/load-profile.ts';
import { MynaCard } from '../../native/myna-card.ts';
import {
  demoAuthTrust,
  demoSignTrust,
  readPackageArchive,
  verifyApplicationPackage,
  verifyCms,
  verifyLoginAssertion,
} from '../../portal/verify/index.ts';

const pdf = (text: string) => new Uint8Array(Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`));
const draft = () => ({
  procedureId: 'jidou-teate-nintei',
  municipalityCode: '131016',
  form: {
    applicant: { name: '見本　花子', phone: '03-0000-0000' },
    children: [{ name: '見本　一郎', birthDate: '2021-04-01' }],
  },
  attachments: [
    { name: '所得証明書.pdf', mediaType: 'application/pdf', bytes: pdf('income') },
    { name: 'passbook.pdf', mediaType: 'application/pdf', bytes: pdf('bank') },
  ],
});

async function cardOf(id: string, password: string) {
  const profile = await loadResident(id);
  return { card: new MynaCard(new InProcessTransport(profile)), password, profile };
}

async function signedPackage(id = 'resident-01', password = 'ABC123', now?: Date) {
  const { card } = await cardOf(id, password);
  return signApplication(card, prepareApplication(draft()), password, now ? { now } : {});
}

const flip = (b: Uint8Array, i: number) => {
  b[i] = (b[i] as number) ^ 0x01;
};
const failedChecks = (r: { failures: { check: string }[] }) => [...new Set(r.failures.map((f) => f.check))].sort();

function rebuild(pkg: Uint8Array, edit: (a: ReturnType<typeof readPackageArchive>) => void): Uint8Array {
  const a = readPackageArchive(pkg);
  const copy = {
    manifest: a.manifest.slice(),
    signature: a.signature.slice(),
    attachments: a.attachments.map((x) => ({ name: x.name, data: x.data.slice() })),
  };
  edit(copy);
  return writeZip(
    [
      { name: 'manifest.json', data: copy.manifest },
      { name: 'signature.p7s', data: copy.signature },
      ...copy.attachments.map((x) => ({ name: `attachments/${x.name}`, data: x.data })),
    ],
    new Date('2026-11-27T00:00:00Z'),
  );
}

const trust = demoSignTrust();
let good: Uint8Array;

beforeAll(async () => {
  good = (await signedPackage()).packageBytes;
});

describe('sign with the card, verify independently', () => {
  it('a package from resident-01 verifies, with the signer decoded from the certificate', async () => {
    const r = await verifyApplicationPackage(good, trust);
    expect(failedChecks(r)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.signer?.name).toBe('見本　花子');
    expect(r.attachments?.map((a) => a.name)).toEqual(['所得証明書.pdf', 'passbook.pdf']);
    expect(r.checks.find((c) => c.check === 'revocation')?.status).toBe('pass');
  });

  it('rare kanji survive the whole trip (resident-06)', async () => {
    const r = await verifyApplicationPackage((await signedPackage('resident-06', 'TAKASAKI1989')).packageBytes, trust);
    expect(r.valid).toBe(true);
    expect(r.signer?.name).toContain('𠮷');
  });

  it('the revoked resident-02 is refused for revocation, the expired resident-03 for validity', async () => {
    const revoked = await verifyApplicationPackage(
      (await signedPackage('resident-02', 'TARO2580')).packageBytes,
      trust,
    );
    expect(failedChecks(revoked)).toEqual(['revocation']);
    const expired = await verifyApplicationPackage(
      (await signedPackage('resident-03', 'KIGEN2025')).packageBytes,
      trust,
    );
    expect(failedChecks(expired)).toEqual(['validity']);
  });

  it('a detached signature over a file verifies with its content, and fails with another', async () => {
    const { card } = await cardOf('resident-01', 'ABC123');
    const content = pdf('a letter');
    const { cms } = await signContent(card, content, 'ABC123');
    expect((await verifyCms(cms, { ...trust, content })).valid).toBe(true);
    expect(failedChecks(await verifyCms(cms, { ...trust, content: pdf('another letter') }))).toEqual([
      'message-digest',
    ]);
    const attached = await signContent(card, content, 'ABC123', { attached: true });
    const r = await verifyCms(attached.cms, trust);
    expect(r.valid).toBe(true);
    expect(Buffer.from(r.content!).equals(Buffer.from(content))).toBe(true);
  });

  it('a login assertion verifies against the auth CA, and not for another origin', async () => {
    const { card } = await cardOf('resident-01', '1234');
    const challenge = new Uint8Array(createHash('sha256').update('challenge').digest());
    const origin = 'http://127.0.0.1:8443';
    const a = await signLoginAssertion(card, { challenge, origin }, '1234');
    const auth = demoAuthTrust();
    expect((await verifyLoginAssertion({ challenge, origin, ...a }, auth)).valid).toBe(true);
    const other = await verifyLoginAssertion({ challenge, origin: 'https://evil.example', ...a }, auth);
    expect(failedChecks(other)).toEqual(['signature']);
  });
});

describe('tampering with a signed package', () => {
  it('a byte flipped in the manifest', async () => {
    const t = rebuild(good, (a) => {
      flip(a.manifest, 10);
    });
    const r = await verifyApplicationPackage(t, trust);
    expect(r.valid).toBe(false);
    expect(failedChecks(r)).toContain('manifest-signed');
  });

  it('a byte flipped in an attachment', async () => {
    const t = rebuild(good, (a) => {
      flip(a.attachments[0]!.data, 3);
    });
    expect(failedChecks(await verifyApplicationPackage(t, trust))).toEqual(['attachments']);
  });

  it('a byte flipped in the signature value', async () => {
    const t = rebuild(good, (a) => {
      const s = a.signature;
      // the RSA signature is the last OCTET STRING of the SignerInfo: 256 bytes near the end
      flip(s, s.length - 10);
    });
    expect(failedChecks(await verifyApplicationPackage(t, trust))).toEqual(['signature']);
  });

  it('an attachment added, removed or renamed', async () => {
    const added = rebuild(good, (a) => {
      a.attachments.push({ name: 'extra.pdf', data: pdf('extra') });
    });
    const removed = rebuild(good, (a) => {
      a.attachments.pop();
    });
    const renamed = rebuild(good, (a) => {
      a.attachments[1]!.name = 'passbook2.pdf';
    });
    for (const t of [added, removed, renamed]) {
      const r = await verifyApplicationPackage(t, trust);
      expect(r.valid).toBe(false);
      expect(failedChecks(r)).toEqual(['attachments']);
    }
  });

  it("another resident's certificate swapped into the CMS", async () => {
    const other = await loadResident('resident-05');
    const mine = await loadResident('resident-01');
    const t = rebuild(good, (a) => {
      const ci = pkijs.ContentInfo.fromBER(new Uint8Array(a.signature));
      const sd = new pkijs.SignedData({ schema: ci.content });
      const theirs = pkijs.Certificate.fromBER(new Uint8Array(other.signCert));
      sd.certificates = (sd.certificates ?? []).map((c) =>
        Buffer.from((c as pkijs.Certificate).toSchema().toBER(false)).equals(Buffer.from(mine.signCert)) ? theirs : c,
      );
      // and point the SignerInfo at it, as an attacker claiming another resident's signature would
      sd.signerInfos[0]!.sid = new pkijs.IssuerAndSerialNumber({
        issuer: theirs.issuer,
        serialNumber: theirs.serialNumber,
      });
      const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
      a.signature = new Uint8Array(out.toSchema().toBER(false));
    });
    const r = await verifyApplicationPackage(t, trust);
    expect(r.valid).toBe(false);
    expect(failedChecks(r)).toEqual(['signature', 'signing-certificate']);
  });

  it('garbage and truncations never pass and never crash', async () => {
    for (const bytes of [new Uint8Array(0), good.subarray(0, good.length - 30), new Uint8Array(1000).fill(0x50)]) {
      const r = await verifyApplicationPackage(bytes, trust);
      expect(r.valid).toBe(false);
      expect(failedChecks(r)).toContain('package-structure');
    }
  });
});
