// Export: the safetensors file lists every parameter with its PyTorch name and shape, and the
// engine loads it back to the same outputs the studio computed.
import { expect, test } from '@playwright/test';
import { download, openStudio } from './studio.ts';
import * as ort from 'onnxruntime-web';
import { referenceRun } from './reference.ts';

test('exported safetensors list every parameter and load back to the same outputs', async ({ page }) => {
  await openStudio(page);
  for (let i = 0; i < 3; i++) await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('metric-step')).toHaveText('3');
  const bytes = await download(page, 'File', 'Export weights (safetensors)');
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const { __metadata__: metadata, ...tensors } = header;
  expect(metadata).toMatchObject({ format: 'pt' });
  expect(
    Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, (v as { shape: number[] }).shape])),
  ).toEqual({
    'fc1.weight': [16, 2],
    'fc1.bias': [16],
    'fc2.weight': [3, 16],
    'fc2.bias': [3],
  });

  // The studio's fc2 output on the step-through batch, with these weights…
  await page.getByTestId('tab-debugger').click();
  await page.getByTestId('debugger').getByRole('button', { name: 'Step through' }).click();
  await page.getByTestId('debug-step-3').click();
  const cells = page.getByTestId('debug-frame').getByTestId('debug-output-output-values').locator('td');
  await expect(cells).toHaveCount(24);
  const shown = (await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')))).map(
    Number,
  );
  // …equals the engine's, with the exported file loaded.
  const { model, batch } = await referenceRun(new Uint8Array(bytes));
  const out = model.forward(batch).values.get('fc2')!.output!;
  expect(shown).toEqual(Array.from(out.dataSync()));

  // The weights file carries the graph document, so it rebuilds graph + weights alone.
  expect(JSON.parse(metadata.document).metadata.name).toBe('MLP on blobs');

  // JSON export carries the same tensors, in the one JSON weights format.
  const json = JSON.parse((await download(page, 'File', 'Export weights (JSON)')).toString('utf8'));
  expect([json.format, json.version]).toEqual(['hgrad-weights', 1]);
  expect(Object.keys(json.tensors)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  expect(json.tensors['fc2.bias']).toMatchObject({ dtype: 'float32', shape: [3] });

  // ONNX export runs in onnxruntime and predicts what the engine predicts with these weights.
  const onnxBytes = await download(page, 'File', 'Export model (ONNX)');
  const session = await ort.InferenceSession.create(new Uint8Array(onnxBytes));
  const x = batch.x;
  const ran = await session.run({
    input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape),
  });
  model.eval();
  const want = model.predict(x).dataSync();
  const got = ran.output!.data as Float32Array;
  expect(Math.max(...Array.from(want, (v, i) => Math.abs(v - got[i]!)))).toBeLessThan(1e-5);

  // PyTorch code names the submodules as the weights do.
  const code = (await download(page, 'File', 'Export model (PyTorch code)')).toString('utf8');
  expect(code).toContain('self.fc1 = nn.Linear(2, 16, bias=True)');
  expect(code).toContain('def load(weights_path):');
});
