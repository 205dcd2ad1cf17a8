/**
 * A deliberately tiny vpcd client ("virtual card") for transport-level integration tests.
 * It speaks only the framing of jpki-protocol §6.2 (2-byte big-endian length + payload) and
 * answers every APDU with a fixed response, unless the `onApdu` hook says otherwise.
 * Tests that need a real card should use the emulator (`emulator-process.ts`) instead.
 */
import net from 'node:net';

export const MYNUMBER_ATR = Uint8Array.from([
  0x3b, 0xda, 0x13, 0xff, 0x81, 0x31, 0xfb, 0x46, 0x80, 0x12, 0x39, 0x2f, 0x31, 0xc1, 0x73, 0xc6, 0x01, 0xc0, 0x3b,
]);

/** Port of a vpcd slot (jpki-protocol §6.1). */
export function vpcdPort(slot: number): number {
  return 35963 + slot;
}

/** What to do with one APDU: answer with bytes, never answer, or drop the connection (= pull the card). */
export type ApduAction = Uint8Array | 'stall' | 'close';

export interface VpcdResponderOptions {
  slot?: number;
  host?: string;
  atr?: Uint8Array;
  /** Decides the answer to each APDU; default `90 00`. `n` counts APDUs from 1. */
  onApdu?: (apdu: Uint8Array, n: number) => ApduAction;
}

export class VpcdResponder {
  readonly apdus: Uint8Array[] = [];
  /** Control messages seen (0 off, 1 on, 2 reset, 4 get ATR). */
  readonly controls: number[] = [];
  readonly closed: Promise<void>;
  private readonly socket: net.Socket;
  private readonly opts: VpcdResponderOptions;
  private buf = Buffer.alloc(0);

  private constructor(socket: net.Socket, opts: VpcdResponderOptions) {
    this.socket = socket;
    this.opts = opts;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => {}); // pcscd going away is a normal event for a fixture
  }

  /** Connects to vpcd: the card is "inserted" (pcscd notices it on its next poll, ≤ ~0.5 s). */
  static attach(opts: VpcdResponderOptions = {}): Promise<VpcdResponder> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: opts.host ?? '127.0.0.1', port: vpcdPort(opts.slot ?? 0), noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new VpcdResponder(socket, opts));
      });
    });
  }

  /** Closes the connection: the card is "removed". */
  async detach(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + len) return;
      const msg = this.buf.subarray(2, 2 + len);
      this.buf = this.buf.subarray(2 + len);
      if (len === 1) {
        const ctrl = msg[0]!;
        this.controls.push(ctrl);
        if (ctrl === 4) this.send(this.opts.atr ?? MYNUMBER_ATR);
        continue;
      }
      const apdu = Uint8Array.from(msg);
      this.apdus.push(apdu);
      const action = this.opts.onApdu?.(apdu, this.apdus.length) ?? Uint8Array.of(0x90, 0x00);
      if (action === 'close') {
        this.socket.destroy();
        return;
      }
      if (action !== 'stall') this.send(action);
    }
  }

  private send(payload: Uint8Array): void {
    const head = Buffer.alloc(2);
    head.writeUInt16BE(payload.length);
    this.socket.write(Buffer.concat([head, payload]));
  }
}
