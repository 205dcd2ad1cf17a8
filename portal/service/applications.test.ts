/**
 * 電子申請 intake with REAL signed packages (the app's signer + the in-process card emulator):
 * receipt, list, detail, idempotency (also 50 parallel requests on a listening server), every
 * refusal with its problem document and an unchanged database, authorisation, the admin status
 * workflow.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_PACKAGE_MEDIA_TYPE } from '../intake/submit.ts';
import { applicationInconsistencies, type Draft, sampleDraft, signPackage, submit } from '../intake/test-support.ts';
import { count, dbDigest, expectProblem, login, startTestPortal, type TestPortal } from './test-support.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let portal: TestPortal;
let cookie: string;
let pkg01: Uint8Array;

beforeAll(async () => {
  portal = await startTestPortal();
  cookie = await login(portal, 'resident-01');
  pkg01 = await signPackage('resident-01', sampleDraft('jidou-teate-nintei', 'happy'));
});
afterAll(() => portal.dispose());

const realApplications = () => count(portal.db, 'applications', 'demo = 0');

/** Runs the request and asserts the problem and that not one row of any table changed. */
async function refused(
  run: () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>,
  status: number,
  code: string,
) {
  const before = dbDigest(portal.db);
  const doc = expectProblem(await run(), status, code);
  expect(dbDigest(portal.db)).toEqual(before);
  return doc;
}

