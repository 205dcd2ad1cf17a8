import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPkiPath } from '../../resources/demo/load.ts';
import { TrustStore } from './trust.ts';

const dir = mkdtempSync(join(tmpdir(), 'myna-portal-trust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const der = (name: string) => new Uint8Array(readFileSync(demoPkiPath(name)));

describe('TrustStore', () => {
  it('defaults to the demo auth and sign CAs with their CRLs', () => {
    const t = new TrustStore();
    expect(t.auth.trustAnchors).toEqual([der('auth-ca.der')]);
    expect(t.auth.crls).toEqual([der('auth-ca.crl.der')]);
    expect(t.sign.trustAnchors).toEqual([der('sign-ca.der')]);
    expect(t.sign.crls).toEqual([der('sign-ca.crl.der')]);
  });

  it('adds CAs from PEM files and bytes; without the demo CAs only those are trusted', () => {
    const pemFile = join(dir, 'roots.pem');
    writeFileSync(pemFile, readFileSync(demoPkiPath('auth-ca.pem')));
    const t = new TrustStore({ demoTrust: false, trustAnchors: { auth: [pemFile], sign: [der('sign-ca.der')] } });
    expect(t.auth.trustAnchors).toEqual([der('auth-ca.der')]);
    expect(t.sign.trustAnchors).toEqual([der('sign-ca.der')]);
    expect(t.auth.crls).toEqual([]);
    expect(() => new TrustStore({ demoTrust: false })).toThrow(/no auth CA/);
    expect(() => new TrustStore({ trustAnchors: { auth: [join(dir, 'missing.pem')] } })).toThrow(/cannot read/);
  });

  it('reloadCrls() re-reads CRL files and keeps the old set when a file no longer loads', () => {
    const crlFile = join(dir, 'sign.crl');
    writeFileSync(crlFile, readFileSync(demoPkiPath('sign-ca.crl.pem')));
    let now = new Date('2026-06-01T00:00:00Z');
    const t = new TrustStore(
      { demoTrust: false, trustAnchors: { auth: [der('auth-ca.der')] }, crls: { sign: [crlFile] } },
      () => now,
    );
    expect(t.sign.crls).toEqual([der('sign-ca.crl.der')]);
    now = new Date('2026-06-02T00:00:00Z');
    expect(t.reloadCrls()).toEqual({ auth: 0, sign: 1, loadedAt: '2026-06-02T00:00:00.000Z' });
    writeFileSync(crlFile, 'garbage');
    expect(() => t.reloadCrls()).toThrow();
    expect(t.sign.crls).toEqual([der('sign-ca.crl.der')]);
    expect(t.crlsLoadedAt.toISOString()).toBe('2026-06-02T00:00:00.000Z');
  });
});
