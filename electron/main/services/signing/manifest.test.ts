/** The manifest is RFC 8785 bytes; the consent summary is read back from those bytes. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from './jcs.ts';
import { prepareApplication } from './manifest.ts';
import { sampleDraft } from './test-support.ts';

describe('prepareApplication', () => {
  it('builds the canonical manifest of the contract', () => {
    const draft = sampleDraft();
    const p = prepareApplication(draft);
    const text = Buffer.from(p.manifestBytes).toString('utf8');
    expect(text.startsWith('{"attachments":[{"mediaType":"application/pdf","name":"所得証明書.pdf","sha256":"')).toBe(
      true,
    );
    expect(text).toContain(
      '"format":"myna-companion/application-package","municipality":{"code":"131016"},"procedure":{"id":"jidou-teate-nintei"},"version":1}',
    );
    expect(text).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/); // no white space outside strings
    expect(p.manifestBytes[0]).toBe(0x7b); // no BOM
    expect(text.endsWith('}')).toBe(true); // no trailing newline
    expect(canonicalize(JSON.parse(text))).toBe(text); // a fixed point of JCS
    expect(p.manifest.attachments[0]).toEqual({
      mediaType: 'application/pdf',
      name: '所得証明書.pdf',
      sha256: createHash('sha256')
        .update(draft.attachments[0]?.bytes as Uint8Array)
        .digest('hex'),
      size: 4096,
    });
  });

  it('is deterministic whatever the key order of the form', () => {
    const a = prepareApplication(sampleDraft({ form: { b: 1, a: { y: [1, 2], x: 'x' } } }));
    const b = prepareApplication(sampleDraft({ form: { a: { x: 'x', y: [1, 2] }, b: 1 } }));
    expect(Buffer.from(a.manifestBytes).equals(Buffer.from(b.manifestBytes))).toBe(true);
  });

  it('summarises from the bytes: procedure, municipality, applicant, attachments, fingerprint', () => {
    const p = prepareApplication(sampleDraft());
    const hash = createHash('sha256').update(p.manifestBytes).digest('hex');
    expect(p.summary).toEqual({
      procedureId: 'jidou-teate-nintei',
      municipalityCode: '131016',
      applicant: { address: '東京都千代田区千代田1-1', birthDate: '1990-04-01', name: '見本　花子' },
      attachments: [
        { name: '所得証明書.pdf', mediaType: 'application/pdf', size: 4096 },
        { name: 'photo.png', mediaType: 'image/png', size: 1500 },
      ],
      attachmentsTotalBytes: 5596,
      manifestBytes: p.manifestBytes.length,
      manifestSha256: hash,
      fingerprint: hash.toUpperCase().match(/.{4}/g)?.join(' '),
    });
    const noApplicant = prepareApplication(sampleDraft({ form: { x: 1 } }));
    expect(noApplicant.summary.applicant).toBeUndefined();
  });

  it('masks a My Number in the summary but signs it in full', () => {
    const p = prepareApplication(
      sampleDraft({ form: { applicant: { name: '見本　花子', myNumber: '333916718720' } } }),
    );
    expect(p.summary.applicant?.myNumber).toBe('********8720');
    expect(Buffer.from(p.manifestBytes).toString('utf8')).toContain('333916718720');
  });

  it('keeps form strings exactly (no normalisation of what the resident typed)', () => {
    const p = prepareApplication(sampleDraft({ form: { name: 'Cafe\u0301', sp: ' a ' } }));
    expect(Buffer.from(p.manifestBytes).toString('utf8')).toContain('"name":"Cafe\u0301"');
  });
});
