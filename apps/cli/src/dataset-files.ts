// The bytes a dataset needs from disk: Fashion-MNIST's IDX files (train and, when present, the
// t10k test split; the system copy in /usr/share/datasets first), the text corpus, and a user's
// table — found where the document says (its path, else its name next to the document) and
// checked against the size and hash recorded at import.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { DatasetParams, TableSpec } from '@hgrad/ir';
import { filesNeeded, type DatasetFiles } from '@hgrad/train';
import { UserError } from './io.ts';

/** The table's text, from the first place it is found; a changed file is refused, by name. */
async function tableFile(spec: TableSpec, documentFile: string | undefined): Promise<string> {
  const base = documentFile ? dirname(resolve(documentFile)) : process.cwd();
  const places = [
    ...(spec.file.path ? [isAbsolute(spec.file.path) ? spec.file.path : join(base, spec.file.path)] : []),
    join(base, spec.file.name),
  ];
  const found = places.find((p) => existsSync(p));
  if (!found)
    throw new UserError(
      `dataset 'table': ${spec.file.name} was not found (looked at ${places.join(' and ')}); put it next to the document or import it again`,
    );
  const bytes = await readFile(found);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== spec.file.sha256)
    throw new UserError(
      `dataset 'table': ${found} is not the file the document was made with (${bytes.length} bytes, sha256 ${sha256.slice(0, 12)}…; the document expects ${spec.file.size} bytes, sha256 ${spec.file.sha256.slice(0, 12)}…); import it again to use it`,
    );
  return new TextDecoder().decode(bytes);
}

/** The bytes the dataset needs from disk (Fashion-MNIST's IDX files, the text corpus, a table). */
export async function datasetFiles(params: DatasetParams, documentFile?: string): Promise<DatasetFiles> {
  const need = filesNeeded(params);
  if (need === 'table') return { table: await tableFile(params.table!, documentFile) };
  if (need === 'text')
    return { text: await readFile(new URL('../../../data/text/genesis-kjv.txt', import.meta.url), 'utf8') };
  if (need !== 'fashion-mnist') return {};
  const full = '/usr/share/datasets/fashion-mnist';
  const dir = existsSync(`${full}/train-images-idx3-ubyte.gz`)
    ? full
    : new URL('../../../data/fashion-mnist', import.meta.url).pathname;
  const test = existsSync(`${dir}/t10k-images-idx3-ubyte.gz`)
    ? {
        fashionMnistTest: {
          images: new Uint8Array(await readFile(`${dir}/t10k-images-idx3-ubyte.gz`)),
          labels: new Uint8Array(await readFile(`${dir}/t10k-labels-idx1-ubyte.gz`)),
        },
      }
    : {};
  return {
    fashionMnist: {
      images: new Uint8Array(await readFile(`${dir}/train-images-idx3-ubyte.gz`)),
      labels: new Uint8Array(await readFile(`${dir}/train-labels-idx1-ubyte.gz`)),
    },
    ...test,
  };
}
