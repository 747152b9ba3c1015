// torch.linalg's edges: singular and non-square inputs refused as torch words it, the
// determinant's gradient where the matrix is singular (the cofactors, as central differences
// measure), empty matrices, NaN and −∞ from logdet, the norms torch.linalg.norm dispatches to,
// checked options, and the node names torch gives. Values against PyTorch: cases.ts (ops.json).
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const f64 = (rows: number[][]) => hg.tensor(rows, { dtype: 'float64' });

describe('torch.linalg', () => {
  it('refuses singular, non-square, integer and 1-D inputs with torch’s words', () => {
    expect(() =>
      hg.linalg.inv(
        f64([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toThrow(
      'linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.',
    );
    const batch = hg.stack([hg.eye(3), hg.zeros([3, 3])]);
    expect(() => hg.inverse(batch)).toThrow(
      /^linalg\.inv: \(Batch element 1\): The diagonal element 1 is zero/,
    );
    expect(() => hg.linalg.solve(hg.zeros([3, 3]), hg.ones([3]))).toThrow(
      'linalg.solve: The solver failed because the input matrix is singular.',
    );
    expect(() => hg.linalg.det(hg.zeros([2, 3]))).toThrow(
      'linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices',
    );
    expect(() => hg.linalg.inv(hg.zeros([3, 3], { dtype: 'int64' }))).toThrow(
      /linalg\.inv: Expected a floating point tensor as input\. Got int64/,
    );
    expect(() => hg.det(hg.ones([3]))).toThrow(/at least 2 dimensions/);
    expect(() => hg.linalg.cholesky(hg.eye(3).neg())).toThrow(
      'linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 1 is not positive-definite).',
    );
    expect(() => hg.linalg.solve(hg.eye(3), hg.ones([2, 4]))).toThrow(/Incompatible shapes of A and B/);
  });

  it('differentiates det at a singular matrix: the cofactors, as central differences give', () => {
    // Rank 1: det·A⁻ᵀ cannot be formed, but the derivative exists: [[4, −2], [−2, 1]].
    const a = f64([
      [1, 2],
      [2, 4],
    ]).requiresGrad_();
    hg.det(a).backward();
    expect(a.grad!.tolist()).toEqual([
      [4, -2],
      [-2, 1],
    ]);
    const h = 1e-6;
    const values = [1, 2, 2, 4];
    const numeric = values.map((_, i) => {
      const at = (d: number) =>
        hg
          .det(
            hg
              .tensor(
                values.map((v, j) => (j === i ? v + d : v)),
                { dtype: 'float64' },
              )
              .reshape([2, 2]),
          )
          .item();
      return (at(h) - at(-h)) / (2 * h);
    });
    expect(numeric.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([4, -2, -2, 1]);
    // Rank 0 (and a batch mixing a singular with a regular matrix): zeros, and det·A⁻ᵀ.
    const mixed = hg
      .stack([hg.zeros([3, 3], { dtype: 'float64' }), hg.eye(3, { dtype: 'float64' }).mul(2)])
      .requiresGrad_();
    hg.det(mixed).sum().backward();
    expect(mixed.grad!.add(0).tolist()).toEqual([
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      [
        [4, 0, 0],
        [0, 4, 0],
        [0, 0, 4],
      ],
    ]);
  });

  it('gives empty matrices det 1 and log|det| 0, and logdet NaN or −∞ as torch', () => {
    expect(hg.det(hg.zeros([0, 0])).item()).toBe(1);
    const [sign, logabsdet] = hg.linalg.slogdet(hg.zeros([0, 0]));
    expect([sign!.item(), logabsdet!.item()]).toEqual([1, 0]);
    expect(
      hg
        .logdet(
          f64([
            [-1, 0],
            [0, 1],
          ]),
        )
        .item(),
    ).toBeNaN();
    expect(hg.logdet(hg.zeros([2, 2])).item()).toBe(-Infinity);
    const s = hg.linalg.slogdet(
      f64([
        [0, 2],
        [3, 0],
      ]),
    );
    expect([s.sign.item(), s.logabsdet.item()]).toEqual([-1, Math.log(6)]);
  });

  it('names its nodes as torch names them', () => {
    const a = hg
      .eye(3)
      .add(hg.randn([3, 3]).mul(0.1))
      .requiresGrad_();
    const spd = a.matmul(a.t());
    expect(hg.linalg.inv(a).gradFn!.name).toBe('LinalgInvExBackward0');
    expect(a.inverse().gradFn!.name).toBe('LinalgInvExBackward0');
    expect(hg.det(a).gradFn!.name).toBe('LinalgDetBackward0');
    expect(a.slogdet().logabsdet.gradFn!.name).toBe('LinalgSlogdetBackward0');
    expect(a.slogdet().sign.gradFn!.name).toBe('LinalgSlogdetBackward0');
    expect(hg.linalg.solve(a, hg.ones([3])).gradFn!.name).toBe('LinalgSolveExBackward0');
    expect(hg.linalg.cholesky(spd).gradFn!.name).toBe('LinalgCholeskyExBackward0');
  });

  it('dispatches linalg.norm as torch does, and checks every option', () => {
    const x = hg.tensor([
      [1, -2, 3],
      [-4, 5, -6],
    ]);
    expect(hg.linalg.norm(x).item()).toBeCloseTo(Math.sqrt(91), 5);
    expect(hg.linalg.norm(x, 1).item()).toBe(9); // a matrix: the largest column sum
    expect(hg.linalg.norm(x, Infinity).item()).toBe(15); // the largest row sum
    expect(hg.linalg.norm(x, 1, 1).tolist()).toEqual([6, 15]); // one dim: vector norms
    expect(hg.linalg.vectorNorm(x, 0).item()).toBe(6);
    expect(hg.linalg.vectorNorm(x, Infinity).item()).toBe(6);
    expect(hg.linalg.matrixNorm(x, -1).item()).toBe(5);
    // The singular values of x are 9.508031… and 0.772869… (torch: 10.2809000, 9.5080309).
    expect(hg.linalg.matrixNorm(x.float(), 'nuc').item()).toBeCloseTo(10.2809, 4);
    expect(hg.linalg.matrixNorm(x.float(), 2).item()).toBeCloseTo(9.508031, 5);
    expect(() => hg.linalg.vectorNorm(x, { keepDim: true } as never)).toThrow(/keepDim.*keepdim/);
    expect(() => hg.linalg.cholesky(hg.eye(2), { lower: true } as never)).toThrow(/lower/);
    expect(() => hg.linalg.matrixPower(hg.eye(2), 1.5)).toThrow(/must be an integer/);
  });

  it('decomposes rank-deficient and structured matrices, and refuses what it does not compute', () => {
    // Rank 1: one singular value, U's other column completed to an orthonormal pair.
    const r1 = f64([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    const { U, S, Vh } = hg.linalg.svd(r1, { fullMatrices: false });
    expect((S.tolist() as number[])[1]).toBeCloseTo(0, 12);
    expect(
      U.t()
        .matmul(U)
        .sub(hg.eye(2, { dtype: 'float64' }))
        .abs()
        .max()
        .item(),
    ).toBeLessThan(1e-12);
    expect(U.mul(S.unsqueeze(0)).matmul(Vh).sub(r1).abs().max().item()).toBeLessThan(1e-12);
    expect(hg.linalg.matrixRank(r1).item()).toBe(1);
    expect(hg.linalg.matrixRank(r1, { atol: 100 }).item()).toBe(0);
    expect(hg.linalg.pinv(hg.zeros([2, 3], { dtype: 'float64' })).tolist()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const { eigenvalues } = hg.linalg.eigh(
      f64([
        [3, 0],
        [0, -1],
      ]),
    );
    expect(eigenvalues.tolist()).toEqual([-1, 3]);
    expect(() => hg.linalg.svd(r1)).toThrow(/full_matrices=True for a 3 by 2 matrix is not supported here/);
    expect(() =>
      hg.linalg.eigh(
        f64([
          [1, 0],
          [0, 1],
        ]),
        'U',
      ),
    ).toThrow(/UPLO='U' is not supported/);
    expect(() => hg.linalg.pinv(r1, { hermitian: true })).toThrow(/hermitian=True is not supported/);
    expect(() => hg.linalg.cond(r1, 1)).toThrow(/p=1 is not supported/);
  });

  it("gives torch's Q and R (LAPACK's signs), and says where QR has no derivative", () => {
    // An upper-triangular A with a negative diagonal: LAPACK leaves such columns alone.
    const { Q, R } = hg.linalg.qr(
      f64([
        [-2, 1],
        [0, 3],
      ]),
    );
    expect(Q.tolist()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(R.tolist()).toEqual([
      [-2, 1],
      [0, 3],
    ]);
    const a = hg.randn([3, 2], { dtype: 'float64' }).requiresGrad_();
    expect(() => hg.linalg.qr(a, 'r').R.sum().backward()).toThrow(
      /depends on Q, which is not computed when mode='r'/,
    );
    const wide = hg.randn([2, 3], { dtype: 'float64' }).requiresGrad_();
    expect(() => hg.linalg.qr(wide).R.sum().backward()).toThrow(/rows ≥ columns/);
    expect(() => hg.linalg.qr(a, { mode: 'full' } as never)).toThrow(
      /mode must be one of 'reduced', 'complete', 'r'/,
    );
  });

  it('solves a batch against one right-hand side, and vectors as torch reads them', () => {
    const a = hg.stack([hg.eye(3, { dtype: 'float64' }).mul(2), hg.eye(3, { dtype: 'float64' }).mul(4)]);
    expect(hg.linalg.solve(a, hg.ones([3], { dtype: 'float64' })).tolist()).toEqual([
      [0.5, 0.5, 0.5],
      [0.25, 0.25, 0.25],
    ]);
    expect(hg.linalg.solve(a, hg.ones([3, 1], { dtype: 'float64' })).shape).toEqual([2, 3, 1]);
    expect(hg.linalg.solve(a, hg.ones([2, 3], { dtype: 'float64' })).shape).toEqual([2, 3]);
  });
});
