#!/usr/bin/env node
// The `myna` command. Plain Node: Node 22 runs the TypeScript sources directly.
// Each command family lives in the layer it belongs to (DESIGN §2): card diagnostics in
// native/, signing in electron/main, verification in portal/ — so no layer imports another
// just to share a command line.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `myna needs Node 22.12 or newer (this is ${process.versions.node}). Run it through scripts/myna or source scripts/toolchain.sh.`,
  );
  process.exit(70);
}
const argv = process.argv.slice(2);
const command = argv.find((a) => !a.startsWith('-'));
let entry;
if (command === 'sign' || command === 'sign-application') {
  entry = (await import('../electron/main/cli/sign-commands.ts')).signMain;
} else if (command === 'verify' || command === 'verify-application') {
  entry = (await import('../portal/verify/cli.ts')).verifyMain;
} else {
  entry = (await import('../native/cli/main.ts')).main;
}
process.exitCode = await entry(argv);
