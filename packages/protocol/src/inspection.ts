// A tensor as the UI sees it: shape, dtype, summary statistics, a histogram, a heatmap of
// cell means and, for small tensors or when asked, every value.
export interface TensorInspection {
  shape: number[];
  dtype: string;
  summary: { min: number; max: number; mean: number; std: number; nan: number; inf: number; count: number };
  histogram: { min: number; max: number; counts: number[] };
  /** Mean of each cell; rows are the first dim, columns the rest. */
  heatmap: { rows: number; cols: number; values: number[] };
  values?: number[];
  /**
   * For an activation [N, C, H, W]: the first sample's channels as images (up to 32 channels,
   * each at most 64×64, every value), to see what each channel responds to.
   */
  featureMaps?: { channels: number; total: number; h: number; w: number; values: number[] };
  /** For a sequence activation [N, T, F]: the first sample as time × feature (at most 64 × 64). */
  sequence?: { t: number; f: number; totalT: number; totalF: number; values: number[] };
}
