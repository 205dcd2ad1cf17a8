import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, parseAppOrigin, parseAppUrl } from './navigation.ts';

const APP = 'app://myna-companion';

describe('isAllowedNavigation (checklist #13)', () => {
  it('#13 allows our own app:// pages, with query and fragment', () => {
    expect(isAllowedNavigation('app://myna-companion/index.html', APP)).toBe(true);
    expect(isAllowedNavigation('app://myna-companion/index.html?x=1#/outbox', APP, ['/index.html'])).toBe(true);
    expect(isAllowedNavigation('app://myna-companion/consent.html', APP, ['/consent.html'])).toBe(true);
  });

  it('#13 refuses look-alike hosts that a prefix check would let through', () => {
    for (const url of [
      'app://myna-companion.attacker.example/index.html',
      'app://myna-companion@attacker.example/index.html',
      'app://attacker.example/app://myna-companion/index.html',
      'app://myna-companion:8080/index.html',
      'app://user:pass@myna-companion/index.html',
      'app://myna-companionx/index.html',
      'https://example.com.attacker.com/',
      'https://myna-companion/index.html',
    ]) {
      expect(isAllowedNavigation(url, APP), url).toBe(false);
    }
  });

  it('#13 refuses every other scheme', () => {
    for (const url of [
      'https://www.digital.go.jp/',
      'http://127.0.0.1:3000/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'blob:app://myna-companion/1234',
      'chrome://settings',
      'devtools://devtools/bundled/inspector.html',
      'smb://server/share',
      'myna://evil',
      '',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url, APP), url).toBe(false);
    }
  });

  it('#13 keeps each window kind on its own page', () => {
    expect(isAllowedNavigation('app://myna-companion/consent.html', APP, ['/index.html'])).toBe(false);
    expect(isAllowedNavigation('app://myna-companion/api/v1/me', APP, ['/index.html'])).toBe(false);
    expect(isAllowedNavigation('app://myna-companion/', APP, ['/consent.html'])).toBe(false);
  });

  it('parses only bare app origins', () => {
    expect(parseAppOrigin(APP)).toEqual({ protocol: 'app:', host: 'myna-companion' });
    expect(() => parseAppOrigin('app://myna-companion/')).toThrow();
    expect(() => parseAppOrigin('app://u@myna-companion')).toThrow();
    expect(parseAppUrl('x'.repeat(9000), APP)).toBeUndefined();
  });
});
