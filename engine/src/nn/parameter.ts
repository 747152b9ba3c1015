// A Parameter is a leaf tensor that a Module registers for training (requiresGrad by default).
import { Tensor } from '../tensor.ts';

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, [...data.shape], [...data.strides], data.offset);
    this.requiresGrad = requiresGrad;
  }
}
