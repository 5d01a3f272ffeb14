import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A "more" button that opens a short menu of actions (the phone's answer to a row of buttons
 * that does not fit). Choosing an action, tapping elsewhere or Escape closes it.
 */
export function OverflowMenu(props: { label: string; testId: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const outside = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div className="overflow-menu" ref={box}>
      <button
        type="button"
        className="secondary small overflow-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={props.label}
        title={props.label}
        data-testid={props.testId}
        onClick={() => setOpen((v) => !v)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        // A click on any action inside closes the menu once the action has run.
        <div role="menu" className="overflow-menu-list" onClick={() => setOpen(false)}>
          {props.children}
        </div>
      )}
    </div>
  );
}
