'use client';

import { useEffect, useState } from 'react';
import { Button, type ButtonSize, type ButtonVariant } from '@/components/ui/button';

/**
 * Copies `text` to the clipboard. The button's words change to "Copied" for two seconds, and a
 * polite live region says "Copied" (or why it could not copy) to screen readers.
 */
export function CopyButton({
  text,
  label = 'Copy',
  accessibleLabel,
  variant = 'secondary',
  size = 'sm',
  className = '',
}: {
  text: string;
  /** The visible word(s). */
  label?: string;
  /** The accessible name when the visible word is not enough, e.g. "Copy the role ARN". */
  accessibleLabel?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
}) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (status === 'idle') return;
    const timer = setTimeout(() => setStatus('idle'), 2000);
    return () => clearTimeout(timer);
  }, [status]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      // No clipboard permission (or an insecure origin): say so rather than pretending.
      setStatus('failed');
    }
  }

  return (
    <span className={`inline-flex items-center ${className}`}>
      <Button variant={variant} size={size} aria-label={accessibleLabel} onClick={() => void copy()}>
        {status === 'copied' ? 'Copied' : label}
      </Button>
      <span role="status" aria-live="polite" className="sr-only">
        {status === 'copied'
          ? 'Copied'
          : status === 'failed'
            ? 'Could not copy: select the text and copy it'
            : ''}
      </span>
    </span>
  );
}
