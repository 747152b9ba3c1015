// Runs every check the project has, in order, and prints one closing line that totals the
// tests: "N passed, N failed". Each runner's own summary is printed as it goes.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const steps = [
  { name: 'typecheck', cmd: 'npm run -s typecheck' },
  { name: 'lint', cmd: 'npm run -s lint' },
  { name: 'format', cmd: 'npm run -s format:check' },
  {
    name: 'unit',
    cmd: 'npx vitest run --coverage --reporter=default --reporter=json --outputFile.json=test-results/vitest.json',
    counts: vitestCounts,
  },
  { name: 'e2e', cmd: 'npm run -s test:e2e', counts: playwrightCounts },
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd}`);
  const started = Date.now();
  const result = spawnSync(step.cmd, { shell: true, stdio: 'inherit', env: { ...process.env, ...step.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  if (step.counts) {
    const c = step.counts();
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    console.log(
      `=== ${step.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${seconds}s)`,
    );
  } else {
    console.log(`=== ${step.name}: ${ok ? 'ok' : 'FAILED'} (${seconds}s)`);
  }
  if (!ok) failures.push(step.name);
}

if (failures.length > 0) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\nTotal: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);

function vitestCounts() {
  const file = 'test-results/vitest.json';
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function playwrightCounts() {
  const file = 'test-results/playwright.json';
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
}
