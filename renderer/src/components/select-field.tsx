import type { ReactNode, SelectHTMLAttributes } from 'react';

/** One choice of a {@link SelectField}. */
export interface SelectOption<V extends string> {
  value: V;
  label: ReactNode;
}

/** Props of {@link SelectField}: the select's own attributes, a label, the choices, a typed handler. */
export type SelectFieldProps<V extends string> = Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'onChange' | 'value'
> & {
  label: ReactNode;
  value: V;
  options: readonly SelectOption<V>[];
  onChange(value: V): void;
  /** A first choice with the empty value ("pick one"), when nothing is chosen yet. */
  placeholder?: ReactNode;
  'data-testid'?: string;
};

/** A drop-down list with its label above it. */
export function SelectField<V extends string>({
  label,
  options,
  onChange,
  placeholder,
  ...select
}: SelectFieldProps<V>) {
  return (
    <label>
      {label}
      <select {...select} onChange={(e) => onChange(e.target.value as V)}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
