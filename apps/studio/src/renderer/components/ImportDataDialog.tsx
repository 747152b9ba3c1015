// The import dialog for a user's table: a preview of the first rows, then the choices — which
// columns are features, which is the target (classification: its values become classes, listed;
// regression: numbers), standardisation, and the split (at random by the training settings'
// validation fraction, or by a column naming each row's split). Lines that cannot be used are
// listed by number and column, with the choice to drop them; nothing is dropped unasked.
import { useMemo, useState } from 'react';
import type { TableProblem } from '@hgrad/train';
import { cancelImport, finishImport, useImport, type PendingImport } from '../state/table-import.ts';
import { useRun } from '../state/run-store.ts';

const problemLine = (p: TableProblem) =>
  `line ${p.line}${p.column !== undefined ? `, column '${p.column}'` : ''}: ${p.message}`;

function Progress() {
  const progress = useRun((s) => s.progress);
  const busy = useImport((s) => s.busy);
  if (!busy) return null;
  return (
    <div className="import__progress" data-testid="import-progress">
      <progress max={1} value={progress?.fraction ?? undefined} />
      <span>
        {progress
          ? `${progress.task === 'scan' ? 'Reading' : 'Measuring'} ${Math.round(progress.fraction * 100)}%`
          : 'Working…'}
      </span>
    </div>
  );
}

