import { describe, expect, it } from 'vitest';
import { isAllowedRequest } from './request-filter.ts';

const policy = { appOrigin: 'app://myna-companion', portalOrigin: 'https://portal.example.lg.jp', devTools: false };

describe('isAllowedRequest (checklist #1)', () => {
  it('#1 lets our origin, inline data/blob and the configured portal through', () => {
    for (const url of [
      'app://myna-companion/index.html',
      'app://myna-companion/api/v1/me',
      'data:image/png;base64,AAAA',
      'blob:app://myna-companion/6f1c',
      'https://portal.example.lg.jp/api/v1/notices',
    ]) {
      expect(isAllowedRequest(url, policy), url).toBe(true);
    }
  });

  it('#1 cancels plain http and every other host, scheme or look-alike', () => {
    for (const url of [
      'http://portal.example.lg.jp/api/v1/notices',
      'https://portal.example.lg.jp.attacker.example/',
      'https://cdn.example.com/lib.js',
      'http://127.0.0.1:8080/',
      'ws://portal.example.lg.jp/',
      'wss://portal.example.lg.jp/',
      'file:///etc/passwd',
      'ftp://example.com/',
      'app://other/index.html',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isAllowedRequest(url, policy), url).toBe(false);
    }
  });

  it('DevTools pages load only in development', () => {
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', { ...policy, devTools: true })).toBe(true);
  });

  it('#1 an http portal is allowed only because it is the configured (loopback demo) portal', () => {
    const demo = { ...policy, portalOrigin: 'http://127.0.0.1:43210' };
    expect(isAllowedRequest('http://127.0.0.1:43210/api/v1/me', demo)).toBe(true);
    expect(isAllowedRequest('http://127.0.0.1:43211/api/v1/me', demo)).toBe(false);
  });
});
