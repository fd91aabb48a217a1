/**
 * Which header navigation item is the current one. By default the path decides (an item's
 * `sections`, less its `except`); a page may give a hint for its own path when the path alone
 * says too little: `/requests/<id>` is under My requests for its requester, but under Approvals
 * for an approver reviewing someone else's request. A hint is kept for its path only, so it
 * never outlives its page. Client-safe: plain functions and a tiny store.
 */

/** A page's hint: on `pathname`, the item with `href` is the current one (none when null). */
export interface NavHint {
  pathname: string;
  href: string | null;
}

function isWithin(pathname: string, section: string): boolean {
  return pathname === section || pathname.startsWith(`${section}/`);
}

/** Whether the item `href` (current under `sections`, not under `except`) is current on `pathname`. */
export function isNavItemCurrent(
  item: { href: string; sections: readonly string[]; except: readonly string[] },
  pathname: string,
  hint: NavHint | null,
): boolean {
  if (hint && hint.pathname === pathname) return hint.href === item.href;
  return (
    item.sections.some((section) => isWithin(pathname, section)) &&
    !item.except.some((section) => isWithin(pathname, section))
  );
}

let current: NavHint | null = null;
const listeners = new Set<() => void>();

/** Sets (or clears, with null) the page's hint and tells the navigation links. */
export function setNavHint(hint: NavHint | null): void {
  current = hint;
  for (const listener of listeners) listener();
}

export function subscribeNavHint(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getNavHint(): NavHint | null {
  return current;
}
