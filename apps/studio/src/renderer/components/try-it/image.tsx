// "Try it" for image models: a 28×28 pad to draw a garment on (or an image to drop or choose,
// inverted when light, as Fashion-MNIST's garments are light on black), and for a model of the
// person's own image folder a picture fitted as its training images were.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { ImagesSpec } from '@hgrad/ir';
import { imageSample } from '@hgrad/train';
import { Thumbnail } from '../Thumbnail.tsx';
import { Probabilities, usePrediction } from './prediction.tsx';

/** "Image…": the browser's picker for one picture. */
function ImageButton({ onFile }: { onFile: (file: File) => void }) {
  return (
    <label className="tryit__file">
      Image…
      <input
        type="file"
        accept="image/*"
        data-testid="tryit-image"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
        }}
      />
    </label>
  );
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
        <ImageButton onFile={(file) => void imagePixels(file).then(set)} />
        <span className="muted">draw, or drop an image</span>
      </div>
    </div>
  );
}

export function ImageTry() {
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
export function FolderImageTry({ spec }: { spec: ImagesSpec }) {
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
        <ImageButton onFile={(file) => void choose(file)} />
      </div>
      {values && <Probabilities prediction={prediction} />}
    </div>
  );
}
