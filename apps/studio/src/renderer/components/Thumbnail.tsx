// A grayscale image drawn from its pixel values (darkest = largest), as dataset samples show.
import { useEffect, useRef } from 'react';

export function Thumbnail({ pixels, size }: { pixels: number[]; size: [number, number] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const [h, w] = size;
    const max = Math.max(1e-9, ...pixels);
    const image = new ImageData(w, h);
    pixels.forEach((v, k) => {
      const g = 255 - Math.round((255 * v) / max);
      image.data.set([g, g, g, 255], 4 * k);
    });
    ctx.putImageData(image, 0, 0);
  }, [pixels, size]);
  return <canvas ref={canvas} width={size[1]} height={size[0]} className="thumbnail" />;
}