function Dialog({ pending }: { pending: PendingImport }) {
  const { scan } = pending;
  const names = scan.columns.map((c) => c.name);
  // Mostly numbers: a few bad cells are reported by line when the data is measured (or dropped).
  const numeric = (name: string) => {
    const c = scan.columns.find((x) => x.name === name)!;
    return c.numbers > 0 && c.numbers >= c.others * 10;
  };
  const [target, setTarget] = useState(names.at(-1)!);
  const targetColumn = scan.columns.find((c) => c.name === target)!;
  const [task, setTask] = useState<'classification' | 'regression'>(
    numeric(target) && targetColumn.manyValues ? 'regression' : 'classification',
  );
  const [splitKind, setSplitKind] = useState<'fraction' | 'column'>('fraction');
  const splitCandidates = scan.columns.filter(
    (c) => c.name !== target && !c.manyValues && c.values.length >= 2,
  );
  const [splitColumn, setSplitColumn] = useState(splitCandidates[0]?.name ?? '');
  const splitValues = scan.columns.find((c) => c.name === splitColumn)?.values ?? [];
  const [validationValue, setValidationValue] = useState(
    splitValues.find((v) => /^val/i.test(v)) ?? splitValues[0] ?? '',
  );
  const [testValue, setTestValue] = useState(splitValues.find((v) => /^test/i.test(v)) ?? '');
  const [features, setFeatures] = useState<string[]>(() =>
    names.filter((n) => n !== target && numeric(n) && !(splitKind === 'column' && n === splitColumn)),
  );
  const [standardize, setStandardize] = useState(true);
  const [dropInvalidRows, setDrop] = useState(scan.problemCount > 0);
  const [problems, setProblems] = useState<{ list: TableProblem[]; count: number } | null>(null);
  const busy = useImport((s) => s.busy);

  const chosenFeatures = features.filter(
    (f) => f !== target && !(splitKind === 'column' && f === splitColumn),
  );
  const why = useMemo(() => {
    if (chosenFeatures.length === 0) return 'choose at least one feature column';
    if (splitKind === 'column' && !splitColumn) return 'choose the column that names each row’s split';
    if (splitKind === 'column' && testValue && testValue === validationValue)
      return 'validation and test need different values';
    return null;
  }, [chosenFeatures.length, splitKind, splitColumn, testValue, validationValue]);

  const use = async () => {
    const r = await finishImport(pending, {
      delimiter: scan.delimiter,
      features: chosenFeatures,
      target,
      task,
      standardize,
      dropInvalidRows,
      split:
        splitKind === 'fraction'
          ? { kind: 'fraction' }
          : {
              kind: 'column',
              column: splitColumn,
              validation: validationValue,
              ...(testValue ? { test: testValue } : {}),
            },
    });
    setProblems(r ? { list: r.problems, count: r.problemCount } : null);
  };

  const preview = scan.preview.slice(0, 6);
  const classes = task === 'classification' ? targetColumn.values : [];
  return (
    <div
      className="overlay import__overlay"
      role="dialog"
      aria-label="Import data"
      data-testid="import-dialog"
    >
      <div className="import">
        <h3>
          Import data: {pending.fileName}{' '}
          <span className="muted">
            {scan.rows.toLocaleString('en')} rows · {names.length} columns ·{' '}
            {(pending.size / 1024).toFixed(1)} kB · {scan.delimiter === '\t' ? 'tab' : `'${scan.delimiter}'`}
            -separated
          </span>
        </h3>
        <div className="import__preview">
          <table data-testid="import-preview">
            <thead>
              <tr>
                {names.map((n) => (
                  <th
                    key={n}
                    className={
                      n === target ? 'import__target' : chosenFeatures.includes(n) ? 'import__feature' : ''
                    }
                  >
                    {n}
                    <div className="muted">{numeric(n) ? 'number' : 'text'}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="import__choices">
          <label>
            Target column{' '}
            <select
              value={target}
              data-testid="import-target"
              onChange={(e) => {
                const t = e.target.value;
                setTarget(t);
                const c = scan.columns.find((x) => x.name === t)!;
                setTask(numeric(t) && c.manyValues ? 'regression' : 'classification');
              }}
            >
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            Task{' '}
            <select
              value={task}
              data-testid="import-task"
              onChange={(e) => setTask(e.target.value as typeof task)}
            >
              <option value="classification">classification (values → classes)</option>
              <option value="regression" disabled={!numeric(target)}>
                regression (numbers)
              </option>
            </select>
          </label>
          <fieldset>
            <legend>Features</legend>
            {names
              .filter((n) => n !== target)
              .map((n) => (
                <label key={n} title={numeric(n) ? '' : 'this column holds text, not numbers'}>
                  <input
                    type="checkbox"
                    data-testid={`import-feature-${n}`}
                    checked={chosenFeatures.includes(n)}
                    disabled={!numeric(n) && !features.includes(n)}
                    onChange={(e) =>
                      setFeatures((f) => (e.target.checked ? [...f, n] : f.filter((x) => x !== n)))
                    }
                  />
                  {n}
                </label>
              ))}
          </fieldset>
          <label>
            <input type="checkbox" checked={standardize} onChange={(e) => setStandardize(e.target.checked)} />{' '}
            standardise features (mean 0, deviation 1, measured now)
          </label>
          <fieldset>
            <legend>Validation</legend>
            <label>
              <input
                type="radio"
                checked={splitKind === 'fraction'}
                onChange={() => setSplitKind('fraction')}
              />{' '}
              a random fraction (the training settings’ validation split)
            </label>
            <label>
              <input
                type="radio"
                data-testid="import-split-column"
                checked={splitKind === 'column'}
                disabled={splitCandidates.length === 0}
                onChange={() => setSplitKind('column')}
              />{' '}
              a column says each row’s split
            </label>
            {splitKind === 'column' && (
              <div className="import__split">
                <select
                  value={splitColumn}
                  onChange={(e) => setSplitColumn(e.target.value)}
                  data-testid="import-split-name"
                >
                  {splitCandidates.map((c) => (
                    <option key={c.name}>{c.name}</option>
                  ))}
                </select>
                validation rows are{' '}
                <select
                  value={validationValue}
                  onChange={(e) => setValidationValue(e.target.value)}
                  data-testid="import-split-val"
                >
                  {splitValues.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
                , test rows are{' '}
                <select
                  value={testValue}
                  onChange={(e) => setTestValue(e.target.value)}
                  data-testid="import-split-test"
                >
                  <option value="">— (no test split)</option>
                  {splitValues.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              </div>
            )}
          </fieldset>
          {classes.length > 0 && (
            <p className="import__classes" data-testid="import-classes">
              Classes (sorted when used):{' '}
              {targetColumn.manyValues ? `more than 50 values in '${target}'` : classes.join(', ')}
            </p>
          )}
        </div>
        {(scan.problemCount > 0 || problems) && (
          <div className="import__problems" data-testid="import-problems">
            <b>
              {problems
                ? `${problems.count} row${problems.count === 1 ? '' : 's'} cannot be used as chosen:`
                : `${scan.problemCount} line${scan.problemCount === 1 ? '' : 's'} have the wrong number of fields:`}
            </b>
            <ul>
              {(problems?.list ?? scan.problems).slice(0, 12).map((p, i) => (
                <li key={i}>{problemLine(p)}</li>
              ))}
            </ul>
            <label>
              <input
                type="checkbox"
                data-testid="import-drop"
                checked={dropInvalidRows}
                onChange={(e) => setDrop(e.target.checked)}
              />{' '}
              drop these rows (they are counted, not used)
            </label>
          </div>
        )}
        <Progress />
        <div className="import__buttons">
          {why && <span className="muted">{why}</span>}
          <button onClick={cancelImport}>Cancel</button>
          <button
            className="primary"
            disabled={busy || why !== null}
            onClick={() => void use()}
            data-testid="import-use"
          >
            Use this data
          </button>
        </div>
      </div>
    </div>
  );
}

export function ImportDataDialog() {
  const pending = useImport((s) => s.pending);
  const busy = useImport((s) => s.busy);
  if (!pending)
    return busy ? (
      <div className="import__reading">
        <Progress />
      </div>
    ) : null;
  // A new file starts the dialog afresh.
  return <Dialog key={pending.sha256} pending={pending} />;
}
