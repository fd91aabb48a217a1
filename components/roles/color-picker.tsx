import type { ReactNode } from 'react';
import { ColorSwatch } from '@/components/roles/color-swatch';
import { RadioGroup } from '@/components/ui/choice';
import { CONSOLE_SWITCH_ROLE_COLORS, SWITCH_ROLE_COLOR_NAMES } from '@/lib/iam/switch-role-palette';

/**
 * The console's switch-role colours as radio buttons (swatch and name), for a target account's
 * settings and the sandbox's Switch Role page. `extra` adds one more colour, e.g. one a link
 * carries that is not in today's palette, so that choosing nothing never drops it silently.
 */
export function ColorPicker({
  id,
  legend,
  value,
  onValueChange,
  hint,
  errors,
  extra,
}: {
  id: string;
  legend: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  hint?: ReactNode;
  errors?: readonly string[];
  extra?: { hex: string; name: string };
}) {
  const options = [
    ...CONSOLE_SWITCH_ROLE_COLORS.map((hex) => ({ hex, name: SWITCH_ROLE_COLOR_NAMES[hex] })),
    ...(extra && !(CONSOLE_SWITCH_ROLE_COLORS as readonly string[]).includes(extra.hex) ? [extra] : []),
  ];
  return (
    <RadioGroup
      id={id}
      name="color"
      legend={legend}
      hint={hint}
      errors={errors}
      value={value.toUpperCase()}
      onValueChange={onValueChange}
      options={options.map((option) => ({
        value: option.hex,
        label: (
          <>
            <ColorSwatch color={option.hex} showValue={false} />
            {option.name}
          </>
        ),
      }))}
    />
  );
}
