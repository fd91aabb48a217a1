/**
 * Normalised policy JSON for a side-by-side view, and a line diff of two texts. Normalising shows
 * two documents in one shape, so that the diff shows what changed in meaning rather than in
 * writing: keys sorted, `Statement` always a list (statements kept in their order), and every
 * element IAM accepts as "a string or a list" (Action, NotAction, Resource, NotResource, each
 * principal type, each condition value) always a list — so a single value and a one-element list
 * read alike, and adding a second value shows as one added line. An empty `Condition` is dropped
 * (IAM reads it as no condition). Values are never rewritten. Pure, no I/O.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const LIST_ELEMENTS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const sorted: Record<string, Json> = {};
  for (const key of Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    sorted[key] = sortKeys(value[key]!);
  return sorted;
}

const asList = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);

function normalizeStatement(statement: Json): Json {
  if (!isRecord(statement)) return statement;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(statement)) {
    if (LIST_ELEMENTS.has(key)) result[key] = asList(value);
    else if ((key === 'Principal' || key === 'NotPrincipal') && isRecord(value))
      result[key] = Object.fromEntries(Object.entries(value).map(([type, names]) => [type, asList(names)]));
    else if (key === 'Condition' && isRecord(value)) {
      const operators = Object.entries(value).map(([operator, entries]): [string, Json] => [
        operator,
        isRecord(entries)
          ? Object.fromEntries(
              Object.entries(entries).map(([conditionKey, values]) => [conditionKey, asList(values)]),
            )
          : entries,
      ]);
      if (operators.length > 0) result[key] = Object.fromEntries(operators);
    } else result[key] = value;
  }
  return result;
}

/**
 * The normalised text (two-space indented) of a policy document given as text. Text that is not
 * a JSON object is returned as it is.
 */
export function normalizePolicyText(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isRecord(json)) return text;
  const document: Record<string, Json> = { ...json };
  if (document.Statement !== undefined)
    document.Statement = asList(document.Statement).map(normalizeStatement);
  return JSON.stringify(sortKeys(document), null, 2);
}

// ---------------------------------------------------------------------------------------------
// Line diff

export interface DiffLine {
  /** 1-based line number in its text. */
  number: number;
  text: string;
}

/** One row of a side-by-side view: a line on either side, or on one side only. */
export interface DiffRow {
  kind: 'same' | 'removed' | 'added' | 'changed';
  before: DiffLine | null;
  after: DiffLine | null;
}

/** A run of lines, 1-based, `end` included. */
export interface LineRange {
  start: number;
  end: number;
}

export interface TextDiff {
  beforeText: string;
  afterText: string;
  rows: DiffRow[];
  /** Lines of `beforeText` that are not in `afterText`. */
  removed: LineRange[];
  /** Lines of `afterText` that are not in `beforeText`. */
  added: LineRange[];
  isChanged: boolean;
}

/** Beyond this many cells the middle is compared as one changed block (documents are far smaller). */
const MAX_CELLS = 4_000_000;

type Op = { kind: 'same' | 'removed' | 'added'; line: string };

function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const head: Op[] = a.slice(0, start).map((line) => ({ kind: 'same', line }));
  const tail: Op[] = a.slice(endA).map((line) => ({ kind: 'same', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  const middle: Op[] = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    middle.push(
      ...midA.map((line): Op => ({ kind: 'removed', line })),
      ...midB.map((line): Op => ({ kind: 'added', line })),
    );
  } else {
    // Longest common subsequence, suffix lengths.
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i -= 1)
      for (let j = m - 1; j >= 0; j -= 1)
        table[i * width + j] =
          midA[i] === midB[j]
            ? table[(i + 1) * width + j + 1]! + 1
            : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        middle.push({ kind: 'same', line: midA[i]! });
        i += 1;
        j += 1;
      } else if (j < m && (i === n || table[i * width + j + 1]! >= table[(i + 1) * width + j]!)) {
        middle.push({ kind: 'added', line: midB[j]! });
        j += 1;
      } else {
        middle.push({ kind: 'removed', line: midA[i]! });
        i += 1;
      }
    }
  }
  return [...head, ...middle, ...tail];
}

