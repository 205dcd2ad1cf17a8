/**
 * PKI.js picks `globalThis.crypto` at import time, which is fragile (signing.md §6.3: fails
 * under some test runners and old runtimes). Set the engine explicitly from node:crypto, once.
 */
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

let installed = false;

export function ensurePkijsEngine(): void {
  if (installed) return;
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));
  installed = true;
}
