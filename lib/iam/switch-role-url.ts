import { CONSOLE_SWITCH_ROLE_COLORS, normalizeSwitchRoleColor } from '@/lib/iam/switch-role-palette';

/**
 * The switch-role URL from its parameters, in a module that imports only the palette, so that the
 * browser (the access kit's display-name field and colour chooser) rebuilds the link as the person
 * types with the same encoding the server uses (`switch-role.ts` builds the first link through it).
 */

/** The sign-in page's `displayName` limit: the console refuses a longer display name. */
export const MAX_SWITCH_ROLE_DISPLAY_NAME = 64;

export interface SwitchRoleUrlParams {
  account: string;
  /** The path without its leading slash, then the name. */
  roleName: string;
  displayName: string;
  /** One of `palette` (case-insensitive, `#` optional); any other value is left out. */
  color?: string;
  /** Allowed colours; the console's five by default. */
  palette?: readonly string[];
}

/** `page?account=…&roleName=…&displayName=…&color=…`, URL-encoded with spaces as `%20`. */
export function switchRoleUrl(page: string, params: SwitchRoleUrlParams): string {
  const query = new URLSearchParams();
  query.set('account', params.account);
  query.set('roleName', params.roleName);
  query.set('displayName', params.displayName.slice(0, MAX_SWITCH_ROLE_DISPLAY_NAME));
  const color = paletteColor(params.color, params.palette ?? CONSOLE_SWITCH_ROLE_COLORS);
  if (color) query.set('color', color);
  // URLSearchParams writes spaces as '+'; the sign-in page reads them as %20 only.
  return `${page}?${query.toString().replace(/\+/g, '%20')}`;
}

/** The palette's spelling of `color` (six upper-case hex digits), or undefined when it is not in the palette. */
export function paletteColor(color: string | undefined, palette: readonly string[]): string | undefined {
  if (color === undefined) return undefined;
  const wanted = normalizeSwitchRoleColor(color);
  return palette.map((entry) => entry.replace(/^#/, '').toUpperCase()).find((entry) => entry === wanted);
}

/**
 * The message for a display name the console would refuse, or null when it is fine (an empty one
 * falls back to the role name).
 */
export function displayNameError(displayName: string): string | null {
  return displayName.length > MAX_SWITCH_ROLE_DISPLAY_NAME
    ? `Display name must be at most ${MAX_SWITCH_ROLE_DISPLAY_NAME} characters (it has ${displayName.length}).`
    : null;
}
