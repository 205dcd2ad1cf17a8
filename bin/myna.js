#!/usr/bin/env node
// The `myna` command. Plain Node: Node 22 runs the TypeScript sources directly.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `myna needs Node 22.12 or newer (this is ${process.versions.node}). Run it through scripts/dev or source scripts/toolchain.sh.`,
  );
  process.exit(70);
}
const { main } = await import('../native/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
