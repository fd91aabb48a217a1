/**
 * Pure functions behind the wizard's "Select trusted entity" step: filtering the service use
 * cases, the GitHub `sub` the preset writes, one-per-line lists, and switching to a card the
 * preview recognised. Client-safe: no zod, no catalogue (the one `lib/iam` import has no imports).
 */
import { GITHUB_OIDC_HOST, githubSubject } from '@/lib/iam/github-subject';
import type { ServicePreset } from '@/lib/iam/service-presets';
import type { WizardPreview } from '@/lib/wizard/preview-types';
import type { AwsServiceCard, EntityCard, WebIdentityCard, WizardState } from '@/lib/wizard/state';

/** The trusted-entity cards' titles, as the console names them. */
export const entityCardTitles: Record<EntityCard, string> = {
  aws_account: 'AWS account',
  aws_service: 'AWS service',
  web_identity: 'Web identity',
  saml: 'SAML 2.0 federation',
  custom: 'Custom trust policy',
};

/** What the *Custom trust policy* editor starts from, as in the console. */
export const customTrustSkeleton = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Statement1",
            "Effect": "Allow",
            "Principal": {},
            "Action": "sts:AssumeRole"
        }
    ]
}`;

/**
 * The presets matching every word of `query` (case-insensitive) in their service, use case,
 * description or principals, in their own order; all of them for a blank query.
 */
export function filterServicePresets(
  presets: readonly ServicePreset[],
  query: string,
): readonly ServicePreset[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return presets;
  return presets.filter((preset) => {
    const text = [preset.service, preset.useCase, preset.description, ...preset.principals]
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** The non-blank lines of a one-per-line field, trimmed. */
export function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** `text` with `line` present (`on`) or absent, other lines kept as typed. */
export function toggleLine(text: string, line: string, on: boolean): string {
  const lines = text.split('\n').filter((item) => item.trim() !== '' && item.trim() !== line);
  return (on ? [...lines, line] : lines).join('\n');
}

/**
 * The `sub` value the GitHub Actions preset writes for what is typed (blank repository: any; the
 * branch or environment only when chosen), or `null` until the organization and the chosen branch
 * or environment are typed.
 */
export function githubSubjectPreview(
  card: Pick<WebIdentityCard, 'organization' | 'repository' | 'githubRef' | 'branch' | 'environment'>,
) {
  const organization = card.organization.trim();
  if (!organization) return null;
  // A branch or environment chosen but not yet typed: no subject yet (not "any").
  if (card.githubRef !== 'any' && !card[card.githubRef].trim()) return null;
  const chosen = (ref: WebIdentityCard['githubRef'], value: string) =>
    card.githubRef === ref ? value.trim() || undefined : undefined;
  return githubSubject(
    organization,
    card.repository.trim() || undefined,
    chosen('branch', card.branch),
    chosen('environment', card.environment),
  );
}

/** True for the ARN of an account's IAM OIDC provider for GitHub Actions. */
export function isGithubProviderArn(arn: string): boolean {
  return arn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`);
}

const EC2_PRINCIPALS = ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'];

/** True when the chosen services include EC2, which gets an instance profile named after the role. */
export function trustsEc2(card: AwsServiceCard, presets: readonly ServicePreset[]): boolean {
  const chosen = presets.filter((preset) => card.presetIds.includes(preset.id));
  const principals = [...chosen.flatMap((preset) => preset.principals), ...splitLines(card.otherPrincipals)];
  return principals.some((principal) => EC2_PRINCIPALS.includes(principal));
}

/** The state with `card` chosen and its fields as the preview recognised them in the custom document. */
export function switchToRecognizedCard(
  state: WizardState,
  card: EntityCard,
  recognized: NonNullable<WizardPreview['recognizedState']>,
): WizardState {
  return { ...state, ...recognized, entity: card };
}

type CardKey = 'awsAccount' | 'awsService' | 'webIdentity' | 'saml' | 'custom';

/** The state with some fields of one card's sub-object changed (the other cards kept as they are). */
export function patchCard<K extends CardKey>(
  state: WizardState,
  key: K,
  change: Partial<WizardState[K]>,
): WizardState {
  return { ...state, [key]: { ...state[key], ...change } };
}
