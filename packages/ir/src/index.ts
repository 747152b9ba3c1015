// @hgrad/ir: the typed graph document of homemade-grad.
export * from './schema.ts';
export * from './parse.ts';
export * from './catalog/index.ts';
export * from './analyze.ts';
export * from './load.ts';
export * from './memory.ts';
export * from './migrations.ts';
export * from './ports.ts';
export * from './prediction.ts';
