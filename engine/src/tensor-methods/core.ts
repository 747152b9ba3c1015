// Copies, autograd controls, devices and dtypes (x.detach(), x.backward(), x.to('webgpu')).
// Each method is written once here; tensor-methods.ts installs it on Tensor and merges its
// signature into the Tensor type.
import { getBackend } from '../backend/registry.ts';
import { DEVICES, type Device } from '../backend/types.ts';
import { options as checkOptions, is, nearest } from '../args.ts';
import { DTYPES, ELEMENT_SIZE, isFloating, type DType, type TypedArray } from '../dtype.ts';
import { nestedList, Tensor, type Hook } from '../tensor.ts';
import { backward, type BackwardOptions } from '../autograd/engine.ts';
import { fromBuffer } from '../ops/make.ts';
import { formatTensor } from '../print.ts';
import { cast, clone, contiguous } from '../ops/cast.ts';
import { dispose } from '../scope.ts';

export interface ToOptions {
  dtype?: DType;
  device?: Device;
}

/** to()'s argument: a dtype name, a device name, or both as options — anything else is refused. */
function toOptions(fn: string, target: DType | Device | ToOptions): ToOptions {
  if (typeof target === 'string') {
    if ((DTYPES as readonly string[]).includes(target)) return { dtype: target as DType };
    if ((DEVICES as readonly string[]).includes(target)) return { device: target as Device };
    const near = nearest(target, [...DTYPES, ...DEVICES]);
    throw new TypeError(
      `${fn}: '${target}' is neither a dtype (${DTYPES.join(', ')}) nor a device (${DEVICES.join(', ')})${near ? `; did you mean '${near}'?` : ''}`,
    );
  }
  return checkOptions<{ dtype: DType; device: Device }>(fn, target, ['dtype', 'device'], {
    dtype: is.dtype,
    device: is.device,
  });
}

/** A leaf copy of t's values on another device (it keeps requiresGrad; gradients stay per device). */
function moveTo(t: Tensor, device: Device, values: TypedArray): Tensor {
  const backend = getBackend(device);
  const moved = fromBuffer(backend, backend.fromTypedArray(values, t.dtype), t.shape, t.dtype);
  moved.requiresGrad = t.requiresGrad;
  return moved;
}

export class CoreMethods {
  contiguous(this: Tensor): Tensor {
    return contiguous(this);
  }

  clone(this: Tensor): Tensor {
    return clone(this);
  }

  detach(this: Tensor): Tensor {
    // Shares storage and version counter, but not the autograd history (nor a view base).
    return new Tensor(this.storage, [...this.shape], [...this.strides], this.offset);
  }

  detach_(this: Tensor): Tensor {
    this.gradFn = null;
    this.requiresGrad = false;
    return this;
  }

  requiresGrad_(this: Tensor, requiresGrad = true): Tensor {
    if (!this.isLeaf && !requiresGrad)
      throw new Error('requiresGrad_: you can only change requires_grad flags of leaf variables.');
    if (requiresGrad && !isFloating(this.dtype))
      throw new Error(`Only Tensors of floating point dtype can require gradients (got ${this.dtype})`);
    this.requiresGrad = requiresGrad;
    return this;
  }

  retainGrad(this: Tensor): void {
    if (!this.requiresGrad)
      throw new Error("retainGrad: can't retain_grad on Tensor that has requires_grad=False");
    if (this.isLeaf || this.retainsGrad) return;
    this.retainsGrad = true;
    (this.gradFn!.retained ??= []).push(this);
  }

  registerHook(this: Tensor, hook: Hook): { remove(): void } {
    if (!this.requiresGrad)
      throw new Error("registerHook: cannot register a hook on a tensor that doesn't require gradient");
    const list = this.gradFn ? (this.gradFn.preHooks ??= []) : (this.leafHooks ??= []);
    list.push(hook);
    return { remove: () => void list.splice(list.indexOf(hook) >>> 0, 1) };
  }

  backward(this: Tensor, gradient?: Tensor, options?: BackwardOptions): void {
    backward(this, gradient, options);
  }

  to(this: Tensor, target: DType | Device | ToOptions): Tensor {
    const opts = toOptions('to', target);
    let out = opts.dtype ? cast(this, opts.dtype) : this;
    if (opts.device && opts.device !== out.device) {
      if (out.device !== 'cpu')
        throw new Error(
          `to('${opts.device}'): this tensor is on '${out.device}', whose memory can only be read asynchronously: use \`await t.toAsync('${opts.device}')\``,
        );
      out = moveTo(out, opts.device, out.dataSync());
    }
    return out;
  }

  /** Like to(), and also reads a GPU tensor back to the CPU. */
  async toAsync(this: Tensor, target: DType | Device | ToOptions): Promise<Tensor> {
    const opts = toOptions('toAsync', target);
    let out = opts.dtype ? cast(this, opts.dtype) : this;
    if (opts.device && opts.device !== out.device) out = moveTo(out, opts.device, await out.data());
    return out;
  }

  /** tolist() for tensors on any device. */
  async tolistAsync(this: Tensor): Promise<unknown> {
    return nestedList(this, await this.data());
  }

  /** Frees the tensor's memory now on devices with explicit memory (WebGPU); a no-op on the CPU. */
  dispose(this: Tensor): void {
    dispose(this);
  }

  float(this: Tensor): Tensor {
    return cast(this, 'float32');
  }

  double(this: Tensor): Tensor {
    return cast(this, 'float64');
  }

  half(this: Tensor): Tensor {
    return cast(this, 'float16');
  }

  bfloat16(this: Tensor): Tensor {
    return cast(this, 'bfloat16');
  }

  int(this: Tensor): Tensor {
    return cast(this, 'int32');
  }

  long(this: Tensor): Tensor {
    return cast(this, 'int64');
  }

  byte(this: Tensor): Tensor {
    return cast(this, 'uint8');
  }

  /** Bytes per element as PyTorch counts them (float16: 2, int64: 8), whatever holds them here. */
  elementSize(this: Tensor): number {
    return ELEMENT_SIZE[this.dtype];
  }

  bool(this: Tensor): Tensor {
    return cast(this, 'bool');
  }

  toString(this: Tensor): string {
    return formatTensor(this);
  }
}
