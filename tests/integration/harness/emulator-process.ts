/**
 * The card emulator as a separate process attached to vpcd (DESIGN §6), driven through its CLI
 * contract: `node native/emulator/cli.ts --slot 0|1 [--resident ID] [--log FILE]
 * [--remove-after N] [--delay MS]` prints a line containing `ready` once attached to vpcd and
 * exits on SIGTERM (closing the connection = removing the card).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EMULATOR_CLI = fileURLToPath(new URL('../../../native/emulator/cli.ts', import.meta.url));

export function emulatorAvailable(): boolean {
  return existsSync(EMULATOR_CLI);
}

export interface EmulatorOptions {
  slot: 0 | 1;
  resident?: string;
  log?: string;
  /** Remove the card (close the vpcd connection) after this many APDUs. */
  removeAfter?: number;
  /** Delay every answer by this many ms. */
  delayMs?: number;
  /** How long to wait for `ready`. Default 15 s. */
  readyTimeoutMs?: number;
}

export class EmulatorProcess {
  readonly child: ChildProcess;
  /** Everything the emulator printed, for failure messages. */
  output = '';
  readonly exited: Promise<number | null>;

  private constructor(child: ChildProcess) {
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(opts: EmulatorOptions): Promise<EmulatorProcess> {
    const args = ['--slot', String(opts.slot)];
    if (opts.resident) args.push('--resident', opts.resident);
    if (opts.log) args.push('--log', opts.log);
    if (opts.removeAfter !== undefined) args.push('--remove-after', String(opts.removeAfter));
    if (opts.delayMs !== undefined) args.push('--delay', String(opts.delayMs));
    const child = spawn(process.execPath, [EMULATOR_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const emu = new EmulatorProcess(child);
    const timeoutMs = opts.readyTimeoutMs ?? 15_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`emulator not ready after ${timeoutMs} ms`)), timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        child.kill('SIGTERM');
        reject(new Error(`${e.message}\n--- emulator output ---\n${emu.output}`));
      };
      const onData = (chunk: Buffer) => {
        emu.output += chunk.toString();
        if (/\bready\b/i.test(emu.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (c: Buffer) => {
        emu.output += c.toString();
      });
      child.once('error', fail);
      child.once('exit', (code) => fail(new Error(`emulator exited with ${code} before ready`)));
    });
    return emu;
  }

  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`). */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
