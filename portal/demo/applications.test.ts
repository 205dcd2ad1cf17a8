/** The seeded demo applications: present, marked demo, valid forms, shown by the API without a package. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationInconsistencies } from '../intake/test-support.ts';
import { validateApplication } from '../kosodate/index.ts';
import { count, login, startTestPortal, type TestPortal } from '../service/test-support.ts';
import { DEMO_APPLICATIONS } from './applications.ts';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.dispose());

describe('demo seed: applications', () => {
  it('seeds resident-01’s past applications in different states, consistently', () => {
    const rows = portal.db
      .prepare('SELECT receipt_number, status, demo, verification FROM applications ORDER BY received_at')
      .all() as { receipt_number: string; status: string; demo: number; verification: string | null }[];
    expect(rows).toEqual([
      { receipt_number: 'R7-131016-000001', status: 'completed', demo: 1, verification: null },
      { receipt_number: 'R7-131016-000002', status: 'under-review', demo: 1, verification: null },
    ]);
    expect(count(portal.db, 'application_packages')).toBe(0);
    expect(rows).toHaveLength(DEMO_APPLICATIONS.length);
    expect(applicationInconsistencies(portal.db)).toEqual([]);
  });

  it('their manifests hold forms that pass validateApplication', () => {
    for (const { manifest } of portal.db.prepare('SELECT manifest FROM applications').all() as { manifest: string }[]) {
      const m = JSON.parse(manifest);
      const r = validateApplication({
        procedureId: m.procedure.id,
        municipalityCode: m.municipality.code,
        form: m.form,
        attachments: m.attachments,
      });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it('the API shows them as demo records: no package, no verification, their history', async () => {
    const cookie = await login(portal, 'resident-01');
    const list = (await portal.app.inject({ url: '/api/v1/me/applications', headers: { cookie } })).json();
    expect(list.items.map((i: { statusLabel: string }) => i.statusLabel)).toEqual(['審査中', '完了']);
    const done = list.items[1];
    const r = await portal.app.inject({ url: `/api/v1/me/applications/${done.id}`, headers: { cookie } });
    expect(r.statusCode).toBe(200);
    const d = r.json();
    expect(d).toMatchObject({
      demo: true,
      package: { stored: false, size: null, sha256: null },
      verification: null,
      procedure: { title: '児童手当 認定請求' },
      manifest: { applicantName: '見本　花子' },
    });
    expect(d.history.map((h: { toLabel: string }) => h.toLabel)).toEqual(['受付済', '審査中', '完了']);
    expect(d.history[2].note).toContain('認定');
    const activity = (await portal.app.inject({ url: '/api/v1/me/activity?pageSize=100', headers: { cookie } })).json();
    expect(activity.items.filter((a: { kind: string }) => a.kind === 'application-submitted')).toHaveLength(2);
    // resident-02 has none
    const cookie02 = await login(portal, 'resident-02');
    expect(
      (await portal.app.inject({ url: '/api/v1/me/applications', headers: { cookie: cookie02 } })).json().total,
    ).toBe(0);
  });
});
