// Regenerates the small real datasets committed under data/ from Debian packages:
//   apt-get install dataset-fashion-mnist bible-kjv && node scripts/make-data.mjs
// - data/fashion-mnist: the first 6,000 training and 1,000 test images of Fashion-MNIST (IDX, gzip).
// - data/text/genesis-kjv.txt: Genesis 1–11 of the King James Version, one verse per line.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

const SOURCE = '/usr/share/datasets/fashion-mnist';

function subset(file, count, out) {
  const bytes = gunzipSync(readFileSync(`${SOURCE}/${file}`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = bytes[3];
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const header = 4 + 4 * dims;
  const itemSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const result = Buffer.from(bytes.subarray(0, header + count * itemSize));
  new DataView(result.buffer, result.byteOffset).setUint32(4, count);
  writeFileSync(`data/fashion-mnist/${out}`, gzipSync(result, { level: 9 }));
  console.log(`data/fashion-mnist/${out}: ${count} of ${shape[0]} items`);
}

subset('train-images-idx3-ubyte.gz', 6000, 'train-images-idx3-ubyte.gz');
subset('train-labels-idx1-ubyte.gz', 6000, 'train-labels-idx1-ubyte.gz');
subset('t10k-images-idx3-ubyte.gz', 1000, 't10k-images-idx3-ubyte.gz');
subset('t10k-labels-idx1-ubyte.gz', 1000, 't10k-labels-idx1-ubyte.gz');

const verses = execFileSync('bible', ['-f', 'Genesis 1:1-11:32'], { encoding: 'utf8' });
const text = verses
  .split('\n')
  .map((line) => line.replace(/^\S+\s/, '').trim())
  .filter(Boolean)
  .join('\n');
writeFileSync('data/text/genesis-kjv.txt', `${text}\n`);
console.log(`data/text/genesis-kjv.txt: ${text.length} characters`);
