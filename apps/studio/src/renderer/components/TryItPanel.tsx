// "Try it": the trained model on the person's own input, live. Image models get a 28×28 pad to
// draw on (or an image to drop), feature models a row of number fields (a table's own column
// names, typed in its units), character models a prompt they continue, character by character,
// with a temperature. The prediction shows every class's probability.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { datasetNodeOf, type ImagesSpec } from '@hgrad/ir';
import { imageSample } from '@hgrad/train';
import { Thumbnail } from './Thumbnail.tsx';
import type { RuntimeResult } from '@hgrad/protocol';
import { engineCommands } from '../state/engine-controller.ts';
import { useDocument } from '../state/document-store.ts';
import { useRun } from '../state/run-store.ts';
import { formatNumber } from '../format.ts';

type Prediction = Extract<RuntimeResult, { type: 'prediction' }>;

function Probabilities({ prediction }: { prediction: Prediction | null }) {
  if (!prediction) return <p className="muted">…</p>;
  if (!prediction.probabilities)
    return (
      <p className="tryit__value" data-testid="tryit-value">
        prediction: <b>{prediction.output.map((v) => formatNumber(v)).join(', ')}</b>
      </p>
    );
  const p = prediction.probabilities;
  const best = p.indexOf(Math.max(...p));
  const name = (i: number) => prediction.labels?.[i] ?? String(i);
  return (
    <div className="tryit__probs" data-testid="tryit-probabilities">
      <p>
        prediction: <b data-testid="tryit-best">{name(best)}</b> ({(p[best]! * 100).toFixed(1)}%)
      </p>
      <ol>
        {p.map((v, i) => (
          <li key={i} className={i === best ? 'tryit__best' : ''}>
            <span className="tryit__name">{name(i)}</span>
            <span className="tryit__bar" style={{ width: `${Math.max(1, v * 160)}px` }} />
            <span>{(v * 100).toFixed(1)}%</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Asks for a prediction whenever `values` change (the latest wins), while a graph is loaded. */
function usePrediction(values: number[] | null): Prediction | null {
  const loadedKey = useRun((s) => s.loadedKey);
  const step = useRun((s) => s.step);
  const [prediction, setPrediction] = useState<Prediction | null>(null);
  useEffect(() => {
    if (!values || loadedKey === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void engineCommands.predict(values).then((r) => !cancelled && setPrediction(r));
    }, 60);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [values, loadedKey, Math.floor(step / 50)]);
  return prediction;
}

const SIZE = 28;
const SCALE = 8;

/** Pixels (0..1, 28×28) of an image file: grayscale, fitted, strokes bright on dark as the data. */
async function imagePixels(file: File): Promise<number[]> {
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(SIZE, SIZE);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  const s = Math.min(SIZE / bitmap.width, SIZE / bitmap.height);
  ctx.drawImage(
    bitmap,
    (SIZE - bitmap.width * s) / 2,
    (SIZE - bitmap.height * s) / 2,
    bitmap.width * s,
    bitmap.height * s,
  );
  const data = ctx.getImageData(0, 0, SIZE, SIZE).data;
  const gray = Array.from(
    { length: SIZE * SIZE },
    (_, i) => (data[4 * i]! + data[4 * i + 1]! + data[4 * i + 2]!) / 765,
  );
  // Fashion-MNIST is a light garment on black: a photo on a light background is inverted.
  const mean = gray.reduce((a, b) => a + b, 0) / gray.length;
  return mean > 0.5 ? gray.map((g) => 1 - g) : gray;
}

function DrawPad({ onChange }: { onChange: (pixels: number[]) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pixels = useRef(new Array<number>(SIZE * SIZE).fill(0));
  const drawing = useRef(false);
  const paint = () => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const image = new ImageData(SIZE, SIZE);
    pixels.current.forEach((v, k) => {
      const g = 255 - Math.round(255 * v);
      image.data.set([g, g, g, 255], 4 * k);
    });
    ctx.putImageData(image, 0, 0);
  };
  useEffect(paint, []);
  const stroke = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const cx = ((e.clientX - rect.left) / rect.width) * SIZE;
    const cy = ((e.clientY - rect.top) / rect.height) * SIZE;
    // A soft round brush about two pixels wide, as a pen stroke looks at 28×28.
    for (let y = Math.floor(cy - 2); y <= cy + 2; y++)
      for (let x = Math.floor(cx - 2); x <= cx + 2; x++) {
        if (x < 0 || y < 0 || x >= SIZE || y >= SIZE) continue;
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const ink = Math.max(0, 1 - d / 1.8);
        pixels.current[y * SIZE + x] = Math.min(1, pixels.current[y * SIZE + x]! + ink);
      }
    paint();
    onChange([...pixels.current]);
  };
  const set = (values: number[]) => {
    pixels.current = values;
    paint();
    onChange([...values]);
  };
  return (
    <div className="tryit__pad">
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        style={{ width: SIZE * SCALE, height: SIZE * SCALE }}
        data-testid="tryit-pad"
        onPointerDown={(e) => {
          drawing.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          stroke(e);
        }}
        onPointerMove={(e) => drawing.current && stroke(e)}
        onPointerUp={() => (drawing.current = false)}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const file = e.dataTransfer.files[0];
          if (file) void imagePixels(file).then(set);
        }}
      />
      <div className="tryit__pad-buttons">
        <button onClick={() => set(new Array<number>(SIZE * SIZE).fill(0))} data-testid="tryit-clear">
          Clear
        </button>
        <label className="tryit__file">
          Image…
          <input
            type="file"
            accept="image/*"
            data-testid="tryit-image"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void imagePixels(file).then(set);
            }}
          />
        </label>
        <span className="muted">draw, or drop an image</span>
      </div>
    </div>
  );
}

