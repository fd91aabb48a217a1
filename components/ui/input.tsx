import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

/** The look every text control shares: border, padding, the focus ring, invalid and read-only states. */
const controlClass =
  'focus-ring w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs aria-[invalid=true]:border-red-600 disabled:cursor-not-allowed disabled:bg-slate-100';

/** Text controls that can be read-only look it (a select always matches `:read-only`, so not there). */
const textClass = `${controlClass} read-only:bg-slate-100 read-only:text-slate-700`;

/** A text input (or number, e-mail…); `mono` for identifiers and codes. */
export function Input({
  className = '',
  mono = false,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { mono?: boolean }) {
  return <input className={`${textClass} ${mono ? 'font-mono' : ''} ${className}`} {...props} />;
}

/** A multi-line text input; `mono` for lists of identifiers. */
export function Textarea({
  className = '',
  mono = false,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { mono?: boolean }) {
  return <textarea className={`${textClass} ${mono ? 'font-mono' : ''} ${className}`} {...props} />;
}

/** A native select, styled like {@link Input}. */
export function Select({ className = '', ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${controlClass} ${className}`} {...props} />;
}
