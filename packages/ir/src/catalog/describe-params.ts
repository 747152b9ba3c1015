// A node kind's params as plain data for forms and docs: name, control type, range, choices,
// default and one-line doc, read from its zod schema so the catalog stays the only source.
import { z } from 'zod';
import type { NodeKind } from './types.ts';

export type ParamControl = 'int' | 'number' | 'boolean' | 'choice' | 'text' | 'pair' | 'list';

export interface ParamSpec {
  name: string;
  control: ParamControl;
  doc: string;
  optional: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  choices?: string[];
}

type Def = { type: string; innerType?: z.ZodType; defaultValue?: unknown; options?: z.ZodType[] };
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;

function controlOf(schema: z.ZodType): Pick<ParamSpec, 'control' | 'min' | 'max' | 'choices'> {
  const def = defOf(schema);
  if (def.type === 'number') {
    const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
    return {
      control: n.isInt ? 'int' : 'number',
      ...(Number.isFinite(n.minValue) ? { min: n.minValue! } : {}),
      ...(Number.isFinite(n.maxValue) ? { max: n.maxValue! } : {}),
    };
  }
  if (def.type === 'boolean') return { control: 'boolean' };
  if (def.type === 'enum')
    return { control: 'choice', choices: (schema as unknown as { options: string[] }).options };
  if (def.type === 'union') {
    const first = def.options?.[0];
    return { ...(first ? controlOf(first) : {}), control: 'pair' };
  }
  if (def.type === 'array') return { control: 'list' };
  return { control: 'text' };
}

/** The params of a kind for a form; given the node's current params, only those that apply. */
export function describeParams(kind: NodeKind, current?: Record<string, unknown>): ParamSpec[] {
  const shape = kind.params instanceof z.ZodObject ? (kind.params.shape as Record<string, z.ZodType>) : {};
  const parsed = current && kind.visibleParams ? kind.params.safeParse(current) : null;
  const visible = parsed?.success ? kind.visibleParams!(parsed.data) : null;
  const entries = Object.entries(shape).filter(([name]) => !visible || visible.includes(name));
  return entries.map(([name, field]) => {
    let schema = field;
    let optional = false;
    let defaultValue: unknown;
    for (;;) {
      const def = defOf(schema);
      if (def.type === 'default') defaultValue = def.defaultValue;
      else if (def.type !== 'optional') break;
      optional ||= def.type === 'optional';
      schema = def.innerType!;
    }
    return {
      name,
      doc: field.description ?? schema.description ?? '',
      optional: optional || defaultValue !== undefined,
      ...(defaultValue !== undefined ? { default: defaultValue } : {}),
      ...controlOf(schema),
    };
  });
}