function ImageTry() {
  const [values, setValues] = useState<number[] | null>(null);
  const prediction = usePrediction(values);
  return (
    <div className="tryit__row">
      <DrawPad onChange={setValues} />
      {values ? (
        <Probabilities prediction={prediction} />
      ) : (
        <p className="muted">Draw a garment to see what the model thinks it is.</p>
      )}
    </div>
  );
}

/** A picture for a model of the person's own image folder, fitted as its training images were. */
function FolderImageTry({ spec }: { spec: ImagesSpec }) {
  const [values, setValues] = useState<number[] | null>(null);
  const [preview, setPreview] = useState<Float32Array | null>(null);
  const prediction = usePrediction(values);
  const choose = async (file: File) => {
    const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const sample = imageSample(data, bitmap.width, bitmap.height, spec.size, spec.channels);
    setPreview(sample);
    const plane = spec.size * spec.size;
    setValues(
      Array.from(sample, (v, i) => {
        if (spec.normalize !== 'standard' || !spec.stats) return v;
        const c = Math.floor(i / plane);
        return (v - spec.stats.mean[c]!) / (spec.stats.std[c]! || 1);
      }),
    );
  };
  return (
    <div className="tryit__row">
      <div
        className="tryit__pad"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const file = e.dataTransfer.files[0];
          if (file) void choose(file);
        }}
      >
        {preview ? (
          <Thumbnail
            pixels={Array.from(preview.subarray(0, spec.size * spec.size), (v) => 1 - v)}
            size={[spec.size, spec.size]}
          />
        ) : (
          <p className="muted">Drop an image here, or choose one.</p>
        )}
        <label className="tryit__file">
          Image…
          <input
            type="file"
            accept="image/*"
            data-testid="tryit-image"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void choose(file);
            }}
          />
        </label>
      </div>
      {values && <Probabilities prediction={prediction} />}
    </div>
  );
}

