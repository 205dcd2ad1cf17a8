import { describe, expect, it } from 'vitest';
import { externalHostsFor } from './external.ts';
import { decideWindowOpen } from './window-open.ts';

const allowedHosts = externalHostsFor('https://portal.example.lg.jp');

describe('decideWindowOpen (checklist #14)', () => {
  it('#14 never opens a window; an allowlisted https link goes to the browser', () => {
    expect(decideWindowOpen('https://www.jpki.go.jp/', { kiosk: false, allowedHosts })).toEqual({
      action: 'deny',
      openExternal: 'https://www.jpki.go.jp/',
    });
  });

  it('#14 denies everything else without opening anything', () => {
    for (const url of [
      'app://myna-companion/index.html',
      'about:blank',
      '',
      'https://attacker.example/',
      'http://myna.go.jp/',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(decideWindowOpen(url, { kiosk: false, allowedHosts }), url).toEqual({ action: 'deny' });
    }
  });

  it('#14 in kiosk mode even allowlisted links stay closed', () => {
    expect(decideWindowOpen('https://myna.go.jp/', { kiosk: true, allowedHosts })).toEqual({ action: 'deny' });
  });
});
