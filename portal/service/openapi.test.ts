import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPortal, type TestPortal } from './test-support.ts';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { in: string; name: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

let portal: TestPortal;
let doc: Doc;
beforeAll(async () => {
  portal = await startTestPortal({ seed: 'none' });
  const r = await portal.app.inject({ url: '/api/v1/openapi.json' });
  expect(r.statusCode).toBe(200);
  doc = r.json() as Doc;
});
afterAll(() => portal.dispose());

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('GET /api/v1/openapi.json', () => {
  it('is OpenAPI 3.1 with the session cookie scheme and the shared Problem schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'myna_session',
    });
    expect(doc.components.schemas.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail', 'code'] });
  });

  it('lists every route the service registered, and nothing else', () => {
    const registered = portal.app.portalRoutes
      .filter((r) => !r.hidden && r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${toOpenApiPath(r.url)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(registered);
    expect(registered.length).toBeGreaterThanOrEqual(21);
    expect(registered.every((r) => r.split(' ')[1]?.startsWith('/api/v1/'))).toBe(true);
  });

  it('every operation has a tag, a summary, a success schema and problem responses', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.tags?.length, where).toBeGreaterThan(0);
        expect(op.summary, where).toBeTruthy();
        const success = Object.keys(op.responses).filter((s) => /^2/.test(s));
        expect(success.length, where).toBeGreaterThan(0);
        for (const s of success)
          if (s !== '204') expect(op.responses[s]?.content?.['application/json']?.schema, where).toBeTruthy();
        for (const s of ['4XX', '5XX']) {
          expect(op.responses[s]?.content?.['application/problem+json']?.schema, `${where} ${s}`).toEqual({
            $ref: '#/components/schemas/Problem',
          });
        }
        if (method === 'post' || method === 'put') {
          if (!/\/(challenge|logout|read)$/.test(path)) expect(op.requestBody, where).toBeTruthy();
        }
        for (const param of path.match(/\{[^}]+\}/g) ?? []) {
          expect(
            op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === param),
            `${where} ${param}`,
          ).toBe(true);
        }
        const me = path.startsWith('/api/v1/me');
        expect(op.security, where).toEqual(me ? [{ sessionCookie: [] }] : undefined);
      }
    }
  });

  it('documents the Japanese field names of やりとり履歴 in the schema', () => {
    const text = JSON.stringify(doc.paths['/api/v1/me/exchanges/{id}']);
    for (const label of [
      '管理番号',
      '状況',
      'やりとり履歴受付日時',
      '照会日時',
      '照会機関',
      '情報照会者部署',
      '提供日時',
      '提供機関',
      '事務',
      '事務手続',
      'やりとりされた情報の名称',
      '法第21条第2項各号の該当',
      '不開示',
    ]) {
      expect(text, label).toContain(label);
    }
  });

  it('has no dangling $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(doc.components.schemas[r], r).toBeTruthy();
  });
});
