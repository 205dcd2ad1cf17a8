/**
 * One test host per worker (main's services, the embedded demo portal, the emulated card of
 * resident-01), and per test: the consent tab opened first — as the resident keeps the consent
 * window's page open — then the portal page, logged out.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startTestHost, type TestHost } from '../host/server.ts';

export const RESIDENT_01 = { authPin: '1234', signPassword: 'ABC123', name: '見本　花子' };

interface TestFixtures {
  consent: Page;
  portal: Page;
}

interface WorkerFixtures {
  /** The demo card's resident; a spec file that sets another one gets its own worker and host. */
  resident: string;
  host: TestHost;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  resident: ['resident-01', { scope: 'worker', option: true }],
  host: [
    async ({ resident }, use) => {
      const host = await startTestHost({ resident, consentTimeoutMs: 25_000 });
      await use(host);
      await host.close();
    },
    { scope: 'worker' },
  ],
  consent: async ({ context, host }, use) => {
    const page = await context.newPage();
    await page.goto(host.consentPage);
    await expect(page.getByTestId('consent-idle')).toBeVisible();
    await use(page);
  },
  portal: async ({ page, host, consent }, use) => {
    // Each test starts logged out, with no consent pending (consent is opened first).
    void consent;
    host.services.consent.cancel();
    host.services.portalSession.clear();
    await page.goto(host.portalPage);
    await expect(page.getByTestId('card-status')).toHaveAttribute('data-status', 'present');
    await use(page);
  },
});

export { expect };

/** Click login, type the PIN in the consent tab, wait for the resident's name. */
export async function loginWithCard(portal: Page, consent: Page, pin = RESIDENT_01.authPin): Promise<void> {
  await portal.getByTestId('login').click();
  await expect(consent.getByTestId('consent')).toHaveAttribute('data-kind', 'login');
  await consent.getByTestId('pin').fill(pin);
  await consent.getByTestId('consent-submit').click();
  await expect(portal.getByTestId('resident')).toContainText(RESIDENT_01.name);
}
