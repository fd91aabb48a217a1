import type { ReactNode } from 'react';

const tones = {
  info: 'border-sky-200 bg-sky-50 text-sky-950',
  success: 'border-emerald-200 bg-emerald-50 text-emerald-950',
  warning: 'border-amber-300 bg-amber-50 text-amber-950',
  error: 'border-red-300 bg-red-50 text-red-900',
} as const;

export type CalloutTone = keyof typeof tones;

/**
 * A boxed message: info, success, warning or error. `role` makes it a live region when it
 * appears in answer to something (`status` for news, `alert` for a problem); a heading names it.
 */
export function Callout({
  tone = 'info',
  title,
  role,
  children,
  className = '',
  headingLevel = 2,
  titleId,
}: {
  tone?: CalloutTone;
  title?: ReactNode;
  role?: 'status' | 'alert';
  children?: ReactNode;
  className?: string;
  headingLevel?: 2 | 3;
  /** Set to label the callout by its title (as a region). */
  titleId?: string;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const Box = titleId ? 'section' : 'div';
  return (
    <Box
      role={role}
      aria-labelledby={titleId}
      className={`rounded-lg border px-4 py-3 text-sm ${tones[tone]} ${className}`}
    >
      {title ? (
        <Heading id={titleId} className="font-semibold">
          {title}
        </Heading>
      ) : null}
      {children ? (
        <div className={title ? 'mt-1 flex flex-col gap-1' : 'flex flex-col gap-1'}>{children}</div>
      ) : null}
    </Box>
  );
}
