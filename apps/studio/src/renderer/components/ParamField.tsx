// One param of the selected node as a typed control. The text typed is kept while it is invalid
// (with the reason below it); a valid value becomes one undo step.
import { useEffect, useState } from 'react';
import type { NodeKind, ParamSpec } from '@hgrad/ir';

function toText(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function parseText(spec: ParamSpec, text: string): unknown {
  const t = text.trim();
  if (t === '' && spec.optional) return undefined;
  if (spec.control === 'int' || spec.control === 'number') return t === '' ? NaN : Number(t);
  if (spec.control === 'pair') {
    const parts = t
      .split(/[\s,x×]+/)
      .filter(Boolean)
      .map(Number);
    return parts.length === 1 ? parts[0] : parts;
  }
  if (spec.control === 'list')
    return t === ''
      ? []
      : t
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number);
  return text;
}

export function ParamField({
  nodeId,
  kind,
  spec,
  value,
  onCommit,
}: {
  nodeId: string;
  kind: NodeKind;
  spec: ParamSpec;
  value: unknown;
  params: Record<string, unknown>;
  onCommit(value: unknown): void;
}) {
  const [text, setText] = useState(toText(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(toText(value));
    setError(null);
  }, [value, nodeId]);
  const id = `param-${nodeId}-${spec.name}`;

  const tryCommit = (raw: unknown, currentText: string) => {
    const field = (
      kind.params as unknown as {
        shape?: Record<
          string,
          { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }
        >;
      }
    ).shape?.[spec.name];
    const result = field?.safeParse(raw);
    if (result && !result.success) {
      setError(result.error!.issues[0]!.message);
      setText(currentText);
      return;
    }
    setError(null);
    if (JSON.stringify(raw) !== JSON.stringify(value)) onCommit(raw);
  };

  let control;
  if (spec.control === 'boolean')
    control = (
      <input
        id={id}
        type="checkbox"
        checked={value === true || (value === undefined && spec.default === true)}
        onChange={(e) => tryCommit(e.target.checked, '')}
      />
    );
  else if (spec.control === 'choice')
    control = (
      <select
        id={id}
        value={toText(value ?? spec.default)}
        onChange={(e) => tryCommit(e.target.value, e.target.value)}
      >
        {spec.choices!.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    );
  else
    control = (
      <input
        id={id}
        type="text"
        inputMode={spec.control === 'int' || spec.control === 'number' ? 'decimal' : 'text'}
        value={text}
        placeholder={
          spec.default !== undefined ? `default ${toText(spec.default)}` : spec.optional ? 'optional' : ''
        }
        aria-invalid={!!error}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => tryCommit(parseText(spec, text), text)}
        onKeyDown={(e) => e.key === 'Enter' && tryCommit(parseText(spec, text), text)}
      />
    );
  const range =
    spec.min !== undefined || spec.max !== undefined ? ` (${spec.min ?? '−∞'}…${spec.max ?? '∞'})` : '';
  return (
    <div className={`param-field${error ? ' param-field--error' : ''}`}>
      <label htmlFor={id}>{spec.name}</label>
      {control}
      <small className="param-field__doc">
        {spec.doc}
        {range}
      </small>
      {error && (
        <small className="param-field__error" role="alert" data-testid={`param-error-${spec.name}`}>
          {error}
        </small>
      )}
    </div>
  );
}
