import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

/** Props of {@link TextField}: the input's own attributes, a label, and a change handler on the text. */
export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: ReactNode;
  onChange(value: string): void;
  /** Passed to the input, so tests find the field. */
  'data-testid'?: string;
};

/** A text input with its label above it: the field every form of the app is made of. */
export function TextField({ label, onChange, ...input }: TextFieldProps) {
  return (
    <label>
      {label}
      <input {...input} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** Props of {@link TextAreaField}, as {@link TextFieldProps} for a multi-line text. */
export type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange'> & {
  label: ReactNode;
  onChange(value: string): void;
  'data-testid'?: string;
};

/** A multi-line text with its label above it. */
export function TextAreaField({ label, onChange, ...textarea }: TextAreaFieldProps) {
  return (
    <label>
      {label}
      <textarea {...textarea} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
