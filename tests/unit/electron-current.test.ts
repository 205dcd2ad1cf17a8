/**
 * Electron's checklist #16, "use a current Electron": the installed major must be one that
 * Electron still supports (the latest three stable majors), compared with the registry's
 * `latest` in the same run. Without the registry the test says so and skips.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SUPPORTED_MAJORS = 3;

function supportProblem(installed: string, latest: string): string | undefined {
  const major = (v: string) => Number.parseInt(v.split('.')[0] ?? '', 10);
  const [i, l] = [major(installed), major(latest)];
  if (!Number.isInteger(i) || !Number.isInteger(l)) return `unreadable versions ${installed} / ${latest}`;
  if (i > l) return undefined;
  return l - i < SUPPORTED_MAJORS ? undefined : `Electron ${installed} is unsupported: latest is ${latest}`;
}

describe('Electron is current (checklist #16)', () => {
  it('the rule: the latest three majors are supported', () => {
    expect(supportProblem('45.5.0', '45.5.0')).toBeUndefined();
    expect(supportProblem('43.0.1', '45.5.0')).toBeUndefined();
    expect(supportProblem('42.9.9', '45.5.0')).toMatch(/unsupported/);
    expect(supportProblem('x', '45.5.0')).toMatch(/unreadable/);
  });

  it('the installed electron is a supported major per the npm registry', { timeout: 40_000 }, async (ctx) => {
    const installed = (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string })
      .version;
    let latest: string;
    try {
      const r = await promisify(execFile)('npm', ['view', 'electron', 'version'], { timeout: 30_000 });
      latest = r.stdout.trim();
    } catch (e) {
      console.log(
        `skipped: the npm registry could not be asked for electron's latest version (${String(e).slice(0, 120)})`,
      );
      ctx.skip();
      return;
    }
    expect(supportProblem(installed, latest)).toBeUndefined();
  });
});
