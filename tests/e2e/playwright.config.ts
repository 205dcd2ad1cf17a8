/**
 * End-to-end tests (DESIGN §9): Debian's Chromium (never a downloaded browser) against the
 * test host, which runs main's real services in-process with the emulated demo card.
 * `npx playwright test -c tests/e2e/playwright.config.ts`
 */
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env.MYNA_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/e2e',
  // One worker: the tests share the host's one demo card, whose PIN counters are state.
  workers: 1,
  fullyParallel: false,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    locale: 'ja-JP',
    trace: 'retain-on-failure',
  },
});
