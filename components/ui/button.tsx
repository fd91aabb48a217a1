import Link from 'next/link';
import type { ComponentProps } from 'react';

const variants = {
  primary: 'bg-indigo-700 text-white shadow-sm hover:bg-indigo-800 disabled:bg-indigo-300',
  secondary:
    'bg-white text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-red-700 text-white shadow-sm hover:bg-red-800 disabled:bg-red-300',
  /** A secondary button for a destructive action: white, with red text. */
  'danger-secondary':
    'bg-white text-red-800 shadow-sm ring-1 ring-inset ring-red-300 hover:bg-red-50 disabled:text-red-300',
  /** White on a dark surface (the header); pair with `on-dark` for a white focus ring. */
  inverse: 'bg-white text-indigo-950 hover:bg-indigo-50',
  /** No box until hovered: for actions inside dense rows. */
  ghost: 'text-indigo-800 hover:bg-indigo-50 disabled:text-slate-400',
} as const;

const sizes = {
  sm: 'inline-flex items-center justify-center gap-2 rounded-md px-2.5 py-1 text-sm',
  md: 'inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm',
  /** A full-width choice with a title and a line under it, e.g. each demo person to sign in as. */
  card: 'flex w-full flex-col items-start gap-0.5 rounded-lg px-4 py-3 text-left',
} as const;

export type ButtonVariant = keyof typeof variants;
export type ButtonSize = keyof typeof sizes;

function buttonClass(variant: ButtonVariant, size: ButtonSize, className: string): string {
  return `focus-ring font-semibold disabled:cursor-not-allowed ${sizes[size]} ${variants[variant]} ${className}`;
}

/** A native button's props, `ref` included (React 19 passes it as a prop). */
export type ButtonProps = ComponentProps<'button'> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
};

/** A button with the kit's focus ring; `type` defaults to `button` so it never submits by accident. */
export function Button({
  variant = 'primary',
  size = 'md',
  className = '',
  type = 'button',
  ...props
}: ButtonProps) {
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}

/** A link that looks like a {@link Button}: for navigation that reads as an action ("Create role"). */
export function ButtonLink({
  variant = 'primary',
  size = 'md',
  className = '',
  ...props
}: ComponentProps<typeof Link> & { variant?: Exclude<ButtonVariant, 'danger'>; size?: ButtonSize }) {
  return <Link className={buttonClass(variant, size, className)} {...props} />;
}

const textLinkClass =
  'focus-ring rounded-sm font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950';

/**
 * An inline text link: underlined, indigo, with the kit's focus ring. `fullLoad` makes it a plain
 * `<a>` that loads the page afresh, e.g. to drop a form's state and start from what is stored.
 */
export function TextLink({
  className = '',
  fullLoad = false,
  href,
  ...props
}: ComponentProps<typeof Link> & { fullLoad?: boolean }) {
  if (fullLoad && typeof href === 'string') {
    const { children, ...rest } = props;
    return (
      <a href={href} className={`${textLinkClass} ${className}`} {...rest}>
        {children}
      </a>
    );
  }
  return <Link href={href} className={`${textLinkClass} ${className}`} {...props} />;
}
