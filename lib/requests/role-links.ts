/**
 * The portal's addresses of a provisioned role: its summary page and its downloads. A role's path
 * is part of the address (`/roles/<account>/<path segments>/<name>`, like the ARN's resource part);
 * the name alone (`/roles/<account>/<name>`) reaches it too, as role names are unique in an
 * account whatever their path. Pure: used by pages, route handlers and the roles list.
 */

export type RoleDownloadFormat = 'cloudformation' | 'terraform';

export interface RoleRef {
  accountId: string;
  path: string;
  roleName: string;
}

/** The role's path segments, then its name, each URL-encoded. */
function roleSegments(role: RoleRef): string {
  return [...role.path.split('/').filter(Boolean), role.roleName].map(encodeURIComponent).join('/');
}

/** `/roles/<account>/<path segments>/<name>`: the role's summary page. */
export function roleSummaryHref(role: RoleRef): string {
  return `/roles/${encodeURIComponent(role.accountId)}/${roleSegments(role)}`;
}

/** `/api/roles/<account>/<format>/<path segments>/<name>`: the role as CloudFormation or Terraform. */
export function roleDownloadHref(role: RoleRef, format: RoleDownloadFormat): string {
  return `/api/roles/${encodeURIComponent(role.accountId)}/${format}/${roleSegments(role)}`;
}

/**
 * The role name and, when the address has more than one segment, the path the segments before it
 * spell (`['team', 'data', 'Reader']` → `/team/data/` and `Reader`). Null for no segments or an
 * empty one.
 */
export function parseRoleSegments(segments: readonly string[]): { roleName: string; path?: string } | null {
  const roleName = segments.at(-1);
  if (roleName === undefined || segments.some((segment) => segment === '')) return null;
  const pathSegments = segments.slice(0, -1);
  return pathSegments.length === 0 ? { roleName } : { roleName, path: `/${pathSegments.join('/')}/` };
}
