import { describe, expect, it } from 'vitest';
import { EXTERNAL_HOSTS, externalHostsFor, externalUrl, safeOpenExternal } from './external.ts';

const HOSTS = externalHostsFor('https://portal.example.lg.jp');

describe('safeOpenExternal (checklist #15)', () => {
  it('#15 opens allowlisted https URLs, normalised', async () => {
    const opened: string[] = [];
    const open = async (u: string) => {
      opened.push(u);
    };
    expect(
      await safeOpenExternal('https://myna.go.jp/html/faq.html', { allowedHosts: HOSTS, kiosk: false, open }),
    ).toBe(true);
    expect(
      await safeOpenExternal('https://WWW.Digital.go.jp:443/a?b=1', { allowedHosts: HOSTS, kiosk: false, open }),
    ).toBe(true);
    expect(
      await safeOpenExternal('https://portal.example.lg.jp/help', { allowedHosts: HOSTS, kiosk: false, open }),
    ).toBe(true);
    expect(opened).toEqual([
      'https://myna.go.jp/html/faq.html',
      'https://www.digital.go.jp/a?b=1',
      'https://portal.example.lg.jp/help',
    ]);
  });

  it('#15 rejects file:, smb:, javascript:, custom schemes and plain http', () => {
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'file://server/share/x.exe',
      'smb://attacker.example/share',
      'javascript:alert(1)',
      'data:text/html,x',
      'ms-msdt:/id PCWDiagnostic',
      'search-ms:query=x',
      'myna://x',
      'mailto:someone@example.com',
      'http://myna.go.jp/',
      'ftp://myna.go.jp/',
    ]) {
      expect(externalUrl(url, HOSTS), url).toBeUndefined();
    }
  });

  it('#15 rejects userinfo, look-alike hosts, ports and parser tricks', () => {
    for (const url of [
      'https://myna.go.jp@attacker.example/',
      'https://attacker.example@myna.go.jp/',
      'https://user:pw@myna.go.jp/',
      'https://myna.go.jp.attacker.example/',
      'https://attacker.example/https://myna.go.jp/',
      'https://evilmyna.go.jp/',
      'https://sub.myna.go.jp/',
      'https://myna.go.jp./',
      'https://myna.go.jp:8443/',
      'https://myna.go.jp\\@attacker.example/',
      'https://myna.go.jp\t.attacker.example/',
      'https://myna.go.jp\n.attacker.example/',
      ' https://myna.go.jp/',
      `https://myna.go.jp/${'a'.repeat(3000)}`,
      'https://127.0.0.1/',
      '',
    ]) {
      expect(externalUrl(url, HOSTS), JSON.stringify(url)).toBeUndefined();
    }
    expect(externalUrl(42, HOSTS)).toBeUndefined();
    // Full-width letters are the same host after IDNA mapping: what opens is the real host.
    expect(externalUrl('https://ｍｙｎａ.go.jp/', HOSTS)).toBe('https://myna.go.jp/');
    expect(externalUrl(undefined, HOSTS)).toBeUndefined();
  });

  it('#15 opens nothing in kiosk mode (electron-anchors §6)', async () => {
    const opened: string[] = [];
    const ok = await safeOpenExternal('https://myna.go.jp/', {
      allowedHosts: HOSTS,
      kiosk: true,
      open: async (u) => {
        opened.push(u);
      },
    });
    expect(ok).toBe(false);
    expect(opened).toEqual([]);
  });

  it('reports failure when the OS refuses', async () => {
    const ok = await safeOpenExternal('https://myna.go.jp/', {
      allowedHosts: HOSTS,
      kiosk: false,
      open: async () => {
        throw new Error('no handler');
      },
    });
    expect(ok).toBe(false);
  });

  it('the allowlist is the government hosts plus an https portal, never an http demo portal', () => {
    expect(EXTERNAL_HOSTS).toEqual(['myna.go.jp', 'www.digital.go.jp', 'www.jpki.go.jp']);
    expect(externalHostsFor('http://127.0.0.1:4321')).toEqual([...EXTERNAL_HOSTS]);
    expect(externalHostsFor(undefined)).toEqual([...EXTERNAL_HOSTS]);
    expect(externalHostsFor('https://portal.example.lg.jp:8443')).toContain('portal.example.lg.jp:8443');
  });
});
