/**
 * The one way a server action turns its `FormData` into the `unknown` input a `lib` function
 * parses. A name is a dotted path: `roleName` is a property, `tags.2.key` the `key` of the third
 * item of `tags` (a segment that is a whole number from 0 to {@link maxFormIndex} indexes an
 * array; a missing row is `undefined`, so an error keyed `tags.2.key` lands on the input that
 * named it). A name given more than once (checkboxes sharing one name) becomes an array of its
 * values. Values stay as the browser sent them: strings (the schema coerces numbers and booleans)
 * and `File`s. Next's own `$ACTION…` fields, names with an empty segment, and segments that would
 * reach an object's prototype (`__proto__`, `constructor`, `prototype`) are dropped, as is a name
 * that conflicts with an earlier one (`a` and `a.b`).
 */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const [name, value] of formData.entries()) {
    if (name.startsWith('$ACTION')) continue;
    const path = name.split('.');
    if (path.some((segment) => segment === '' || unsafeSegments.has(segment))) continue;
    if (path.some((segment, index) => index > 0 && isIndex(segment) && Number(segment) > maxFormIndex))
      continue;
    assign(root, path, value, repeated.has(name));
    repeated.add(name);
  }
  return root;
}

/** The largest array index a form name may use (`tags.999.key`), so a name cannot allocate a huge array. */
export const maxFormIndex = 999;

const unsafeSegments = new Set(['__proto__', 'constructor', 'prototype']);

function isIndex(segment: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(segment);
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null && !(value instanceof Blob);
}

function read(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return container[Number(segment)];
  // Own properties only: a field named `toString` is a field, not Object.prototype's method.
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function write(container: Container, segment: string, value: unknown): void {
  if (Array.isArray(container)) {
    const index = Number(segment);
    // No holes: rows before the one named are present as `undefined`.
    while (container.length < index) container.push(undefined);
    container[index] = value;
  } else {
    container[segment] = value;
  }
}

function assign(root: Container, path: readonly string[], value: FormDataEntryValue, again: boolean): void {
  let node: Container = root;
  for (const [index, segment] of path.entries()) {
    if (Array.isArray(node) && !isIndex(segment)) return;
    const next = path[index + 1];
    const existing = read(node, segment);
    if (next === undefined) {
      if (existing === undefined) write(node, segment, value);
      else if (again && Array.isArray(existing) && !existing.some(isContainer)) existing.push(value);
      else if (again && !isContainer(existing)) write(node, segment, [existing, value]);
      return;
    }
    if (existing === undefined) {
      const child: Container = isIndex(next) ? [] : {};
      write(node, segment, child);
      node = child;
    } else if (isContainer(existing) && Array.isArray(existing) === isIndex(next)) {
      node = existing;
    } else {
      return;
    }
  }
}
