/**
 * GitHub Actions' OIDC names, and the `sub` pattern a trust policy matches for an organization,
 * repository and branch (GitHub Docs, "Configuring OpenID Connect in Amazon Web Services").
 *
 * No imports on purpose: the trust builder writes this value, and the wizard's trusted-entity step
 * shows it as the person types, from the same function, without loading zod or the catalogue.
 */

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'sts.amazonaws.com';

/** The GitHub `sub` pattern for an organization, optional repository and optional branch. */
export function githubSubject(organization: string, repository?: string, branch?: string): string {
  const repo = repository ?? '*';
  if (branch !== undefined) return `repo:${organization}/${repo}:ref:refs/heads/${branch}`;
  return repository === undefined ? `repo:${organization}/*` : `repo:${organization}/${repository}:*`;
}
