// A Parameter is a leaf tensor that a Module registers for training (requiresGrad by default).
import { Tensor } from '../tensor.ts';
import { isFloating } from '../dtype.ts';

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, [...data.shape], [...data.strides], data.offset);
    if (requiresGrad && !isFloating(data.dtype))
      throw new Error(
        `Parameter: only Tensors of floating point dtype can require gradients (got ${data.dtype}); ` +
          `write tensor([1], {dtype: 'float32'}) — JavaScript cannot tell 1.0 from 1`,
      );
    this.requiresGrad = requiresGrad;
    // A model's weights outlive any memory scope they were made in (scope.ts).
    data.storage.persistent = true;
  }
}
