// What sgemm.wat's module exports, in one place: the calling thread's instance, the helper
// threads' instances over the shared memory and a convolution's per-sample steps all call these.

/** Columns of `planes` planes at x (byte offsets) through a runs table, or their adjoint. */
type Columns = (
  x: number,
  runs: number,
  nruns: number,
  planes: number,
  plane: number,
  KL: number,
  out: number,
) => void;

/** The product and the layouts it reads. */
export interface SgemmExports {
  sgemm(a: number, b: number, c: number, m: number, n: number, k: number): void;
  /**
   * sgemm with A packed (packA, packAT: the same bits, ~5% faster), into C with rows ldc floats
   * apart (columns of a wider C: a thread's share of them), storing only its first nc ≤ n columns
   * (a C whose width is not a multiple of 8, written where it goes).
   */
  sgemmP(a: number, b: number, c: number, m: number, n: number, k: number, ldc: number, nc: number): void;
  /** A [m, k] (rows rs floats apart) packed for sgemmP: 4 rows as k steps of 4 floats; rows m..Mp zeros. */
  packA(src: number, dst: number, m: number, k: number, rs: number): void;
  /** The same from Aᵀ [k, ·] (rows lda floats apart). */
  packAT(src: number, dst: number, m: number, k: number, lda: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, pitch: number): void;
  panels(b: number, dst: number, k: number, n: number, ldb: number): void;
  /** The panels of Wᵀ from W [n, k] (rows ldw floats apart). */
  panelsT(w: number, dst: number, k: number, n: number, ldw: number): void;
  /** x[i, j] += bias[j] for i < rows, j < n, rows pitch floats apart. */
  addColumns(x: number, bias: number, rows: number, n: number, pitch: number): void;
}

/** Everything a convolution's step calls: the product, im2col/col2im and the bias added to rows. */
export interface ConvKernel extends SgemmExports {
  im2col: Columns;
  col2im: Columns;
  addRows(c: number, bias: number, rows: number, n: number): void;
  /** out[j] = Σ_p Σ_l g[p, j, l] over g [n, o, L] (float64 chains, rounded once). */
  channelSums(g: number, n: number, o: number, L: number, out: number): void;
}
