import { globToRegExp } from '@/lib/iam/policy-glob';

/** EC2's service principal, and China's (where service principals end in `.amazonaws.com.cn`). */
const EC2_PRINCIPALS = new Set(['ec2.amazonaws.com', 'ec2.amazonaws.com.cn']);

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function coversAssumeRole(action: unknown): boolean {
  return asList(action).some(
    (item) => typeof item === 'string' && globToRegExp(item, 'i').test('sts:AssumeRole'),
  );
}

function namesEc2(principal: unknown): boolean {
  if (typeof principal !== 'object' || principal === null) return false;
  const service = (principal as Record<string, unknown>).Service;
  return asList(service).some(
    (item) => typeof item === 'string' && EC2_PRINCIPALS.has(item.trim().toLowerCase()),
  );
}

/**
 * Whether a trust policy (JSON text) lets EC2 assume the role: an `Allow` statement whose
 * `Principal.Service` names `ec2.amazonaws.com` and whose `Action` covers `sts:AssumeRole`. Such a
 * role gets an instance profile of the same name, as the console's EC2 use case creates one (an
 * instance can only use a role through a profile). Text that is not a policy allows nothing. Pure.
 */
export function trustAllowsEc2(trustPolicy: string): boolean {
  let document: unknown;
  try {
    document = JSON.parse(trustPolicy);
  } catch {
    return false;
  }
  if (typeof document !== 'object' || document === null) return false;
  return asList((document as Record<string, unknown>).Statement).some((statement) => {
    if (typeof statement !== 'object' || statement === null) return false;
    const { Effect, Principal, Action } = statement as Record<string, unknown>;
    return Effect === 'Allow' && namesEc2(Principal) && coversAssumeRole(Action);
  });
}
