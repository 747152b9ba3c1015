// The bytes a dataset needs from disk: Fashion-MNIST's IDX files (train and, when present, the
// t10k test split; the system copy in /usr/share/datasets first), the text corpus, and a user's
// table — found where the document says (its path, else its name next to the document) and
// checked against the size and hash recorded at import.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { DatasetParams, ImagesSpec, TableSpec } from '@hgrad/ir';
import {
  filesNeeded,
  folderHash,
  IMAGE_FILES,
  imageSample,
  type DatasetFiles,
  type ImageSamples,
} from '@hgrad/train';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
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

const sha256 = async (bytes: Uint8Array): Promise<string> => createHash('sha256').update(bytes).digest('hex');

/** An image file's RGBA pixels, or null when it cannot be decoded. */
export function decodeImage(
  bytes: Uint8Array,
  name: string,
): { rgba: Uint8Array; width: number; height: number } | null {
  try {
    if (/\.png$/i.test(name)) {
      const png = PNG.sync.read(Buffer.from(bytes));
      return { rgba: new Uint8Array(png.data), width: png.width, height: png.height };
    }
    const img = jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 512 });
    return { rgba: img.data, width: img.width, height: img.height };
  } catch {
    return null;
  }
}

/** The image folder the spec names: its class subfolders decoded as the studio decodes them. */
async function imageFolder(spec: ImagesSpec, documentFile: string | undefined): Promise<ImageSamples> {
  const base = documentFile ? dirname(resolve(documentFile)) : process.cwd();
  const places = [
    ...(spec.folder.path
      ? [isAbsolute(spec.folder.path) ? spec.folder.path : join(base, spec.folder.path)]
      : []),
    join(base, spec.folder.name),
  ];
  const found = places.find((p) => existsSync(p));
  if (!found)
    throw new UserError(
      `dataset 'images': the folder ${spec.folder.name} was not found (looked at ${places.join(' and ')}); put it next to the document or import it again`,
    );
  // As the studio sees a folder: a class is a subfolder holding at least one .png/.jpg/.jpeg file
  // (an empty subfolder, or one of other files, is no class); other files are ignored.
  const classes: string[] = [];
  const subfolders = (await readdir(found, { withFileTypes: true })).filter((e) => e.isDirectory());
  for (const name of subfolders.map((e) => e.name).sort())
    if ((await readdir(join(found, name))).some((f) => IMAGE_FILES.test(f))) classes.push(name);
  if (classes.join('\n') !== spec.classes.join('\n'))
    throw new UserError(
      `dataset 'images': ${found} has the class folders ${classes.join(', ')}; the document was made with ${spec.classes.join(', ')}; import it again to use it`,
    );
  const pixels: Float32Array[] = [];
  const labels: number[] = [];
  const used: { path: string; sha256: string }[] = [];
  for (const [label, name] of classes.entries()) {
    const files = (await readdir(join(found, name))).filter((f) => IMAGE_FILES.test(f)).sort();
    for (const file of files) {
      const bytes = new Uint8Array(await readFile(join(found, name, file)));
      const image = decodeImage(bytes, file);
      if (!image) continue;
      pixels.push(imageSample(image.rgba, image.width, image.height, spec.size, spec.channels));
      labels.push(label);
      used.push({ path: `${name}/${file}`, sha256: await sha256(bytes) });
    }
  }
  const hash = await folderHash(used, sha256);
  if (hash !== spec.folder.sha256)
    throw new UserError(
      `dataset 'images': ${found} is not the folder the document was made with (${used.length} images, hash ${hash.slice(0, 12)}…; the document expects ${spec.folder.files}, ${spec.folder.sha256.slice(0, 12)}…); import it again to use it`,
    );
  const all = new Float32Array(pixels.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pixels) {
    all.set(p, at);
    at += p.length;
  }
  return { pixels: all, labels };
}

/** The bytes the dataset needs from disk (Fashion-MNIST's IDX files, the text corpus, a table). */
export async function datasetFiles(params: DatasetParams, documentFile?: string): Promise<DatasetFiles> {
  const need = filesNeeded(params);
  if (need === 'table') return { table: await tableFile(params.table!, documentFile) };
  if (need === 'images') return { images: await imageFolder(params.images!, documentFile) };
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