describe('POST /api/v1/me/applications — accepted', () => {
  let receipt: Record<string, unknown>;

  it('verifies, stores and answers 201 with a 受付番号', async () => {
    const r = await submit(portal, cookie, pkg01, 'happy-path-0001');
    expect(r.statusCode, r.body).toBe(201);
    receipt = r.json();
    expect(receipt).toMatchObject({
      status: 'received',
      statusLabel: '受付済',
      procedure: { id: 'jidou-teate-nintei', title: '児童手当 認定請求' },
      municipality: { code: '131016', name: '千代田区' },
      verification: { valid: true },
    });
    const era = `R${portal.clock.now().getUTCFullYear() - 2018}`;
    expect(receipt.receiptNumber).toMatch(new RegExp(`^${era}-131016-\\d{6}$`));
    expect(r.headers.location).toBe(`/api/v1/me/applications/${receipt.applicationId}`);
    const checks = (receipt.verification as { checks: { check: string; status: string }[] }).checks;
    expect(checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        'package-structure',
        'manifest-signed',
        'attachments',
        'signature',
        'chain',
        'revocation',
      ]),
    );
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);

    const stored = portal.db
      .prepare('SELECT bytes FROM application_packages WHERE application_id = ?')
      .get(receipt.applicationId) as { bytes: Buffer };
    expect(Buffer.compare(stored.bytes, Buffer.from(pkg01))).toBe(0);
    expect(applicationInconsistencies(portal.db)).toEqual([]);
  });

  it('lists it first, with the seeded demo applications after it', async () => {
    const r = await portal.app.inject({ url: '/api/v1/me/applications', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    const list = r.json();
    expect(list.items[0]).toMatchObject({ id: receipt.applicationId, status: 'received', demo: false });
    expect(list.items.filter((i: { demo: boolean }) => i.demo)).toHaveLength(2);
    expect(list.total).toBe(count(portal.db, 'applications', "resident_id = 'resident-01'"));
    const completed = await portal.app.inject({ url: '/api/v1/me/applications?status=completed', headers: { cookie } });
    expect(completed.json().items.every((i: { status: string }) => i.status === 'completed')).toBe(true);
    expect(completed.json().total).toBe(1);
    const paged = await portal.app.inject({ url: '/api/v1/me/applications?pageSize=1&page=2', headers: { cookie } });
    expect(paged.json()).toMatchObject({ page: 2, pageSize: 1, totalPages: list.total });
    expect(paged.json().items).toHaveLength(1);
  });

  it('shows the detail: manifest summary, attachments, verification, history', async () => {
    const r = await portal.app.inject({ url: `/api/v1/me/applications/${receipt.applicationId}`, headers: { cookie } });
    expect(r.statusCode).toBe(200);
    const d = r.json();
    const draft = sampleDraft('jidou-teate-nintei', 'happy');
    expect(d.attachments).toEqual(
      draft.attachments.map((a) => ({
        name: a.name,
        mediaType: a.mediaType,
        size: a.bytes.length,
        sha256: sha256(a.bytes),
      })),
    );
    expect(d.manifest).toMatchObject({ applicantName: '見本　花子', format: 'myna-companion/application-package' });
    expect(d.manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.package).toEqual({ stored: true, size: pkg01.length, sha256: sha256(pkg01) });
    expect(d.verification.valid).toBe(true);
    expect(d.verification.signer.name).toBe('見本　花子');
    expect(d.verification.signingTime).toMatch(/^\d{4}-/);
    expect(d.history).toEqual([
      { from: null, to: 'received', toLabel: '受付済', at: receipt.receivedAt, actor: 'resident', note: null },
    ]);
  });

  it('records 電子申請 in the 操作履歴', async () => {
    const r = await portal.app.inject({ url: '/api/v1/me/activity', headers: { cookie } });
    const entry = r
      .json()
      .items.find((i: { kind: string; summary: string }) => i.summary.includes(String(receipt.receiptNumber)));
    expect(entry).toMatchObject({ kind: 'application-submitted' });
    expect(entry.summary).toContain('児童手当 認定請求（千代田区）');
  });

  it('the same key and bytes again → 200 with the same receipt and no second application', async () => {
    const n = realApplications();
    const before = dbDigest(portal.db);
    const r = await submit(portal, cookie, pkg01, 'happy-path-0001');
    expect(r.statusCode).toBe(200);
    expect(r.headers['idempotent-replayed']).toBe('true');
    expect(r.json()).toEqual(receipt);
    expect(realApplications()).toBe(n);
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('the same key with other bytes → 422 IDEMPOTENCY_KEY_CONFLICT', async () => {
    const other = await signPackage('resident-01', sampleDraft('jidou-teate-nintei', 'other'));
    await refused(() => submit(portal, cookie, other, 'happy-path-0001'), 422, 'IDEMPOTENCY_KEY_CONFLICT');
  });

  it('a 保育所 入所申込 is accepted too, with its own sequence number', async () => {
    const pkg = await signPackage('resident-01', sampleDraft('hoikusho-nyusho'));
    const r = await submit(portal, cookie, pkg, 'hoikusho-0001');
    expect(r.statusCode, r.body).toBe(201);
    const seq = (n: unknown) => Number(String(n).split('-')[2]);
    expect(seq(r.json().receiptNumber)).toBe(seq(receipt.receiptNumber) + 1);
  });
});

describe('POST /api/v1/me/applications — refused, nothing stored', () => {
  it('no Idempotency-Key, or a malformed one → 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    await refused(() => submit(portal, cookie, pkg01, undefined), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    await refused(() => submit(portal, cookie, pkg01, 'short'), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    await refused(() => submit(portal, cookie, pkg01, 'has spaces in it'), 400, 'IDEMPOTENCY_KEY_REQUIRED');
  });

  it('without a session → 401', async () => {
    await refused(() => submit(portal, '', pkg01, 'no-session-0001'), 401, 'UNAUTHENTICATED');
  });

  it('a package signed with a revoked certificate (resident-02) → 422 PACKAGE_INVALID (revocation)', async () => {
    const pkg = await signPackage('resident-02', sampleDraft());
    const doc = await refused(() => submit(portal, cookie, pkg, 'revoked-0001'), 422, 'PACKAGE_INVALID');
    expect((doc.failures as { check: string }[]).map((f) => f.check)).toContain('revocation');
  });

  it('a package signed with an expired certificate (resident-03) → 422 PACKAGE_INVALID (validity)', async () => {
    const pkg = await signPackage('resident-03', sampleDraft());
    const doc = await refused(() => submit(portal, cookie, pkg, 'expired-0001'), 422, 'PACKAGE_INVALID');
    expect((doc.failures as { check: string }[]).map((f) => f.check)).toContain('validity');
  });

  it('a tampered package (one attachment byte changed) → 422 PACKAGE_INVALID', async () => {
    const bytes = Buffer.from(pkg01);
    const at = bytes.indexOf(Buffer.from('%PDF-1.7\n% 通帳'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 30] = (bytes[at + 30] as number) ^ 0x01;
    const doc = await refused(() => submit(portal, cookie, bytes, 'tampered-0001'), 422, 'PACKAGE_INVALID');
    expect(doc.failures).toBeTruthy();
  });

  it('a tampered manifest (bytes changed after signing) → 422 PACKAGE_INVALID', async () => {
    const bytes = Buffer.from(pkg01);
    const at = bytes.indexOf(Buffer.from('"declaration":true'));
    expect(at).toBeGreaterThan(0);
    bytes.write('"declaration":fals', at, 'latin1'); // same length; the ZIP CRC or the signature catches it
    await refused(() => submit(portal, cookie, bytes, 'tampered-0002'), 422, 'PACKAGE_INVALID');
  });

  it('garbage, an empty body or an unsigned ZIP → 422 PACKAGE_INVALID with the archive problem', async () => {
    const garbage = await refused(
      () => submit(portal, cookie, Buffer.from('this is not a zip file at all'), 'garbage-0001'),
      422,
      'PACKAGE_INVALID',
    );
    expect(garbage.packageErrorCode).toBeTruthy();
    expect((garbage.failures as { check: string }[])[0]?.check).toBe('package-structure');
    await refused(() => submit(portal, cookie, new Uint8Array(0), 'empty-0001'), 422, 'PACKAGE_INVALID');
  });

  it('another resident’s validly signed package (resident-05) submitted by resident-01 → 403', async () => {
    const pkg = await signPackage('resident-05', sampleDraft());
    await refused(() => submit(portal, cookie, pkg, 'foreign-0001'), 403, 'SIGNER_NOT_RESIDENT');
  });

  it('resident-02’s package submitted by resident-01 is refused (verification comes first: 422)', async () => {
    const pkg = await signPackage('resident-02', sampleDraft());
    await refused(() => submit(portal, cookie, pkg, 'foreign-0002'), 422, 'PACKAGE_INVALID');
  });

  it('a form that fails validation → 422 APPLICATION_FORM_INVALID with the paths', async () => {
    const draft: Draft = sampleDraft();
    const applicant = draft.form.applicant as Record<string, unknown>;
    delete applicant.nameKana;
    applicant.myNumber = '333916718721'; // wrong check digit
    const pkg = await signPackage('resident-01', draft);
    const doc = await refused(() => submit(portal, cookie, pkg, 'form-invalid-0001'), 422, 'APPLICATION_FORM_INVALID');
    const errors = doc.errors as { in: string; path: string; code: string; messageJa: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'manifest', path: '/form/applicant/nameKana', code: 'required' }),
        expect.objectContaining({ in: 'manifest', path: '/form/applicant/myNumber', code: 'my-number' }),
      ]),
    );
    expect(errors.every((e) => e.messageJa.length > 0)).toBe(true);
  });

  it('an attachment the form does not declare → 422 APPLICATION_FORM_INVALID at /attachments/1', async () => {
    const draft = sampleDraft();
    draft.attachments.push({
      name: 'extra.pdf',
      mediaType: 'application/pdf',
      bytes: sampleDraft().attachments[0]!.bytes,
    });
    const pkg = await signPackage('resident-01', draft);
    const doc = await refused(() => submit(portal, cookie, pkg, 'form-invalid-0002'), 422, 'APPLICATION_FORM_INVALID');
    expect(doc.errors).toEqual([expect.objectContaining({ path: '/attachments/1', code: 'attachment-undeclared' })]);
  });

  it('a procedure the municipality does not take online (名古屋市) → 422 PROCEDURE_NOT_AVAILABLE', async () => {
    const pkg = await signPackage('resident-01', { ...sampleDraft(), municipalityCode: '231002' });
    const doc = await refused(() => submit(portal, cookie, pkg, 'not-online-0001'), 422, 'PROCEDURE_NOT_AVAILABLE');
    expect(doc.detailJa).toContain('名古屋市');
    const unknown = await signPackage('resident-01', { ...sampleDraft(), procedureId: 'inkan-toroku' });
    await refused(() => submit(portal, cookie, unknown, 'not-online-0002'), 422, 'PROCEDURE_NOT_AVAILABLE');
  });

  it('any other content type → 415', async () => {
    for (const type of ['application/json', 'application/zip', 'application/octet-stream', 'text/plain']) {
      const doc = await refused(
        () => submit(portal, cookie, pkg01, `wrong-type-${type.replace(/\W/g, '')}`, type),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(doc.detail).toContain(APPLICATION_PACKAGE_MEDIA_TYPE);
    }
    await refused(
      () =>
        portal.app.inject({
          method: 'POST',
          url: '/api/v1/me/applications',
          headers: { cookie, 'idempotency-key': 'no-body-0001' },
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('a body over config.packageBodyLimit → 413', async () => {
    const limit = portal.app.portal.config.packageBodyLimit;
    const big = Buffer.alloc(limit + 1);
    big.set(pkg01);
    await refused(() => submit(portal, cookie, big, 'too-big-0001'), 413, 'BODY_TOO_LARGE');
  });
});

describe('authorisation', () => {
  it('resident-01 cannot read resident-05’s application (404), nor see it in the list', async () => {
    const cookie05 = await login(portal, 'resident-05');
    const own = await submit(portal, cookie05, await signPackage('resident-05', sampleDraft()), 'resident-05-0001');
    expect(own.statusCode, own.body).toBe(201);
    const id = own.json().applicationId;
    expect(
      (await portal.app.inject({ url: `/api/v1/me/applications/${id}`, headers: { cookie: cookie05 } })).statusCode,
    ).toBe(200);
    expectProblem(
      await portal.app.inject({ url: `/api/v1/me/applications/${id}`, headers: { cookie } }),
      404,
      'APPLICATION_NOT_FOUND',
    );
    const list = (await portal.app.inject({ url: '/api/v1/me/applications?pageSize=100', headers: { cookie } })).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(id);
    // The same Idempotency-Key is per resident: resident-01 using resident-05's key is a new operation.
    const mine = await submit(portal, cookie, await signPackage('resident-01', sampleDraft()), 'resident-05-0001');
    expect(mine.statusCode).toBe(201);
    expect(mine.json().applicationId).not.toBe(id);
  });

  it('unknown and malformed ids → 404 / 400', async () => {
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/applications/app_0000', headers: { cookie } }),
      404,
      'APPLICATION_NOT_FOUND',
    );
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/applications/a%20b', headers: { cookie } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/applications?status=done', headers: { cookie } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('the admin hook does not exist without an adminToken', async () => {
    const r = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/admin/applications/app_x/status',
      payload: { status: 'under-review' },
    });
    expectProblem(r, 404, 'NOT_FOUND');
  });
});

describe('status workflow via the admin hook (受付済 → 審査中 → 完了 / 差戻し)', () => {
  const TOKEN = 'test-admin-token-0123456789';
  let admin: TestPortal;
  let cookieA: string;
  beforeAll(async () => {
    admin = await startTestPortal({ adminToken: TOKEN });
    cookieA = await login(admin, 'resident-01');
  });
  afterAll(() => admin.dispose());

  const move = (id: string, body: object, token = TOKEN) =>
    admin.app.inject({
      method: 'POST',
      url: `/api/v1/admin/applications/${id}/status`,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });

  it('allows only the workflow’s transitions, records each, and the resident sees them', async () => {
    const ids: string[] = [];
    for (const salt of ['a', 'b']) {
      const r = await submit(
        admin,
        cookieA,
        await signPackage('resident-01', sampleDraft('jidou-teate-nintei', salt)),
        `wf-${salt}-00001`,
      );
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().applicationId);
    }
    const [a, b] = ids as [string, string];

    const unchanged = async (run: () => ReturnType<typeof move>, status: number, code: string) => {
      const before = dbDigest(admin.db);
      expectProblem(await run(), status, code);
      expect(dbDigest(admin.db)).toEqual(before);
    };
    await unchanged(() => move(a, { status: 'completed' }), 409, 'APPLICATION_STATUS_CONFLICT');
    await unchanged(() => move(a, { status: 'received' }), 400, 'VALIDATION_FAILED');
    await unchanged(() => move(a, { status: 'under-review' }, 'wrong-token-wrong-token'), 401, 'ADMIN_UNAUTHORIZED');
    await unchanged(
      () =>
        admin.app.inject({
          method: 'POST',
          url: `/api/v1/admin/applications/${a}/status`,
          payload: { status: 'under-review' },
        }),
      401,
      'ADMIN_UNAUTHORIZED',
    );
    await unchanged(() => move('app_unknown', { status: 'under-review' }), 404, 'APPLICATION_NOT_FOUND');

    admin.clock.advance(60_000);
    const r1 = await move(a, { status: 'under-review' });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ status: 'under-review', statusLabel: '審査中' });
    await unchanged(() => move(a, { status: 'under-review' }), 409, 'APPLICATION_STATUS_CONFLICT');
    const done = await move(a, { status: 'completed', note: '認定しました' });
    expect(done.json().history.map((h: { to: string }) => h.to)).toEqual(['received', 'under-review', 'completed']);
    await unchanged(() => move(a, { status: 'returned', note: 'x' }), 409, 'APPLICATION_STATUS_CONFLICT');

    expect((await move(b, { status: 'under-review' })).statusCode).toBe(200);
    await unchanged(() => move(b, { status: 'returned' }), 400, 'VALIDATION_FAILED'); // a reason is required
    const returned = await move(b, { status: 'returned', note: '所得証明書が不鮮明です。再度申請してください。' });
    expect(returned.json()).toMatchObject({ status: 'returned', statusLabel: '差戻し' });
    await unchanged(() => move(b, { status: 'completed' }), 409, 'APPLICATION_STATUS_CONFLICT');

    const d = (await admin.app.inject({ url: `/api/v1/me/applications/${b}`, headers: { cookie: cookieA } })).json();
    expect(d.status).toBe('returned');
    expect(d.history.map((h: { to: string; actor: string }) => `${h.to}/${h.actor}`)).toEqual([
      'received/resident',
      'under-review/admin',
      'returned/admin',
    ]);
    expect(d.history[2].note).toContain('所得証明書');
    expect(d.updatedAt > d.receivedAt).toBe(true);
    const returnedList = (
      await admin.app.inject({ url: '/api/v1/me/applications?status=returned', headers: { cookie: cookieA } })
    ).json();
    expect(returnedList.items.map((i: { id: string }) => i.id)).toEqual([b]);
  });

  it('the database refuses a transition outside the workflow even without the route', () => {
    const id = (
      admin.db.prepare("SELECT id FROM applications WHERE status = 'completed' LIMIT 1").get() as { id: string }
    ).id;
    expect(() => admin.db.prepare("UPDATE applications SET status = 'received' WHERE id = ?").run(id)).toThrow(
      /transition not allowed/,
    );
  });

  it('the OpenAPI document lists the application, kosodate and admin routes', async () => {
    const doc = (await admin.app.inject({ url: '/api/v1/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/v1/me/applications', 'post'],
      ['/api/v1/me/applications', 'get'],
      ['/api/v1/me/applications/{id}', 'get'],
      ['/api/v1/admin/applications/{id}/status', 'post'],
      ['/api/v1/kosodate/services', 'get'],
      ['/api/v1/kosodate/services/{id}', 'get'],
      ['/api/v1/kosodate/procedures/{procedureId}/form', 'get'],
      ['/api/v1/kosodate/categories', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
    }
    const post = doc.paths['/api/v1/me/applications'].post;
    expect(Object.keys(post.requestBody.content)).toEqual([APPLICATION_PACKAGE_MEDIA_TYPE]);
    expect(
      post.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key'),
    ).toBe(true);
    const registered = admin.app.portalRoutes
      .filter((r) => !r.hidden && r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(documented).toEqual(registered);
  });

  it('an adminToken shorter than 16 characters is refused at start', async () => {
    await expect(startTestPortal({ adminToken: 'short' })).rejects.toThrow(/adminToken/);
  });
});

describe('50 parallel submissions with one Idempotency-Key (listening server, fetch)', () => {
  it('create exactly one application; every response carries its receipt', async () => {
    const p = await startTestPortal();
    try {
      const c = await login(p, 'resident-01');
      const pkg = await signPackage('resident-01', sampleDraft('hoikusho-nyusho', 'parallel'));
      const n = count(p.db, 'applications');
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${p.url}/api/v1/me/applications`, {
            method: 'POST',
            headers: {
              cookie: c,
              'content-type': APPLICATION_PACKAGE_MEDIA_TYPE,
              'idempotency-key': 'parallel-key-0001',
            },
            body: new Uint8Array(pkg),
          }),
        ),
      );
      const bodies = await Promise.all(responses.map((r) => r.json()));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      expect(new Set(bodies.map((b) => b.applicationId)).size).toBe(1);
      expect(new Set(bodies.map((b) => b.receiptNumber)).size).toBe(1);
      expect(count(p.db, 'applications')).toBe(n + 1);
      expect(count(p.db, 'application_packages')).toBe(1);
      expect(count(p.db, 'idempotency_keys', "scope = 'application'")).toBe(1);
      expect(applicationInconsistencies(p.db)).toEqual([]);
    } finally {
      await p.dispose();
    }
  });
});
