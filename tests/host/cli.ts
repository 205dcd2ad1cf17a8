/**
 * `npm run host [-- --port N] [--card emulator|pcsc|auto] [--resident resident-01]`: the test
 * host for a person with a browser. Open the portal page, and keep the consent page open in a
 * second tab: PINs are typed there, as in the app's consent window.
 */
import { parseArgs } from 'node:util';
import { startTestHost } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    card: { type: 'string', default: 'emulator' },
    resident: { type: 'string', default: 'resident-01' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run host -- [--port N] [--card emulator|pcsc|auto] [--resident resident-01]');
  process.exit(0);
}
const card = values.card;
if (card !== 'emulator' && card !== 'pcsc' && card !== 'auto') {
  console.error(`--card must be emulator, pcsc or auto (got ${card})`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (got ${values.port})`);
  process.exit(2);
}

const host = await startTestHost({ port, card, resident: values.resident, log: (l) => console.log(l) });
console.log(`Myna Companion test host (card: ${card}, resident: ${values.resident})
  portal page:   ${host.portalPage}
  consent page:  ${host.consentPage}   (keep it open in a second tab: PINs are typed there)
  portal API:    ${host.services.portalOrigin} (reached through ${host.origin}/api/)
Ctrl-C to stop.`);

const stop = () => {
  void host.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
