import 'server-only';

import type { ErrorCode } from '@/lib/result';

/** What AWS said when a call failed, kept for display and for the request's record. */
export interface AwsErrorDetail {
  /** AWS's error code as sent on the wire, e.g. `EntityAlreadyExists`, `Throttling`. */
  code: string;
  /** AWS's message, verbatim. */
  message: string;
  /** HTTP status of the response, when one was received. */
  httpStatus: number | null;
  /**
   * Whether the outcome of the call is unknown (no response, e.g. a connection reset): the
   * request may or may not have taken effect.
   */
  isOutcomeUnknown: boolean;
}

/** A failed AWS call: a {@link Result} failure that also carries AWS's own code and message. */
export interface AwsFailure {
  ok: false;
  code: ErrorCode;
  message: string;
  aws: AwsErrorDetail;
}

/** The result of a `lib/aws` call: assignable to `Result<T>`. */
export type AwsResult<T> = { ok: true; value: T } | AwsFailure;

const codeByAwsName: Record<string, ErrorCode> = {
  EntityAlreadyExists: 'conflict',
  DeleteConflict: 'conflict',
  LimitExceeded: 'conflict',
  ConcurrentModification: 'conflict',
  NoSuchEntity: 'not_found',
  Throttling: 'rate_limited',
  ThrottlingException: 'rate_limited',
  RequestLimitExceeded: 'rate_limited',
  TooManyRequestsException: 'rate_limited',
  InvalidInput: 'invalid_input',
  MalformedPolicyDocument: 'invalid_input',
  ValidationError: 'invalid_input',
  PolicyNotAttachable: 'invalid_input',
  UnmodifiableEntity: 'forbidden',
  AccessDenied: 'forbidden',
  AccessDeniedException: 'forbidden',
  InvalidClientTokenId: 'forbidden',
  SignatureDoesNotMatch: 'forbidden',
  MissingAuthenticationToken: 'forbidden',
  ExpiredToken: 'forbidden',
  ExpiredTokenException: 'forbidden',
};

/** The SDK turns `NoSuchEntity` into `NoSuchEntityException`; records keep the wire code. */
function wireCode(name: string): string {
  const modeled =
    /^(NoSuchEntity|EntityAlreadyExists|DeleteConflict|LimitExceeded|ConcurrentModification|InvalidInput|MalformedPolicyDocument|UnmodifiableEntity|PolicyNotAttachable|ServiceFailure|PolicyEvaluation|PackedPolicyTooLarge|IDPRejectedClaim|IDPCommunicationError|InvalidIdentityToken|RegionDisabled)Exception$/.exec(
      name,
    );
  return modeled ? modeled[1]! : name;
}

/** Error codes after which the same call may succeed if simply repeated later. */
const transientCodes = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceFailure',
  'InternalFailure',
  'ServiceUnavailable',
  'ConcurrentModification',
]);

/** Whether a failure is worth repeating unchanged: throttling, a server fault or a concurrent write. */
export function isTransientAwsError(detail: AwsErrorDetail): boolean {
  return detail.isOutcomeUnknown || transientCodes.has(detail.code) || (detail.httpStatus ?? 0) >= 500;
}

/**
 * IAM resolves principal ARNs when saving a trust policy; a principal created moments ago may not be
 * visible yet (eventual consistency), and IAM answers `MalformedPolicyDocument` "Invalid principal in
 * policy". AWS's own examples retry this for a while.
 */
export function isInvalidPrincipalError(detail: AwsErrorDetail): boolean {
  return (
    detail.code === 'MalformedPolicyDocument' && detail.message.startsWith('Invalid principal in policy')
  );
}

/**
 * Turns anything the SDK threw into an {@link AwsFailure}. Never returns the raw SDK error: only
 * AWS's code, message and HTTP status survive.
 */
export function toAwsFailure(error: unknown): AwsFailure {
  const detail = describeAwsError(error);
  const code = codeByAwsName[detail.code] ?? 'aws_error';
  return { ok: false, code, message: `${detail.code}: ${detail.message}`, aws: detail };
}

function describeAwsError(error: unknown): AwsErrorDetail {
  if (typeof error !== 'object' || error === null) {
    return { code: 'UnknownError', message: String(error), httpStatus: null, isOutcomeUnknown: true };
  }
  const record = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $response?: unknown;
  };
  const httpStatus =
    typeof record.$metadata?.httpStatusCode === 'number' ? record.$metadata.httpStatusCode : null;
  const name = typeof record.name === 'string' ? record.name : 'UnknownError';
  const message = typeof record.message === 'string' ? record.message : '';
  if (httpStatus === null) {
    // No HTTP response: a network failure (connection refused or reset, timeout). The call may or
    // may not have reached AWS.
    const networkCode = typeof record.code === 'string' ? record.code : name;
    return {
      code: 'NetworkError',
      message: `${networkCode}: ${message}`.trim(),
      httpStatus: null,
      isOutcomeUnknown: true,
    };
  }
  return { code: wireCode(name), message, httpStatus, isOutcomeUnknown: false };
}
