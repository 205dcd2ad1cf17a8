/** The emulator CLI's argument handling and start-up errors (no pcscd needed). */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestProfile, profileToJson } from './test-profile.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
let cardFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'myna-emu-cli-args-'));
  cardFile = join(dir, 'card.json');
  writeFileSync(cardFile, JSON.stringify(profileToJson(makeTestProfile())));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emulator CLI', () => {
  it('--help documents every option and the vpcd port rule', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const opt of [
      '--slot',
      '--port',
      '--host',
      '--retry-ms',
      '--resident',
      '--card',
      '--state',
      '--log',
      '--remove-after',
      '--reinsert-after',
      '--delay',
      '--force-sw',
      '--corrupt',
      '--lock-pin',
    ]) {
      expect(r.stdout).toContain(opt);
    }
    expect(r.stdout).toContain('port = 35963 + N');
    expect(r.stdout).toContain('Virtual PCD 00 01');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--slot', 'x'], /--slot expects an integer/],
    [['--lock-pin', 'admin'], /--lock-pin expects auth\|sign\|kenhojo/],
    [['--force-sw', '2A'], /--force-sw expects INS:SW/],
    [['--corrupt', '3:melt'], /--corrupt expects N/],
    [['--resident', 'resident-99', '--port', '1'], /resident-99/],
    [['--card', '/nonexistent/card.json'], /cannot load card profile/],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a corrupt state file instead of resetting the counters', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(state, '{"format": "myna-emulator-state/1", "tries": ');
    const r = await cli(['--card', cardFile, '--state', state, '--port', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state\.json is unusable: not valid JSON.*left untouched/);
  });
});
