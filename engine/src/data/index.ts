// torch.utils.data, plus datasets that need no network.
export * from './dataset.ts';
export * from './synthetic.ts';
export * from './idx.ts';
export * from './text.ts';
export * from './csv.ts';
