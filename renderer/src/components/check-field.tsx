import type { ReactNode } from 'react';

/** A checkbox with its label after it, the one way forms in the app show an on/off choice. */
export function CheckField(props: {
  checked: boolean;
  onChange(checked: boolean): void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.children}
    </label>
  );
}
