/**
 * What main reads from its command line (pure): `--kiosk`, `--portal-url=<url>` (or
 * `--portal-url <url>`), `--demo`. Anything not given is left to the provisioned settings
 * (compose.ts: kiosk from the settings file, demo mode by default when no portal URL is set).
 */

import { normalisePortalUrl } from './services/settings/portal-url.ts';

export interface LaunchOptions {
  /** true with --kiosk; undefined: the provisioned setting decides. */
  kiosk?: true;
  /** --portal-url: an https origin, or http on loopback for development portals. */
  portalUrl?: string;
  /** true with --demo. */
  demoMode?: true;
  /** MYNA_DEMO_RESIDENT: which demo card the emulator holds. */
  demoResident?: string;
}

export type LaunchConfigResult =
  | { ok: true; options: LaunchOptions }
  | { ok: false; message: { ja: string; en: string } };

/**
 * A portal URL main may use, by the same rule as the settings file (settings/portal-url.ts: https,
 * or http on a loopback host; a bare origin). Returns its normalised origin.
 */
export function checkPortalUrl(raw: string): string | undefined {
  const r = normalisePortalUrl(raw);
  return r.ok ? r.origin : undefined;
}

function optionValue(
  argv: readonly string[],
  i: number,
  name: string,
): { value: string | undefined; consumed: number } {
  const arg = argv[i] ?? '';
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), consumed: 0 };
  const next = argv[i + 1];
  return next !== undefined && !next.startsWith('-') ? { value: next, consumed: 1 } : { value: undefined, consumed: 0 };
}

export function parseLaunchOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): LaunchConfigResult {
  const options: LaunchOptions = {};
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--kiosk') options.kiosk = true;
    else if (arg === '--demo') options.demoMode = true;
    else if (arg === '--portal-url' || arg.startsWith('--portal-url=')) {
      const { value, consumed } = optionValue(argv, i, '--portal-url');
      i += consumed;
      const origin = value === undefined ? undefined : checkPortalUrl(value);
      if (origin === undefined) {
        return {
          ok: false,
          message: {
            ja: `--portal-url にはポータルのオリジン（https://ホスト名[:ポート]、開発用ポータルは http://localhost）を指定してください: ${value ?? '(なし)'}`,
            en: `--portal-url needs the portal's origin (https://host[:port]; http only for a development portal on localhost): ${value ?? '(none)'}`,
          },
        };
      }
      options.portalUrl = origin;
    }
  }
  const resident = env.MYNA_DEMO_RESIDENT?.trim();
  if (resident && /^[a-z0-9-]{1,64}$/.test(resident)) options.demoResident = resident;
  return { ok: true, options };
}
