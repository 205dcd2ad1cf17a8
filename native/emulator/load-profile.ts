/**
 * Loads a card profile for the emulator CLI: a demo resident by id
 * (resources/demo/cards/<id>.json) or any CardProfileJson file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CardProfile, type CardProfileJson, profileFromJson } from './profile.ts';

const REPO_ROOT = new URL('../../', import.meta.url);

const REQUIRED: (keyof CardProfileJson)[] = [
  'id',
  'token',
  'authPin',
  'signPassword',
  'kenhojoPin',
  'myNumber',
  'basic4',
  'authCert',
  'authCaCert',
  'signCert',
  'signCaCert',
  'authKey',
  'signKey',
];

function check(j: unknown, where: string): CardProfileJson {
  if (typeof j !== 'object' || j === null) throw new Error(`${where}: not a card profile object`);
  const missing = REQUIRED.filter((k) => !(k in j));
  if (missing.length) throw new Error(`${where}: card profile lacks ${missing.join(', ')}`);
  return j as CardProfileJson;
}

export function loadProfileFile(path: string): CardProfile {
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot load card profile ${path}: ${(e as Error).message}`);
  }
  return profileFromJson(check(j, path));
}

export function residentPath(id: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`invalid resident id "${id}"`);
  return fileURLToPath(new URL(`resources/demo/cards/${id}.json`, REPO_ROOT));
}

/**
 * A demo resident by id, read as data from resources/demo/cards/<id>.json (native/ imports no
 * code of ours outside native/, DESIGN §2).
 */
export async function loadResident(id: string): Promise<CardProfile> {
  const path = residentPath(id);
  if (!existsSync(path)) {
    throw new Error(`demo resident "${id}" not found (${path}); run \`npm run gen:demo-pki\` or pass --card FILE`);
  }
  return loadProfileFile(path);
}
