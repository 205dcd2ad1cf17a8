import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { API_CSP, assertBareHttpOrigin, buildCsp, securityHeaders } from './csp.ts';

// Electronegativity's own CSP evaluator (Google's csp-evaluator): the scanner cannot read the
// runtime value, so the test evaluates it.
const cspEvaluator = createRequire(import.meta.url)('@doyensec/csp-evaluator') as {
  CspParser: new (s: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { severity: number; directive: string }[] };
  Version: { CSP3: unknown };
  severities: Record<string, number>;
};

function evaluate(policy: string) {
  const parsed = new cspEvaluator.CspParser(policy);
  return new cspEvaluator.CspEvaluator(parsed.csp, cspEvaluator.Version.CSP3).evaluate();
}

describe('buildCsp (checklist #7)', () => {
  it('#7 is exactly the policy of the issue, with the portal origin in connect-src', () => {
    expect(buildCsp({ portalOrigin: 'https://portal.example.lg.jp' })).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self' https://portal.example.lg.jp; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'; object-src 'none'",
    );
  });

  it('#7 has no unsafe-inline, unsafe-eval, wildcard or remote script source', () => {
    const csp = buildCsp({ portalOrigin: 'http://127.0.0.1:43210' });
    expect(csp).not.toMatch(/unsafe-|\*/);
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
  });

  it('#7 passes the CSP evaluator Electronegativity uses: nothing high or medium for an https portal', () => {
    const findings = evaluate(buildCsp({ portalOrigin: 'https://portal.example.lg.jp' }));
    const bad = findings.filter(
      (f) => f.severity === cspEvaluator.severities.HIGH || f.severity === cspEvaluator.severities.MEDIUM,
    );
    expect(bad).toEqual([]);
  });

  it('#7 the demo portal on loopback http is only flagged for http/localhost in connect-src', () => {
    const findings = evaluate(buildCsp({ portalOrigin: 'http://127.0.0.1:43210' }));
    const high = findings.filter((f) => f.severity === cspEvaluator.severities.HIGH);
    expect(high).toEqual([]);
    const medium = findings.filter((f) => f.severity === cspEvaluator.severities.MEDIUM);
    expect(medium.map((f) => f.directive)).toEqual(['connect-src']);
  });

  it('refuses a portal origin that could inject into the policy', () => {
    for (const bad of [
      "https://a.example; script-src 'unsafe-inline'",
      'https://a.example/path',
      'https://user@a.example',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '*',
      "'self'",
      'https://a.example ',
      'HTTPS://A.EXAMPLE',
    ]) {
      expect(() => buildCsp({ portalOrigin: bad }), bad).toThrow();
    }
    expect(assertBareHttpOrigin('https://a.example:8443')).toBe('https://a.example:8443');
  });
});

describe('securityHeaders', () => {
  it('sets the CSP, nosniff and no framing on every response', () => {
    const h = securityHeaders('x');
    expect(h['content-security-policy']).toBe('x');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['referrer-policy']).toBe('no-referrer');
  });

  it('the API responses get a sandboxing, script-less policy', () => {
    expect(API_CSP).toContain("default-src 'none'");
    expect(API_CSP).toContain('sandbox');
    expect(evaluate(API_CSP).filter((f) => f.severity === cspEvaluator.severities.HIGH)).toEqual([]);
  });
});
