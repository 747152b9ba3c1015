// Where npm could not install Electron, main and preload are type-checked against
// types/electron-fallback.d.ts. A name imported from 'electron' but missing there type-checks here
// (the real package is installed) and fails only on such a machine, so every import is checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function electronImports(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const file of sources(join(root, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(
      /import\s*(type\s*)?\{([^}]*)\}\s*from\s*'electron'/g,
    )) {
      for (const raw of m[2]!.split(',')) {
        const name = raw
          .replace(/^\s*type\s+/, '')
          .trim()
          .split(/\s+as\s+/)[0]!;
        if (name) names.set(name, [...(names.get(name) ?? []), file.slice(root.length)]);
      }
    }
  }
  return names;
}

test('every name imported from electron is declared by the fallback types', () => {
  const fallback = readFileSync(join(root, 'types/electron-fallback.d.ts'), 'utf8');
  const declared = new Set(
    [...fallback.matchAll(/export\s+(?:const|class|interface|type|function)\s+(\w+)/g)].map((m) => m[1]!),
  );
  // Interfaces declared without `export` inside `declare module` are exported too.
  for (const m of fallback.matchAll(/^\s{2}interface\s+(\w+)/gm)) declared.add(m[1]!);
  const imports = electronImports();
  expect(imports.size).toBeGreaterThan(5);
  const missing = [...imports]
    .filter(([name]) => !declared.has(name))
    .map(([n, f]) => `${n} (${f.join(', ')})`);
  expect(missing).toEqual([]);
});