function FeatureTry({ names, first }: { names: string[]; first: number[] | null }) {
  const [values, setValues] = useState<number[] | null>(first);
  useEffect(() => setValues(first), [first]);
  const prediction = usePrediction(values);
  if (!values) return <p className="muted">…</p>;
  return (
    <div className="tryit__row">
      <div className="tryit__fields">
        {names.map((n, i) => (
          <label key={n}>
            {n}
            <input
              type="number"
              step="any"
              value={Number.isFinite(values[i]) ? values[i] : ''}
              data-testid={`tryit-feature-${i}`}
              onChange={(e) => {
                const next = [...values];
                next[i] = e.target.value === '' ? NaN : Number(e.target.value);
                if (next.every(Number.isFinite)) setValues(next);
              }}
            />
          </label>
        ))}
      </div>
      <Probabilities prediction={prediction} />
    </div>
  );
}

function TextTry() {
  const [prompt, setPrompt] = useState('In the beginning');
  const [temperature, setTemperature] = useState(0.8);
  const [output, setOutput] = useState('');
  const [running, setRunning] = useState(false);
  const stop = useRef(false);
  const generate = async () => {
    setRunning(true);
    stop.current = false;
    let text = '';
    setOutput('');
    // In chunks, so the characters stream in and Stop is prompt.
    for (let k = 0; k < 25 && !stop.current; k++) {
      const r = await engineCommands.generate(prompt + text, 8, temperature, k);
      if (r === null) break;
      text += r;
      setOutput(text);
    }
    setRunning(false);
  };
  return (
    <div className="tryit__text">
      <label>
        prompt
        <textarea
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          rows={2}
          data-testid="tryit-prompt"
        />
      </label>
      <label>
        temperature {temperature.toFixed(2)}
        <input
          type="range"
          min={0.1}
          max={2}
          step={0.05}
          value={temperature}
          onChange={(e) => setTemperature(Number(e.target.value))}
          data-testid="tryit-temperature"
        />
      </label>
      <div>
        <button
          className="primary"
          disabled={running}
          onClick={() => void generate()}
          data-testid="tryit-generate"
        >
          Generate
        </button>{' '}
        <button disabled={!running} onClick={() => (stop.current = true)}>
          Stop
        </button>
      </div>
      <pre className="tryit__output" data-testid="tryit-output">
        <span className="muted">{prompt}</span>
        {output}
      </pre>
    </div>
  );
}

export function TryItPanel() {
  const loadedKey = useRun((s) => s.loadedKey);
  const analysis = useDocument((s) => s.analysis);
  const params = useDocument((s) => datasetNodeOf(s.doc)?.params);
  const node = useDocument((s) => datasetNodeOf(s.doc));
  const shape = node ? analysis.nodes.get(node.id)?.outputs.x?.slice(1) : undefined;
  const [first, setFirst] = useState<number[] | null>(null);
  useEffect(() => {
    if (loadedKey === null) return;
    void engineCommands.samples(1).then((r) => {
      const s = r?.samples[0];
      // A table's fields take its own units: the first sample before standardisation is not at
      // hand, so the fields start at the column means.
      const table = params?.name === 'table' ? (params.table as { stats?: { mean: number[] } }) : null;
      setFirst(table?.stats ? table.stats.mean.map((m) => +m.toPrecision(4)) : s ? s.x : null);
    });
  }, [loadedKey]);
  if (loadedKey === null || !shape)
    return <p className="muted tryit__empty">Load a trainable graph to try it.</p>;
  if (shape.includes('T')) return <TextTry />;
  if (params?.name === 'images' && params.images)
    return <FolderImageTry spec={params.images as ImagesSpec} />;
  if (shape.length >= 2 && (shape.at(-1) as number) > 4) return <ImageTry />;
  const names =
    params?.name === 'table'
      ? ((params.table as { features?: string[] })?.features ?? [])
      : shape.length === 1
        ? Array.from({ length: shape[0] as number }, (_, i) => `x${i}`)
        : [];
  if (names.length === 0)
    return <p className="muted tryit__empty">This model’s input cannot be typed here.</p>;
  return <FeatureTry names={names} first={first} />;
}
