import type { z } from 'zod';

/** Codes for failures a caller can act on. Bugs throw instead. */
export type ErrorCode =
  'invalid_input' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'aws_error';

/**
 * Messages per input, keyed by the input's dotted path as a form names it (`roleName`,
 * `tags.2.key`, `statements.0.actions`); errors of the input as a whole under {@link formErrorKey}.
 */
export type FieldErrors = Record<string, string[]>;

export type Result<T> =
  { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fail(code: ErrorCode, message: string, fieldErrors?: FieldErrors): Result<never> {
  return fieldErrors ? { ok: false, code, message, fieldErrors } : { ok: false, code, message };
}

/** The key of errors that belong to no one input (a zod issue at the root of the input). */
export const formErrorKey = '_form';

export interface FieldErrorOptions {
  /** Prepended to every key (`spec` gives `spec.tags.2.key`; a root issue is keyed `spec`). */
  prefix?: string;
  /**
   * Lists edited as one text box (one item per line): an issue of one item is keyed to the list,
   * not the item, and its message names the item's value read from `input`. Patterns are dotted
   * paths where `*` stands for any one segment, e.g. `forbiddenActions` or
   * `requiredTags.*.allowedValues`.
   */
  textLists?: readonly string[];
  /** The value that was parsed, for {@link textLists}' item values. */
  input?: unknown;
}

/** The value at `path` inside `root`, or `undefined`. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function matchesPattern(pattern: readonly string[], path: readonly string[]): boolean {
  return (
    pattern.length === path.length && pattern.every((part, index) => part === '*' || part === path[index])
  );
}

/**
 * The one way a zod error becomes field errors: each issue's message under its dotted path
 * (`tags.2.key`), in the order zod reported them; an issue at the root goes under
 * {@link formErrorKey} (or under `prefix` when one is given). Every `lib` function that parses
 * its `unknown` input returns these, so that a form can show each message under its input.
 */
export function zodFieldErrors(error: z.ZodError, options: FieldErrorOptions = {}): FieldErrors {
  const lists = (options.textLists ?? []).map((pattern) => pattern.split('.'));
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    let path = issue.path.map(String);
    let message = issue.message;
    const list = lists.find((pattern) => matchesPattern(pattern, path.slice(0, -1)));
    if (list) {
      const item = valueAt(options.input, issue.path);
      if (typeof item === 'string') message = `${item}: ${message}`;
      path = path.slice(0, -1);
    }
    const key = [...(options.prefix ? [options.prefix] : []), ...path].join('.') || formErrorKey;
    (errors[key] ??= []).push(message);
  }
  return errors;
}

/** `invalid_input` with the field errors of a zod error ({@link zodFieldErrors}). */
export function invalidInput(
  error: z.ZodError,
  message = 'Check the highlighted fields.',
  options?: FieldErrorOptions,
): Result<never> {
  return fail('invalid_input', message, zodFieldErrors(error, options));
}

/** The HTTP status a route handler answers for each error code. */
export const httpStatusForCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  aws_error: 502,
};

/**
 * A route handler's JSON answer for a `Result`: the value with 200, or `{ error, message,
 * fieldErrors? }` with the status of its code ({@link httpStatusForCode}). Nothing else of a
 * failure (such as an AWS error's details) is sent.
 */
export function resultResponse<T>(result: Result<T>): Response {
  if (result.ok) return Response.json(result.value, { headers: { 'Cache-Control': 'no-store' } });
  return Response.json(
    {
      error: result.code,
      message: result.message,
      ...(result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}),
    },
    { status: httpStatusForCode[result.code], headers: { 'Cache-Control': 'no-store' } },
  );
}
