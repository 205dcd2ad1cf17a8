import { describe, expect, it } from 'vitest';
import { checkPortalUrl, parseLaunchOptions } from './launch-config.ts';
import { portalUrlProblem } from './services/settings/portal-url.ts';

describe('parseLaunchOptions', () => {
  it('reads --kiosk, --demo and --portal-url in both spellings', () => {
    expect(parseLaunchOptions(['app', '--kiosk', '--demo', '--portal-url=https://portal.example.jp'])).toEqual({
      ok: true,
      options: { kiosk: true, demoMode: true, portalUrl: 'https://portal.example.jp' },
    });
    expect(parseLaunchOptions(['app', '--portal-url', 'https://Portal.Example.jp:8443/'])).toEqual({
      ok: true,
      options: { portalUrl: 'https://portal.example.jp:8443' },
    });
  });

  it('refuses a portal URL the settings would refuse, saying what is expected in ja and en', () => {
    for (const bad of ['http://portal.example.jp', 'https://u:p@portal.example.jp', 'javascript:alert(1)', 'ftp://x']) {
      const r = parseLaunchOptions(['app', '--portal-url', bad]);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message.ja).toMatch(/オリジン/);
    }
    expect(parseLaunchOptions(['app', '--portal-url']).ok).toBe(false);
  });

  it('uses exactly the settings file rule for portal URLs (one rule, not two)', () => {
    const cases = [
      'https://portal.example.jp',
      'https://portal.example.jp/some/path',
      'http://127.0.0.1:8080',
      'http://127.0.0.2:8080',
      'http://localhost:3000/',
      'https://bad_host.example',
      'https://portal.example.jp.',
      'http://portal.example.jp',
      'https://[::1]:8443',
    ];
    for (const c of cases) expect(checkPortalUrl(c) !== undefined, c).toBe(portalUrlProblem(c) === undefined);
  });

  it('takes a demo resident id from the environment only when it is well-formed', () => {
    expect(parseLaunchOptions(['app'], { MYNA_DEMO_RESIDENT: 'resident-04' })).toEqual({
      ok: true,
      options: { demoResident: 'resident-04' },
    });
    expect(parseLaunchOptions(['app'], { MYNA_DEMO_RESIDENT: '../../etc/passwd' })).toEqual({ ok: true, options: {} });
  });
});
