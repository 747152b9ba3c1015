// @hgrad/export: trained graphs out to other tools (ONNX, PyTorch code, JSON weights) and back.
export * from './flat.ts';
export * from './onnx/index.ts';
export * from './weights-json.ts';
export * from './pytorch/index.ts';
export * from './metadata.ts';
export * from './import-weights.ts';
export * from './onnx/import.ts';
