// Helpers for driving the studio as a person would: menus, the palette, ports, the inspector,
// downloads.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function openStudio(page: Page, { fresh = true } = {}): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  if (fresh) {
    await page.evaluate(() => localStorage.clear());
    await page.reload();
  }
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 20_000 });
  return errors;
}

export async function menu(page: Page, group: string, item: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('button', { name: group, exact: true })
    .click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Drags a kind from the palette onto the canvas at (x, y) in page coordinates. */
export async function dragFromPalette(page: Page, kind: string, x: number, y: number): Promise<void> {
  const canvas = page.locator('.react-flow__pane');
  const box = (await canvas.boundingBox())!;
  await page
    .getByTestId(`palette-${kind}`)
    .dragTo(canvas, { targetPosition: { x: x - box.x, y: y - box.y } });
}

export const handle = (page: Page, node: string, port: string, type: 'source' | 'target'): Locator =>
  page.locator(`[data-testid="node-${node}"] .react-flow__handle.${type}[data-handleid="${port}"]`);

export async function connect(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const source = handle(page, from[0], from[1], 'source');
  const target = handle(page, to[0], to[1], 'target');
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

export async function selectNode(page: Page, id: string): Promise<void> {
  // A node past the canvas's edge (a wide graph starts at its left end) is brought into view
  // first, as keyboard focus does: React Flow pans to a focused node.
  await page.locator(`.react-flow__node[data-id="${id}"]`).focus();
  await page.getByTestId(`node-${id}`).locator('.layer-node__kind').click();
  await expect(page.getByTestId('inspector').getByRole('heading', { level: 2 })).toContainText(id);
}

export async function setParam(page: Page, node: string, param: string, value: string): Promise<void> {
  await selectNode(page, node);
  const field = page.locator(`#param-${node}-${param}`);
  await field.fill(value);
  await field.press('Enter');
}

/** Runs a menu command that downloads a file and returns the file's bytes. */
export async function download(page: Page, group: string, item: string): Promise<Buffer> {
  const waiting = page.waitForEvent('download');
  await menu(page, group, item);
  const file = await waiting;
  return readFileSync((await file.path())!);
}

export async function exportedDocument(page: Page): Promise<string> {
  return (await download(page, 'File', 'Export graph (IR JSON)')).toString('utf8');
}

/** Trains until the epoch counter reaches `epochs`, then pauses. */
export async function trainEpochs(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('btn-train').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(epochs);
  // A run that reached its last epoch meanwhile has no Pause left to click; either way it ends idle.
  await page
    .getByTestId('btn-pause')
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await expect(page.getByTestId('btn-train')).toBeVisible();
}

/** Types a training setting and leaves the field; the engine has taken it once it is ready again. */
export async function setSetting(page: Page, testId: string, value: string): Promise<void> {
  const field = page.getByTestId(testId);
  await field.fill(value);
  await field.blur();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready');
}

/** Opens a template from File → Templates and waits for the engine to load it. */
export async function openTemplate(page: Page, id: string): Promise<void> {
  await menu(page, 'File', 'Templates…');
  await page.getByTestId(`template-${id}`).click();
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 30_000 });
}

/** Runs the hgrad CLI (from the source tree) and returns its exit code and output. */
export function hgrad(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../apps/cli/bin/hgrad.mjs', import.meta.url)), ...args],
    {
      encoding: 'utf8',
    },
  );
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The confusion matrix the Evaluation tab shows, as numbers. */
export async function confusionMatrix(page: Page): Promise<number[][]> {
  return page
    .getByTestId('confusion-matrix')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => Number(td.textContent))),
    );
}
