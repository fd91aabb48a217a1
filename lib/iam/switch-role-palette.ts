/**
 * The switch-role colours, in a module of their own that imports nothing, so that the browser
 * (the colour picker) can use them without the link builder's trust analysis.
 */

/**
 * The console's own switch-role colours (hex, no `#`): red, orange, yellow, green, blue, as its
 * Switch Role page offers them since its 2024 redesign (the sign-in page's `color` parameter
 * accepts only these; see `switch-role.test.ts` for the source).
 */
export const CONSOLE_SWITCH_ROLE_COLORS = ['F2B0A9', 'FBC8AA', 'EFDA95', 'B7CA9D', '83D4E8'] as const;

export type SwitchRoleColor = (typeof CONSOLE_SWITCH_ROLE_COLORS)[number];

/** The names the console shows for its colours. */
export const SWITCH_ROLE_COLOR_NAMES: Readonly<Record<SwitchRoleColor, string>> = {
  F2B0A9: 'Red',
  FBC8AA: 'Orange',
  EFDA95: 'Yellow',
  B7CA9D: 'Green',
  '83D4E8': 'Blue',
};

/**
 * The console's colours before 2024 that differ from today's (red and green did not change),
 * mapped to today's. Rolesmith offered these until the palette changed; links and settings
 * that still carry one get today's colour of the same name instead of none.
 */
export const PREVIOUS_SWITCH_ROLE_COLORS: Readonly<Record<string, SwitchRoleColor>> = {
  FBBF93: 'FBC8AA',
  FAD791: 'EFDA95',
  '99BCE3': '83D4E8',
};

/**
 * A colour as six upper-case hex digits (`#` and case ignored), an earlier console colour
 * replaced by today's; the input unchanged (upper-cased) otherwise.
 */
export function normalizeSwitchRoleColor(color: string): string {
  const hex = color.trim().replace(/^#/, '').toUpperCase();
  return PREVIOUS_SWITCH_ROLE_COLORS[hex] ?? hex;
}
