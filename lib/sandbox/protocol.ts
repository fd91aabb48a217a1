/**
 * AWS Query protocol pieces shared by the emulator's IAM and STS operations: request parameters,
 * XML building, AWS errors and the `ValidationError` collector (reference sections 1, 2 and 4).
 */

export type Service = 'iam' | 'sts';

/**
 * The parts of a Fetch `Request` the emulator reads. The portal's route passes a `Request`; the
 * standalone server (node-server.ts) passes a lighter object over the Node request it already has.
 */
export interface SandboxRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  /** The body's bytes without a copy, where the server already holds them (node-server.ts). */
  bodyBytes?(): Uint8Array;
}

/** An IAM or STS answer before it becomes a Fetch `Response` (header names in lower case). */
export interface SandboxAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The API versions that tell IAM and STS requests apart. */
export const iamVersion = '2010-05-08';
export const stsVersion = '2011-06-15';

/** The XML namespace of each service's responses. */
export const xmlNamespace: Record<Service, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** HTTP status of each error code the emulator produces (reference 2.2). */
const statusByCode: Record<string, number> = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  ConcurrentModification: 409,
  InvalidInput: 400,
  MalformedPolicyDocument: 400,
  UnmodifiableEntity: 400,
  PolicyNotAttachable: 400,
  ServiceFailure: 500,
  PolicyEvaluation: 500,
  PackedPolicyTooLarge: 400,
  RegionDisabledException: 403,
  ExpiredTokenException: 400,
  IDPRejectedClaim: 403,
  IDPCommunicationError: 400,
  InvalidIdentityToken: 400,
  ValidationError: 400,
  AccessDenied: 403,
  InvalidParameterValue: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  ExpiredToken: 403,
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidAction: 400,
  MissingAction: 400,
  MissingParameter: 400,
  Throttling: 400,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** The HTTP status AWS uses for an error code (400 for codes it does not know). */
export function statusForCode(code: string): number {
  return statusByCode[code] ?? 400;
}

/** An error answered to the client as an AWS XML error. Thrown by operations, caught by the dispatcher. */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? statusForCode(code);
  }

  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** IAM's `NoSuchEntity` for a role (reference 7). */
export const noSuchRole = (roleName: string) =>
  new AwsError('NoSuchEntity', `The role with name ${roleName} cannot be found.`);

/** Escapes text for XML element content (the emulator writes no attribute values from input). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** `<name>escaped text</name>`; nothing when the value is undefined. */
export function el(name: string, value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>raw xml</name>` for nested structures. */
export function node(name: string, inner: string): string {
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

/** A list of `<member>` items. */
export function members(name: string, items: readonly string[]): string {
  return node(name, items.map((item) => `<member>${item}</member>`).join(''));
}

/** A document as IAM returns it: URL-encoded per RFC 3986 (reference 6.5). */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A success body: `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…` (no Result element when `result` is null). */
export function successXml(
  service: Service,
  action: string,
  result: string | null,
  requestId: string,
): string {
  const body = result === null ? '' : node(`${action}Result`, result);
  return (
    `<${action}Response xmlns="${xmlNamespace[service]}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** An error body: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>` (reference 2.1). */
export function errorXml(service: Service, error: AwsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${xmlNamespace[service]}"><Error><Type>${error.type}</Type>` +
    `${el('Code', error.code)}${el('Message', error.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** Form parameters of one Query request, with helpers for the protocol's list encoding. */
export class Params {
  constructor(private readonly values: Map<string, string>) {}

  static fromSearchParams(...sources: URLSearchParams[]): Params {
    const values = new Map<string, string>();
    for (const source of sources) for (const [key, value] of source) values.set(key, value);
    return new Params(values);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /**
   * A list of scalars (`Name.member.N`). Undefined when absent; `[]` when sent as `Name=` (the SDK's
   * empty list).
   */
  list(name: string): string[] | undefined {
    const items: { index: number; value: string }[] = [];
    const prefix = `${name}.member.`;
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) continue;
      const index = Number(key.slice(prefix.length));
      if (Number.isInteger(index)) items.push({ index, value });
    }
    if (items.length === 0) return this.values.has(name) ? [] : undefined;
    return items.sort((a, b) => a.index - b.index).map((item) => item.value);
  }

  /** A list of structures (`Name.member.N.Field`). */
  structs(name: string): Record<string, string>[] | undefined {
    const byIndex = new Map<number, Record<string, string>>();
    const prefix = `${name}.member.`;
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const dot = rest.indexOf('.');
      if (dot < 0) continue;
      const index = Number(rest.slice(0, dot));
      if (!Number.isInteger(index)) continue;
      const entry = byIndex.get(index) ?? {};
      entry[rest.slice(dot + 1)] = value;
      byIndex.set(index, entry);
    }
    if (byIndex.size === 0) return this.values.has(name) ? [] : undefined;
    return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
  }

  /** Parameter names, for diagnostics. */
  keys(): string[] {
    return [...this.values.keys()];
  }
}

/**
 * Collects model-constraint failures and throws one `ValidationError` listing them all, worded as
 * AWS words them (reference 2.3). IAM omits the offending value; STS includes it.
 */
export class Validator {
  private readonly problems: string[] = [];
  constructor(private readonly includeValue: boolean) {}

  private add(member: string, value: string | undefined, constraint: string): void {
    const shown = this.includeValue && value !== undefined ? `Value '${value}' at` : 'Value at';
    this.problems.push(`${shown} '${member}' failed to satisfy constraint: ${constraint}`);
  }

  required(member: string, value: unknown): void {
    if (value === undefined) this.add(member, undefined, 'Member must not be null');
  }

  /** Length and pattern checks for a string; skipped when undefined. */
  string(
    member: string,
    value: string | undefined,
    min: number,
    max: number,
    pattern?: RegExp,
    shownPattern?: string,
  ): void {
    if (value === undefined) return;
    const length = [...value].length;
    if (pattern && !pattern.test(value)) {
      this.add(
        member,
        value,
        `Member must satisfy regular expression pattern: ${shownPattern ?? pattern.source}`,
      );
    }
    if (length > max) this.add(member, value, `Member must have length less than or equal to ${max}`);
    if (length < min) this.add(member, value, `Member must have length greater than or equal to ${min}`);
  }

  /** An integer parameter in a range; returns the parsed number. */
  integer(member: string, raw: string | undefined, min: number, max: number): number | undefined {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${raw}' at '${member}' failed to satisfy constraint: Member must be an integer`,
      );
    }
    if (value > max) this.add(member, raw, `Member must have value less than or equal to ${max}`);
    if (value < min) this.add(member, raw, `Member must have value greater than or equal to ${min}`);
    return value;
  }

  enumValue(member: string, value: string | undefined, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) {
      this.add(member, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
  }

  listLength(member: string, list: readonly unknown[] | undefined, max: number): void {
    if (list && list.length > max)
      this.add(member, undefined, `Member must have length less than or equal to ${max}`);
  }

  /** A free-form constraint sentence. */
  fail(member: string, value: string | undefined, constraint: string): void {
    this.add(member, value, constraint);
  }

  throwIfAny(): void {
    const count = this.problems.length;
    if (count === 0) return;
    throw new AwsError(
      'ValidationError',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`,
    );
  }
}

/** Parses a `true`/`false` parameter. */
export function parseBoolean(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  return raw.toLowerCase() === 'true';
}
