/**
 * GitHub Actions' OIDC names, and the `sub` pattern a trust policy matches for an organization,
 * repository and branch or environment (GitHub Docs, "About security hardening with OpenID Connect",
 * example subject claims: `repo:<org>/<repo>:ref:refs/heads/<branch>` for a branch,
 * `repo:<org>/<repo>:environment:<name>` for a job that uses an environment).
 *
 * No imports on purpose: the trust builder writes this value, and the wizard's trusted-entity step
 * shows it as the person types, from the same function, without loading zod or the catalogue.
 */

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'sts.amazonaws.com';

/**
 * The GitHub `sub` pattern for an organization, optional repository and optional branch or
 * environment (at most one of the two: a job that uses an environment gets the environment's
 * subject instead of the branch's).
 */
export function githubSubject(
  organization: string,
  repository?: string,
  branch?: string,
  environment?: string,
): string {
  const repo = repository ?? '*';
  if (branch !== undefined) return `repo:${organization}/${repo}:ref:refs/heads/${branch}`;
  if (environment !== undefined) return `repo:${organization}/${repo}:environment:${environment}`;
  return repository === undefined ? `repo:${organization}/*` : `repo:${organization}/${repository}:*`;
}
