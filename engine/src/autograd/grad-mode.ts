// Whether operations are recorded for autograd, and whether anomaly detection is on.
// Both are scoped: the callbacks restore the previous mode even when they throw.

let gradEnabled = true;
let anomalyEnabled = false;

export const isGradEnabled = (): boolean => gradEnabled;

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** torch.no_grad(): nothing computed inside is recorded for backward. */
export const noGrad = <T>(fn: () => T): T => withGradMode(false, fn);
/** torch.enable_grad(): record even inside a noGrad scope. */
export const enableGrad = <T>(fn: () => T): T => withGradMode(true, fn);

export const isAnomalyEnabled = (): boolean => anomalyEnabled;

export function setDetectAnomaly(enabled: boolean): void {
  anomalyEnabled = enabled;
}

/** torch.autograd.detect_anomaly(): checks every forward and backward output for NaN/Inf. */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return fn();
  } finally {
    anomalyEnabled = previous;
  }
}
