// Time travel: a scrubber under the loss chart over the weight snapshots the engine keeps. Moving
// it shows the whole studio (inspector, node gradient bars, decision boundary, evaluation, Try
// it) as the model was at that step; the far right, or "Back to live", returns to the live run.
import { useEffect, useState } from 'react';
import { useRun } from '../state/run-store.ts';
import { engineCommands } from '../state/engine-controller.ts';

export function TimeTravel() {
  const { snapshots, viewing } = useRun((s) => s.history);
  const step = useRun((s) => s.step);
  const viewedIndex = viewing === null ? snapshots.length : snapshots.findIndex((s) => s.step === viewing);
  // The position the person dragged to, until the engine confirms it.
  const [asked, setAsked] = useState<number | null>(null);
  useEffect(() => setAsked(null), [viewing, snapshots]);
  if (snapshots.length === 0 || step === 0) return null;
  const index = asked ?? viewedIndex;
  const shown = snapshots[index];
  const go = (i: number) => {
    setAsked(i);
    void engineCommands.travel(i >= snapshots.length ? null : snapshots[i]!.step);
  };
  return (
    <div className={`time-travel${viewing !== null ? ' time-travel--past' : ''}`} data-testid="time-travel">
      <label>
        <span>Time travel</span>
        <input
          type="range"
          min={0}
          max={snapshots.length}
          step={1}
          value={index}
          data-testid="time-scrubber"
          aria-valuetext={shown ? `step ${shown.step}` : 'live'}
          title="Drag back to see the model at an earlier step (weights are kept at intervals that widen as the run grows); the far right is the live run"
          onChange={(e) => go(Number(e.target.value))}
        />
      </label>
      <span className="time-travel__label" data-testid="time-travel-label">
        {shown ? `step ${shown.step} · epoch ${shown.epoch} (snapshot)` : `live · step ${step}`}
      </span>
      {viewing !== null && (
        <button type="button" data-testid="btn-live" onClick={() => go(snapshots.length)}>
          Back to live
        </button>
      )}
    </div>
  );
}
