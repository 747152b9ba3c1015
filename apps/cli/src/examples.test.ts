// Every example graph loads and saves back byte for byte, has no problems, and trains with hgrad.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGraph, parseDocument, serializeDocument } from '@hgrad/ir';
import { runCli } from './main.ts';

const dir = new URL('../../../examples/', import.meta.url).pathname;
const examples = readdirSync(dir).filter((f) => f.endsWith('.hgrad.json'));

describe('example graphs', () => {
  it('include the blobs MLP, the Fashion-MNIST MLP and CNN and the character RNN', () => {
    expect(examples.sort()).toEqual([
      'char-rnn.hgrad.json',
      'cnn-fashion.hgrad.json',
      'mlp-blobs.hgrad.json',
      'mlp-fashion.hgrad.json',
    ]);
  });

  for (const file of examples) {
    it(`${file}: load → save is byte-identical and analysis finds no problems`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const r = parseDocument(text);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(serializeDocument(r.document)).toBe(text);
      expect(loadGraph(text).ok).toBe(true);
    });

    it(`${file}: trains for one epoch with hgrad train`, async () => {
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      const out = mkdtempSync(join(tmpdir(), 'hgrad-ex-'));
      const code = await runCli(
        ['train', join(dir, file), '--epochs', '1', '--limit', '1500', '--out', out],
        io,
      );
      expect(code, lines.join('\n')).toBe(0);
      const epoch = lines.find((l) => l.startsWith('epoch 1/1'))!;
      expect(Number(/train loss ([\d.]+)/.exec(epoch)![1])).toBeGreaterThan(0);
    }, 120_000);
  }
});
