/**
 * TEST-ONLY fixture, run as a child process by outbox-portal.test.ts: a main process that logs in, queues a
 * package and starts delivering it to a real portal — and is SIGKILLed by the test right after
 * the portal has answered, before the outbox could record the delivery.
 *
 *   node test-fixtures.ts <outboxDir> <portalUrl> <expectedOrigin> <packageFile>
 *
 * stdout, one JSON object per line: {event:'enqueued', id} then {event:'portal-answered', key, outcome}.
 */
import { readFileSync } from 'node:fs';
import { PortalSession } from '../../portal/portal-session.ts';
import { Outbox } from './outbox.ts';
import { portalDeliverer } from './portal-deliverer.ts';
import { logIn } from './test-support.ts';

const [dir, portalUrl, expectedOrigin, packageFile] = process.argv.slice(2);
if (!dir || !portalUrl || !expectedOrigin || !packageFile) {
  process.stderr.write('usage: test-fixtures.ts <outboxDir> <portalUrl> <expectedOrigin> <packageFile>\n');
  process.exit(2);
}
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

const session = new PortalSession(portalUrl);
await logIn(session, expectedOrigin);
const real = portalDeliverer(session);
const outbox = await Outbox.open({
  dir,
  deliver: async (request) => {
    const outcome = await real(request);
    say({ event: 'portal-answered', key: request.idempotencyKey, outcome });
    // "Die" before the outcome is recorded: hang (kept alive) until the test kills us.
    setInterval(() => undefined, 60_000);
    return new Promise(() => undefined);
  },
});
const item = await outbox.enqueue({
  packageBytes: new Uint8Array(readFileSync(packageFile)),
  procedureId: 'jidou-teate-nintei',
  municipalityCode: '131016',
  fingerprint: 'TEST FINGERPRINT',
});
say({ event: 'enqueued', id: item.id });
await outbox.deliverNow(item.id);
