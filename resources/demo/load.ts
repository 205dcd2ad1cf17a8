/**
 * Reads the generated demo material (FICTIONAL, for tests and demo mode only) relative to this
 * module, so it works from any working directory.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CardProfileJson } from '../../native/emulator/profile.ts';

export interface DemoResident {
  id: string;
  name: string;
  authPin: string;
  signPassword: string;
  kenhojoPin: string;
  /** Japanese / English: what is special about this resident. */
  note: string;
}

const ID = /^resident-[0-9]{2}$/;
const PKI_NAME = /^[a-z0-9][a-z0-9.-]*$/;

/** residents.json, in order. */
export function loadDemoResidents(): DemoResident[] {
  return JSON.parse(readFileSync(new URL('./residents.json', import.meta.url), 'utf8')) as DemoResident[];
}

/** ['resident-01', 'resident-02', …] */
export function demoResidentIds(): string[] {
  return loadDemoResidents().map((r) => r.id);
}

/** resources/demo/cards/<id>.json as stored (base64 DER and PKCS#8); profileFromJson() decodes it. */
export function loadDemoCardJson(id: string): CardProfileJson {
  if (!ID.test(id)) throw new Error(`not a demo resident id: ${JSON.stringify(id)}`);
  return JSON.parse(readFileSync(new URL(`./cards/${id}.json`, import.meta.url), 'utf8')) as CardProfileJson;
}

/** Absolute path of a file under resources/demo/pki, e.g. demoPkiPath('sign-ca.pem'). */
export function demoPkiPath(name: string): string {
  if (!PKI_NAME.test(name)) throw new Error(`not a demo PKI file name: ${JSON.stringify(name)}`);
  return fileURLToPath(new URL(`./pki/${name}`, import.meta.url));
}
