// The canvas stays responsive while training runs in the worker: frame times are measured while
// the view is panned during training, and reported (not asserted: speed is never a test) — on an
// idle machine, and on a loaded one (a busy process competing for the cores, as a person's
// other programs would).
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openStudio } from './studio.ts';

for (const busy of [0, 1])
  test(`frame times of the canvas while training runs are measured and reported (${busy ? `${busy} busy process${busy > 1 ? 'es' : ''}` : 'idle machine'})`, async ({
    page,
  }) => {
    const hogs: ChildProcess[] = Array.from({ length: busy }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    );
    try {
      await openStudio(page);
      const epochs = page.getByTestId('setting-epochs');
      // Enough epochs that training is still running when the measurement ends (the engine does
      // thousands of steps a second here).
      await epochs.fill('20000');
      await epochs.blur();
      await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
      await page.getByTestId('btn-train').click();
      await expect(page.getByTestId('btn-pause')).toBeVisible();
      await page.evaluate(() => {
        const w = window as unknown as { frameTimes: number[] };
        w.frameTimes = [];
        let last = performance.now();
        const tick = (now: number) => {
          w.frameTimes.push(now - last);
          last = now;
          if (w.frameTimes.length < 10_000) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      // Pan the canvas back and forth for three seconds.
      const pane = (await page.locator('.react-flow__pane').boundingBox())!;
      const started = Date.now();
      while (Date.now() - started < 3000) {
        await page.mouse.move(pane.x + 100, pane.y + 60);
        await page.mouse.down();
        await page.mouse.move(pane.x + 300, pane.y + 120, { steps: 20 });
        await page.mouse.move(pane.x + 100, pane.y + 60, { steps: 20 });
        await page.mouse.up();
      }
      const frames = await page.evaluate(() =>
        (window as unknown as { frameTimes: number[] }).frameTimes.slice(1),
      );
      const steps = Number(await page.getByTestId('metric-step').textContent());
      await page.getByTestId('btn-pause').click();
      const sorted = [...frames].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      const report = {
        frames: frames.length,
        p50: +at(0.5).toFixed(1),
        p95: +at(0.95).toFixed(1),
        max: +sorted.at(-1)!.toFixed(1),
        trainingStepsDuringMeasurement: steps,
        busyProcesses: busy,
        note: 'headless Chromium, software rendering, 2 CPU cores; training in the Web Worker',
      };
      console.log(`canvas frame times while training: ${JSON.stringify(report)}`);
      mkdirSync('test-results', { recursive: true });
      writeFileSync(
        `test-results/frame-times${busy ? '-loaded' : ''}.json`,
        `${JSON.stringify(report, null, 2)}\n`,
      );
      expect(frames.length).toBeGreaterThan(10);
      expect(steps).toBeGreaterThan(0);
    } finally {
      for (const hog of hogs) hog.kill();
    }
  });