function ranges(numbers: readonly number[]): LineRange[] {
  const result: LineRange[] = [];
  for (const number of numbers) {
    const last = result[result.length - 1];
    if (last && last.end === number - 1) last.end = number;
    else result.push({ start: number, end: number });
  }
  return result;
}

/**
 * The line diff of two texts as side-by-side rows: unchanged lines side by side, a run of removed
 * lines beside the run of added lines that replaces it (`changed`), the rest on one side. Either
 * text may be empty (a document added or removed).
 */
export function diffLines(beforeText: string, afterText: string): TextDiff {
  const a = beforeText === '' ? [] : beforeText.split('\n');
  const b = afterText === '' ? [] : afterText.split('\n');
  const ops = diffOps(a, b);
  const rows: DiffRow[] = [];
  const removedLines: number[] = [];
  const addedLines: number[] = [];
  let lineA = 0;
  let lineB = 0;
  let index = 0;
  while (index < ops.length) {
    const op = ops[index]!;
    if (op.kind === 'same') {
      lineA += 1;
      lineB += 1;
      rows.push({
        kind: 'same',
        before: { number: lineA, text: op.line },
        after: { number: lineB, text: op.line },
      });
      index += 1;
      continue;
    }
    const removed: DiffLine[] = [];
    const added: DiffLine[] = [];
    while (index < ops.length && ops[index]!.kind !== 'same') {
      const change = ops[index]!;
      if (change.kind === 'removed') {
        lineA += 1;
        removed.push({ number: lineA, text: change.line });
        removedLines.push(lineA);
      } else {
        lineB += 1;
        added.push({ number: lineB, text: change.line });
        addedLines.push(lineB);
      }
      index += 1;
    }
    for (let k = 0; k < Math.max(removed.length, added.length); k += 1) {
      const before = removed[k] ?? null;
      const after = added[k] ?? null;
      rows.push({ kind: before && after ? 'changed' : before ? 'removed' : 'added', before, after });
    }
  }
  return {
    beforeText,
    afterText,
    rows,
    removed: ranges(removedLines),
    added: ranges(addedLines),
    isChanged: removedLines.length > 0 || addedLines.length > 0,
  };
}

/** {@link diffLines} of two policy documents, each normalised first (`undefined`: no document on that side). */
export function diffPolicyTexts(before: string | undefined, after: string | undefined): TextDiff {
  return diffLines(
    before === undefined ? '' : normalizePolicyText(before),
    after === undefined ? '' : normalizePolicyText(after),
  );
}

/** Unchanged lines folded away in a side-by-side view: how many, where. */
export interface FoldedRows {
  kind: 'folded';
  count: number;
  /** The first folded row's line numbers, for a stable key. */
  beforeLine: number;
  afterLine: number;
}

/** Runs of unchanged lines shorter than this stay shown: folding them would save nothing. */
const MIN_FOLD = 4;

/**
 * The rows with runs of unchanged lines more than `context` lines away from any change folded into
 * one {@link FoldedRows} when at least four long (a long document with a one-line change shows a
 * few lines).
 */
export function foldUnchanged(rows: readonly DiffRow[], context = 3): (DiffRow | FoldedRows)[] {
  const near = new Uint8Array(rows.length);
  rows.forEach((row, index) => {
    if (row.kind === 'same') return;
    for (let k = Math.max(0, index - context); k <= Math.min(rows.length - 1, index + context); k += 1)
      near[k] = 1;
  });
  const result: (DiffRow | FoldedRows)[] = [];
  let index = 0;
  while (index < rows.length) {
    if (near[index] || rows[index]!.kind !== 'same') {
      result.push(rows[index]!);
      index += 1;
      continue;
    }
    const start = index;
    while (index < rows.length && !near[index] && rows[index]!.kind === 'same') index += 1;
    const first = rows[start]!;
    if (index - start < MIN_FOLD) result.push(...rows.slice(start, index));
    else
      result.push({
        kind: 'folded',
        count: index - start,
        beforeLine: first.before!.number,
        afterLine: first.after!.number,
      });
  }
  return result;
}
