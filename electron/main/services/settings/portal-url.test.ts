import { describe, expect, it } from 'vitest';
import { isLoopbackHost, normalisePortalUrl, portalUrlProblem, storedPortalUrlProblem } from './portal-url.ts';

describe('portal URL rule', () => {
  it.each([
    ['https://portal.example.jp', 'https://portal.example.jp'],
    ['https://Portal.Example.JP/', 'https://portal.example.jp'],
    ['https://portal.example.jp:443', 'https://portal.example.jp'],
    ['https://portal.example.jp:8443/', 'https://portal.example.jp:8443'],
    ['https://マイナポータル.jp', 'https://xn--eckuc6a2ec6fwf.jp'],
    ['https://203.0.113.7', 'https://203.0.113.7'],
    ['https://[2001:db8::1]:8443', 'https://[2001:db8::1]:8443'],
    ['http://127.0.0.1:54321', 'http://127.0.0.1:54321'],
    ['http://127.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('accepts %s as %s', (input, origin) => {
    expect(normalisePortalUrl(input)).toEqual({ ok: true, origin });
    expect(portalUrlProblem(input)).toBeUndefined();
    expect(storedPortalUrlProblem(origin)).toBeUndefined();
  });

  it.each([
    ['http://portal.example.jp', 'not-loopback'],
    ['http://192.168.1.10:8080', 'not-loopback'],
    ['http://10.0.0.1', 'not-loopback'],
    ['http://[::ffff:127.0.0.1]', 'not-loopback'],
    ['http://localhost.example.jp', 'not-loopback'],
    ['ftp://portal.example.jp', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['app://myna-companion', 'scheme'],
    ['ws://127.0.0.1', 'scheme'],
    ['https://user:pw@portal.example.jp', 'credentials'],
    ['https://user@portal.example.jp', 'credentials'],
    ['https://portal.example.jp/mynaportal/', 'not-origin'],
    ['https://portal.example.jp/?next=x', 'not-origin'],
    ['https://portal.example.jp/?', 'not-origin'],
    ['https://portal.example.jp/#', 'not-origin'],
    ['https://por_tal.example.jp', 'host'],
    ['https://portal.example.jp.', 'host'],
    ['portal.example.jp', 'malformed'],
    ['', 'malformed'],
    [`https://${'a'.repeat(2050)}.jp`, 'too-long'],
  ])('refuses %.60s (%s)', (input, rule) => {
    expect(portalUrlProblem(input)).toEqual({ rule });
  });

  it('a stored value must already be normalised', () => {
    expect(storedPortalUrlProblem('https://Portal.example.jp')).toEqual({ rule: 'not-normalised' });
    expect(storedPortalUrlProblem('https://portal.example.jp/')).toEqual({ rule: 'not-normalised' });
  });

  it('loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});
