/**
 * Where PINs come from on the command line: a no-echo prompt on a terminal, or lines on stdin
 * with --pin-stdin. Never argv (it shows in `ps` and shell history). The strings cannot be
 * wiped in JS; they are handed straight to MynaCard, which encodes them into a Buffer it zeroes.
 */
import { stderr, stdin } from 'node:process';

export interface SecretSource {
  next(prompt: string): Promise<string>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Lines from stdin, one secret per line, consumed in order. */
export function stdinSecrets(input: NodeJS.ReadableStream = stdin): SecretSource {
  let lines: Promise<string[]> | undefined;
  const read = async (): Promise<string[]> => {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    const text = Buffer.concat(chunks).toString('utf8');
    for (const c of chunks) c.fill(0);
    return text.split(/\r?\n/);
  };
  return {
    async next(prompt) {
      lines ??= read();
      const all = await lines;
      const v = all.shift();
      if (v === undefined || v === '') throw new UsageError(`--pin-stdin: no line for "${prompt}"`);
      return v;
    },
  };
}

/** A prompt that echoes nothing, for a terminal. */
export function ttyPrompt(): SecretSource {
  return {
    next(prompt) {
      if (!stdin.isTTY) {
        return Promise.reject(new UsageError('no terminal to ask for the PIN: use --pin-stdin'));
      }
      return new Promise((resolve, reject) => {
        stderr.write(`${prompt}: `);
        stdin.setRawMode(true);
        stdin.resume();
        let typed = '';
        const done = (err?: Error) => {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          stderr.write('\n');
          if (err) reject(err);
          else resolve(typed);
        };
        const onData = (buf: Buffer) => {
          for (const ch of buf.toString('utf8')) {
            if (ch === '\r' || ch === '\n') return done();
            if (ch === '\u0003') return done(new UsageError('cancelled'));
            if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
            else if (ch >= ' ') typed += ch;
          }
        };
        stdin.on('data', onData);
      });
    },
  };
}
