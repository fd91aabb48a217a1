import type { BadgeTone } from '@/components/ui/badge';

/** How the request page writes the severity of a finding or risk flag. */

export const severityTone: Record<string, BadgeTone> = {
  critical: 'danger',
  high: 'danger',
  security_warning: 'danger',
  medium: 'warning',
  warning: 'warning',
  low: 'neutral',
  suggestion: 'neutral',
};

export const severityLabel: Record<string, string> = {
  critical: 'Critical',
  high: 'High',
  security_warning: 'Security warning',
  medium: 'Medium',
  warning: 'Warning',
  low: 'Low',
  suggestion: 'Suggestion',
};
