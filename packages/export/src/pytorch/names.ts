// Python names for graph ids: submodules keep the node id (so state-dict keys are unchanged);
// local variables and class names are made valid, readable and unique.

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for ' +
    'from global if import in is lambda nonlocal not or pass raise return try while with yield match case'
  ).split(' '),
);
/** Names a generated forward() already uses, and nn.Module's own attributes. */
const TAKEN = ['self', 'torch', 'nn', 'F', 'input', 'mask', 'ctypes', 'json', 'struct', 'sys'];
const MODULE_ATTRIBUTES = new Set(
  (
    'T_destination add_module apply bfloat16 buffers call_super_init children cpu cuda double dump_patches eval ' +
    'extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict ' +
    'modules named_buffers named_children named_modules named_parameters parameters register_backward_hook ' +
    'register_buffer register_forward_hook register_forward_pre_hook register_full_backward_hook ' +
    'register_module register_parameter requires_grad_ set_extra_state share_memory state_dict to to_empty ' +
    'train training type xpu zero_grad'
  ).split(' '),
);

export const isIdentifier = (s: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !KEYWORDS.has(s);

/** How forward() reaches a submodule registered under `id`. */
export function moduleRef(id: string): string {
  return isIdentifier(id) && !MODULE_ATTRIBUTES.has(id) && !id.startsWith('_')
    ? `self.${id}`
    : `self._modules[${JSON.stringify(id)}]`;
}

/** The statement that registers a submodule under `id`. */
export function registerModule(id: string, expr: string): string {
  return isIdentifier(id) && !MODULE_ATTRIBUTES.has(id) && !id.startsWith('_')
    ? `self.${id} = ${expr}`
    : `self.add_module(${JSON.stringify(id)}, ${expr})`;
}

/** Hands out unique Python identifiers made from arbitrary strings. */
export class Names {
  private readonly used: Set<string>;

  constructor(reserved: readonly string[] = []) {
    this.used = new Set([...TAKEN, ...reserved]);
  }

  take(wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `v_${base}`;
    if (KEYWORDS.has(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** A class name from a subgraph's name or id ("Residual block" → ResidualBlock). */
export function className(wanted: string, names: Names): string {
  const camel = wanted
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return names.take(camel || 'Block');
}
