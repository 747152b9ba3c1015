#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so that the workspace sources need no build step.
import '@hgrad/runtime/register-ts';

// `hgrad info … | head -1` closes the pipe early: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
const { runCli } = await import('../src/main.ts');
const tty = process.stderr.isTTY;
process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => {
    if (tty) process.stderr.write('\r\x1b[K');
    console.log(line);
  },
  err: (line) => console.error(line),
  progress: tty ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined,
});
