// Spatial sampling as torch.nn.functional does it: affine_grid (a sampling grid from [N, 2, 3]
// affine matrices) and grid_sample (bilinear or nearest, zeros or border padding, align_corners
// either way). Built from gathers and weights, so gradients reach both the input and the grid,
// as in torch (the floor of a coordinate has a zero gradient there too).
import { pyArgs, is } from '../args.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { arange } from '../creation.ts';
import { stack } from '../functional/shape.ts';

/** The normalised coordinates [−1, 1] of n pixels: their centres, or their corners with alignCorners. */
function base(n: number, alignCorners: boolean, like: Tensor): Tensor {
  const i = arange(n, { dtype: like.dtype, device: like.device });
  if (n === 1) return i.mul(0);
  return alignCorners ? i.mul(2 / (n - 1)).sub(1) : i.mul(2).add(1).div(n).sub(1);
}

/** The [N, H, W, 2] sampling grid (x, y) of the affine maps theta [N, 2, 3] over an [N, C, H, W] output (torch.nn.functional.affine_grid). */
export function affineGrid(
  theta: Tensor,
  size: readonly number[],
  options: { alignCorners?: boolean } = {},
): Tensor {
  const { alignCorners = false } = pyArgs<{ alignCorners: boolean }>(
    'affineGrid',
    ['alignCorners'],
    [options],
    { alignCorners: is.bool },
    0,
  );
  if (
    size.length !== 4 ||
    theta.ndim !== 3 ||
    theta.shape[1] !== 2 ||
    theta.shape[2] !== 3 ||
    theta.shape[0] !== size[0]
  )
    throw new Error(
      `affine_grid: expected theta [N, 2, 3] and size [N, C, H, W] (only 2-D grids here), got ${formatShape(theta.shape)} and [${size.join(', ')}]`,
    );
  const [, , h, w] = size as [number, number, number, number];
  const xs = base(w, alignCorners, theta).reshape([1, w]).expand([h, w]);
  const ys = base(h, alignCorners, theta).reshape([h, 1]).expand([h, w]);
  const ones = xs.mul(0).add(1);
  const points = stack([xs, ys, ones], -1).reshape([1, h * w, 3]); // (x, y, 1) per pixel
  return points.matmul(theta.transpose(1, 2)).reshape([theta.shape[0]!, h, w, 2]);
}

type GridSampleOptions = {
  mode?: 'bilinear' | 'nearest';
  paddingMode?: 'zeros' | 'border';
  alignCorners?: boolean;
};

/**
 * input [N, C, H, W] sampled at grid [N, Ho, Wo, 2] ((x, y) in [−1, 1]) into [N, C, Ho, Wo]
 * (torch.nn.functional.grid_sample): bilinear or nearest; outside, zeros or the border's values.
 */
export function gridSample(input: Tensor, grid: Tensor, options: GridSampleOptions = {}): Tensor {
  const {
    mode = 'bilinear',
    paddingMode = 'zeros',
    alignCorners = false,
  } = pyArgs<Required<GridSampleOptions>>(
    'gridSample',
    ['mode', 'paddingMode', 'alignCorners'],
    [options],
    {
      mode: is.oneOf('bilinear', 'nearest'),
      paddingMode: is.oneOf('zeros', 'border'),
      alignCorners: is.bool,
    },
    0,
  );
  if (input.ndim !== 4 || grid.ndim !== 4 || grid.shape[3] !== 2 || grid.shape[0] !== input.shape[0])
    throw new Error(
      `grid_sample: expected input [N, C, H, W] and grid [N, Ho, Wo, 2] (only 2-D sampling here), got ${formatShape(input.shape)} and ${formatShape(grid.shape)}`,
    );
  const [n, c, h, w] = input.shape as [number, number, number, number];
  const [ho, wo] = [grid.shape[1]!, grid.shape[2]!];
  // Pixel coordinates of each sampling point.
  const unnormalise = (v: Tensor, size: number) =>
    alignCorners ? v.add(1).mul((size - 1) / 2) : v.add(1).mul(size).sub(1).div(2);
  let ix = unnormalise(grid.select(3, 0), w);
  let iy = unnormalise(grid.select(3, 1), h);
  if (paddingMode === 'border') {
    ix = ix.clamp(0, w - 1);
    iy = iy.clamp(0, h - 1);
  }
  const flat = input.reshape([n, c, h * w]);
  /** input at integer pixels (px, py) [N, Ho, Wo], zero outside: [N, C, Ho·Wo], and whether inside. */
  const at = (px: Tensor, py: Tensor): [Tensor, Tensor] => {
    const inside = px
      .ge(0)
      .logicalAnd(px.le(w - 1))
      .logicalAnd(py.ge(0))
      .logicalAnd(py.le(h - 1));
    const index = py
      .clamp(0, h - 1)
      .mul(w)
      .add(px.clamp(0, w - 1))
      .to('int64')
      .reshape([n, 1, ho * wo]);
    const values = flat.gather(2, index.expand([n, c, ho * wo]));
    return [values, inside.reshape([n, 1, ho * wo])];
  };
  if (mode === 'nearest') {
    const [values, inside] = at(ix.round(), iy.round());
    return values.where(inside, 0).reshape([n, c, ho, wo]);
  }
  const [x0, y0] = [ix.floor(), iy.floor()];
  const [x1, y1] = [x0.add(1), y0.add(1)];
  const corners: [Tensor, Tensor, Tensor][] = [
    [x0, y0, x1.sub(ix).mul(y1.sub(iy))],
    [x1, y0, ix.sub(x0).mul(y1.sub(iy))],
    [x0, y1, x1.sub(ix).mul(iy.sub(y0))],
    [x1, y1, ix.sub(x0).mul(iy.sub(y0))],
  ];
  let out: Tensor | null = null;
  for (const [px, py, weight] of corners) {
    const [values, inside] = at(px, py);
    const term = values.mul(weight.reshape([n, 1, ho * wo])).where(inside, 0);
    out = out ? out.add(term) : term;
  }
  return out!.reshape([n, c, ho, wo]);
}
