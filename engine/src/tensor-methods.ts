// Attaches the tensor methods (x.add(y) ≡ add(x, y), PyTorch-style) to Tensor. Each method is
// written once, in a class under tensor-methods/; this module copies them onto Tensor's
// prototype and merges the classes into Tensor's type, so a method and its signature cannot
// drift apart.
import { Tensor } from './tensor.ts';
import { CoreMethods } from './tensor-methods/core.ts';
import { ElementwiseMethods } from './tensor-methods/elementwise.ts';
import { InplaceMethods } from './tensor-methods/inplace.ts';
import { ReductionMethods } from './tensor-methods/reduction.ts';
import { ShapeMethods } from './tensor-methods/shape.ts';
import { CompositeMethods } from './tensor-methods/composite.ts';
import { HabitMethods } from './tensor-methods/habits.ts';
import { ExtraMethods } from './tensor-methods/extras.ts';

export type { ToOptions } from './tensor-methods/core.ts';

declare module './tensor.ts' {
  interface Tensor
    extends
      CoreMethods,
      ElementwiseMethods,
      ReductionMethods,
      ShapeMethods,
      InplaceMethods,
      CompositeMethods,
      HabitMethods,
      ExtraMethods {}
}

for (const methods of [
  CoreMethods,
  ElementwiseMethods,
  ReductionMethods,
  ShapeMethods,
  InplaceMethods,
  CompositeMethods,
  HabitMethods,
  ExtraMethods,
])
  for (const name of Object.getOwnPropertyNames(methods.prototype))
    if (name !== 'constructor')
      Object.defineProperty(
        Tensor.prototype,
        name,
        Object.getOwnPropertyDescriptor(methods.prototype, name)!,
      );
