// Bringing weights in: File → Load weights puts a state dict onto the graph (all of it when it
// fits; with mismatches named, only what fits and only when the user says so), and File → Open
// of a weights file rebuilds the graph and its trained weights from that one file.
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import * as hg from '../engine/src/index.ts';
import { download, menu, openStudio } from './studio.ts';

const tensorsOf = (bytes: Buffer) => hg.loadSafetensors(new Uint8Array(bytes)).tensors;

async function chooseFile(page: Page, item: string, path: string): Promise<void> {
  const choosing = page.waitForEvent('filechooser');
  await menu(page, 'File', item);
  await (await choosing).setFiles(path);
}

test('loads weights onto the graph, naming every mismatch, and opens a weights file with its graph', async ({
  page,
}, testInfo) => {
  await openStudio(page);
  const initial = tensorsOf(await download(page, 'File', 'Export weights (safetensors)'));

  // Weights made elsewhere (as PyTorch would save them: float64 values, same names and shapes).
  hg.manualSeed(42);
  const made = new Map([...initial].map(([k, t]) => [k, hg.randn(t.shape, { dtype: 'float64' })]));
  const full = testInfo.outputPath('full.safetensors');
  writeFileSync(full, hg.saveSafetensors(made));
  await chooseFile(page, 'Load weights (safetensors)…', full);
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Loaded all 4 tensors from full.safetensors',
  );
  const loaded = tensorsOf(await download(page, 'File', 'Export weights (safetensors)'));
  for (const [k, t] of made) expect(loaded.get(k)!.tolist(), k).toEqual(t.float().tolist());

  // A file that fits only in part: the mismatches are named, and declining changes nothing.
  const partial = testInfo.outputPath('partial.safetensors');
  writeFileSync(
    partial,
    hg.saveSafetensors({
      'fc1.weight': hg.zeros([16, 2]),
      'fc1.bias': hg.ones([16]),
      'fc2.weight': hg.zeros([4, 16]),
      extra: hg.zeros([1]),
    }),
  );
  const messages: string[] = [];
  page.once('dialog', (d) => (messages.push(d.message()), void d.dismiss()));
  await chooseFile(page, 'Load weights (safetensors)…', partial);
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Nothing was loaded from partial.safetensors',
  );
  expect(messages[0]).toContain('fc2.weight: the graph has [3, 16], the file [4, 16]');
  expect(messages[0]).toContain('fc2.bias: not in the file');
  expect(messages[0]).toContain('extra: the graph has no such tensor');
  const unchanged = tensorsOf(await download(page, 'File', 'Export weights (safetensors)'));
  expect(unchanged.get('fc1.bias')!.tolist()).toEqual(loaded.get('fc1.bias')!.tolist());

  // Accepting loads exactly the tensors that fit.
  page.once('dialog', (d) => void d.accept());
  await chooseFile(page, 'Load weights (safetensors)…', partial);
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Loaded 2 of 4 tensors from partial.safetensors',
  );
  const mixed = tensorsOf(await download(page, 'File', 'Export weights (safetensors)'));
  expect(mixed.get('fc1.bias')!.tolist()).toEqual(new Array(16).fill(1));
  expect(mixed.get('fc2.weight')!.tolist()).toEqual(loaded.get('fc2.weight')!.tolist());

  // The exported weights carry the graph: opening them alone restores graph and weights.
  const saved = testInfo.outputPath('trained.safetensors');
  writeFileSync(saved, await download(page, 'File', 'Export weights (safetensors)'));
  await menu(page, 'File', 'New graph');
  await expect(page.getByTestId('node-fc1')).toHaveCount(0);
  await chooseFile(page, 'Open…', saved);
  await expect(page.getByTestId('node-fc1')).toBeVisible();
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Opened trained.safetensors: the graph and its trained weights',
  );
  const reopened = tensorsOf(await download(page, 'File', 'Export weights (safetensors)'));
  for (const [k, t] of mixed) expect(reopened.get(k)!.tolist(), k).toEqual(t.tolist());

  // An ONNX model (here the studio's own export) opens as a graph with its weights.
  const onnxPath = testInfo.outputPath('model.onnx');
  writeFileSync(onnxPath, await download(page, 'File', 'Export model (ONNX)'));
  await menu(page, 'File', 'New graph');
  await chooseFile(page, 'Open…', onnxPath);
  await expect(page.getByTestId('node-fc1')).toBeVisible();
  await expect(page.getByTestId('node-fc2')).toBeVisible();
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Opened model.onnx: the graph and its trained weights',
  );
  const fromOnnx = tensorsOf(await download(page, 'File', 'Export weights (safetensors)'));
  for (const [k, t] of mixed) expect(fromOnnx.get(k)!.tolist(), k).toEqual(t.tolist());
});
