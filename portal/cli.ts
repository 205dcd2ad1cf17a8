/**
 * `npm run portal -- --port 8080 --data-dir DIR --seed demo`: the reference portal standalone.
 * Prints "portal ready: <url>" on stdout once it listens; SIGTERM / SIGINT close it cleanly
 * (in-flight requests finish, the database is closed) and exit 0; SIGHUP re-reads the CRLs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MigrationError } from './db/migrations.ts';
import { DEFAULT_APP_ORIGIN, type StartPortalOptions, startPortal } from './start.ts';

export const PORTAL_HELP = `Usage: npm run portal -- [options]

The Myna Companion reference portal (マイナポータル API, SQLite storage, card login and
signature verification), for the app's demo mode, tests and municipal test environments.

  --port N             TCP port (default 0: a free port)
  --host H             listen address (default 127.0.0.1, loopback only)
  --data-dir DIR       where portal.sqlite lives (default .cache/portal)
  --seed demo|none     write the FICTIONAL demo dataset once per data dir (default none)
  --app-origin O       allow this origin (CORS with credentials, state changes); repeatable
                       (default ${DEFAULT_APP_ORIGIN})
  --expected-origin O  the origin login assertions must be signed for (default: the portal URL)
  --auth-ca FILE       trust this 利用者証明用 CA (DER or PEM); repeatable
  --sign-ca FILE       trust this 署名用 CA (DER or PEM); repeatable
  --auth-crl FILE      CRL for the auth CA (DER or PEM); repeatable; re-read on SIGHUP
  --sign-crl FILE      CRL for the sign CA (DER or PEM); repeatable; re-read on SIGHUP
  --no-demo-trust      do not trust the FICTIONAL demo CAs (a real deployment)
  --tls-key FILE       serve https with this key …
  --tls-cert FILE      … and certificate (the session cookie is then Secure)
  --log                request log (JSON lines) on stdout
  -h, --help           this text

Signals: SIGTERM / SIGINT stop and exit 0; SIGHUP reloads the CRLs.
Exit codes: 0 stopped cleanly, 1 failed to start, 2 usage.
`;

export async function portalMain(argv: string[]): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        seed: { type: 'string' },
        'app-origin': { type: 'string', multiple: true },
        'expected-origin': { type: 'string' },
        'auth-ca': { type: 'string', multiple: true },
        'sign-ca': { type: 'string', multiple: true },
        'auth-crl': { type: 'string', multiple: true },
        'sign-crl': { type: 'string', multiple: true },
        'no-demo-trust': { type: 'boolean' },
        'tls-key': { type: 'string' },
        'tls-cert': { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`portal: ${(e as Error).message}\n\n${PORTAL_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(PORTAL_HELP);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;
  const list = (k: string) => (values[k] as string[] | undefined) ?? [];
  const port = Number(str('port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`portal: --port expects 0–65535, got "${str('port')}"`);
    return 2;
  }
  const seed = str('seed') ?? 'none';
  if (seed !== 'demo' && seed !== 'none') {
    console.error(`portal: --seed expects demo or none, got "${seed}"`);
    return 2;
  }
  if ((str('tls-key') === undefined) !== (str('tls-cert') === undefined)) {
    console.error('portal: --tls-key and --tls-cert go together');
    return 2;
  }
  const dataDir = resolve(str('data-dir') ?? fileURLToPath(new URL('../.cache/portal', import.meta.url)));

  const options: StartPortalOptions = {
    port,
    host: str('host') ?? '127.0.0.1',
    dataDir,
    seed,
    demoTrust: values['no-demo-trust'] !== true,
    trustAnchors: { auth: list('auth-ca'), sign: list('sign-ca') },
    crls: { auth: list('auth-crl'), sign: list('sign-crl') },
    ...(list('app-origin').length ? { appOrigins: list('app-origin') } : {}),
    ...(str('expected-origin') ? { expectedOrigin: str('expected-origin') } : {}),
    logger: values.log === true,
  };
  let portal: Awaited<ReturnType<typeof startPortal>>;
  try {
    const tlsKey = str('tls-key');
    const tlsCert = str('tls-cert');
    if (tlsKey && tlsCert) options.https = { key: readFileSync(tlsKey), cert: readFileSync(tlsCert) };
    portal = await startPortal(options);
  } catch (e) {
    const why = e instanceof MigrationError ? e.message : ((e as Error).message ?? String(e));
    console.error(`portal: cannot start: ${why}`);
    return 1;
  }
  process.stdout.write(`portal ready: ${portal.url}\n`);
  console.error(
    `portal: data ${dataDir}; seed ${seed}; login origin ${portal.expectedOrigin}; app origins ${(options.appOrigins ?? [DEFAULT_APP_ORIGIN]).join(', ')}`,
  );

  process.on('SIGHUP', () => {
    try {
      const r = portal.reloadCrls();
      console.error(`portal: CRLs reloaded (auth ${r.auth}, sign ${r.sign})`);
    } catch (e) {
      console.error(`portal: CRL reload failed, keeping the previous CRLs: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  await portal.close();
  console.error('portal: stopped');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await portalMain(process.argv.slice(2));
}
