// The import dialog for an image folder: the classes found (one subfolder each) with their counts,
// the size, grayscale or RGB and normalisation; then, decoded in the worker, a preview grid per
// class and the files that could not be read (skipped, by name).
import { useEffect, useRef, useState } from 'react';
import { cancelFolder, decodeFolder, adoptFolder, useImageImport } from '../state/image-import.ts';
import { useRun } from '../state/run-store.ts';

/** One sample [C, size, size] in [0, 1] drawn as it is (light is light). */
function Sample({ pixels, size, channels }: { pixels: Float32Array; size: number; channels: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const image = new ImageData(size, size);
    const plane = size * size;
    for (let k = 0; k < plane; k++) {
      const v = (c: number) => Math.round(255 * pixels[(channels === 1 ? 0 : c) * plane + k]!);
      image.data.set([v(0), v(1), v(2), 255], 4 * k);
    }
    ctx.putImageData(image, 0, 0);
  }, [pixels, size, channels]);
  return <canvas ref={canvas} width={size} height={size} className="thumbnail" />;
}

export function ImportImagesDialog() {
  const pending = useImageImport((s) => s.pending);
  const busy = useImageImport((s) => s.busy);
  const progress = useRun((s) => s.progress);
  const [size, setSize] = useState(28);
  const [channels, setChannels] = useState<1 | 3>(1);
  const [normalize, setNormalize] = useState<'unit' | 'standard'>('unit');
  if (!pending) return null;
  const decoded = pending.decoded;
  const fresh = decoded && decoded.size === size && decoded.channels === channels;
  const per = decoded ? decoded.channels * decoded.size * decoded.size : 0;
  return (
    <div
      className="overlay import__overlay"
      role="dialog"
      aria-label="Import image folder"
      data-testid="images-dialog"
    >
      <div className="import">
        <h3>
          Import image folder: {pending.name}{' '}
          <span className="muted">
            {pending.files.length} images · {pending.counts.length} classes
          </span>
        </h3>
        <p data-testid="images-classes">{pending.counts.map(([name, n]) => `${name} (${n})`).join(' · ')}</p>
        <div className="import__choices">
          <label>
            size{' '}
            <select value={size} onChange={(e) => setSize(Number(e.target.value))} data-testid="images-size">
              {[16, 28, 32, 64].map((s) => (
                <option key={s} value={s}>
                  {s}×{s}
                </option>
              ))}
            </select>
          </label>
          <label>
            colour{' '}
            <select
              value={channels}
              onChange={(e) => setChannels(Number(e.target.value) as 1 | 3)}
              data-testid="images-channels"
            >
              <option value={1}>grayscale</option>
              <option value={3}>RGB</option>
            </select>
          </label>
          <label>
            values{' '}
            <select value={normalize} onChange={(e) => setNormalize(e.target.value as 'unit' | 'standard')}>
              <option value="unit">0 to 1</option>
              <option value="standard">standardised per channel (measured now)</option>
            </select>
          </label>
          <button onClick={() => void decodeFolder(size, channels)} disabled={busy} data-testid="images-read">
            {fresh ? 'Read again' : 'Read images'}
          </button>
        </div>
        {busy && (
          <div className="import__progress" data-testid="images-progress">
            <progress max={1} value={progress?.fraction ?? undefined} />
            <span>Decoding {progress ? `${Math.round(progress.fraction * 100)}%` : '…'}</span>
          </div>
        )}
        {decoded && (
          <div className="images__preview" data-testid="images-preview">
            {decoded.classes.map((c, label) => {
              const first = decoded.labels.flatMap((l, i) => (l === label ? [i] : [])).slice(0, 8);
              return (
                <div key={c} className="images__class">
                  <b>{c}</b>
                  <div>
                    {first.map((i) => (
                      <Sample
                        key={i}
                        pixels={decoded.pixels.subarray(i * per, (i + 1) * per)}
                        size={decoded.size}
                        channels={decoded.channels}
                      />
                    ))}
                  </div>
                </div>
              );
            })}
          </div>
        )}
        {decoded && decoded.skipped.length > 0 && (
          <div className="import__problems" data-testid="images-skipped">
            <b>
              {decoded.skipped.length} file{decoded.skipped.length === 1 ? '' : 's'} could not be read and
              will be skipped:
            </b>
            <ul>
              {decoded.skipped.slice(0, 12).map((s) => (
                <li key={s.path}>{s.path}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="import__buttons">
          {!fresh && <span className="muted">read the images with these options first</span>}
          <button onClick={cancelFolder}>Cancel</button>
          <button
            className="primary"
            disabled={busy || !fresh}
            onClick={() => void adoptFolder(normalize)}
            data-testid="images-use"
          >
            Use these images
          </button>
        </div>
      </div>
    </div>
  );
}
