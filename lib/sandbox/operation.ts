import 'server-only';
import type { RequestContext } from '@/lib/sandbox/authorize';
import type { Params } from '@/lib/sandbox/protocol';
import type { Caller, SandboxState } from '@/lib/sandbox/state';

// What the IAM and STS operations of the emulator are given, and what they return.

/** Facts about the HTTP request that policies can test (`aws:SourceIp`, `aws:SecureTransport`). */
export interface RequestFacts {
  sourceIp: string;
  secureTransport: boolean;
}

/** What an operation gets: the state, the caller's account and identity, the request parameters. */
export interface OperationContext {
  state: SandboxState;
  facts: RequestFacts;
  accountId: string;
  caller: Caller;
  params: Params;
  now: Date;
  /** Throws AccessDenied unless the caller may perform `action` on `resource`. */
  authorize(action: string, resource: string, extraContext?: RequestContext): void;
}

/** An operation returns the inner XML of its `<Op>Result`, or null when it has no output. */
export type Operation = (context: OperationContext) => string | null;
