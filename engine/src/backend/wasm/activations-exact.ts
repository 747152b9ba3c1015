// The TypeScript kernels' exact tanh and sigmoid, which activations.wat imports for the few values
// its float64 approximation cannot round with certainty (activations.ts, and each thread's copy
// of the kernel: split-kernels.ts).
export const exactActivations = { tanh: Math.tanh, sigmoid: (x: number) => 1 / (1 + Math.exp(-x)) };
