// A drag handle that resizes a panel; the size is remembered across sessions.
import type { PointerEvent } from 'react';
import { useUi } from '../state/ui-store.ts';

export function Splitter({ panel, direction }: { panel: 'left' | 'right' | 'bottom'; direction: 1 | -1 }) {
  const size = useUi((s) => s.panels[panel]);
  const resize = useUi((s) => s.commands.resizePanel);
  const vertical = panel === 'bottom';
  const onPointerDown = (e: PointerEvent) => {
    const start = vertical ? e.clientY : e.clientX;
    const move = (m: globalThis.PointerEvent) =>
      resize(panel, size + direction * ((vertical ? m.clientY : m.clientX) - start));
    const up = () => (removeEventListener('pointermove', move), removeEventListener('pointerup', up));
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  };
  return (
    <div
      className={`splitter splitter--${vertical ? 'horizontal' : 'vertical'}`}
      role="separator"
      aria-orientation={vertical ? 'horizontal' : 'vertical'}
      onPointerDown={onPointerDown}
    />
  );
}
