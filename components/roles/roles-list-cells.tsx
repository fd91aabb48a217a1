import { Badge } from '@/components/ui/badge';
import { entityCardTitles } from '@/components/wizard/trust-choices';
import type { RoleListItem } from '@/lib/requests/roles-list';
import type { TrustedEntity } from '@/lib/iam/trust-entity';

const webIdentityProviders: Record<string, string> = {
  cognito: 'Amazon Cognito',
  amazon: 'Login with Amazon',
  google: 'Google',
  facebook: 'Facebook',
  oidc: 'OpenID Connect',
  github_actions: 'GitHub Actions',
};

/** The second line of the trusted entity: which account, services or provider. */
function entityDetail(entity: TrustedEntity): string | null {
  switch (entity.type) {
    case 'aws_account':
      return `${entity.accountId}${entity.requireMfa ? ', MFA' : ''}${entity.externalId ? ', external ID' : ''}`;
    case 'aws_service':
      return entity.services.map((service) => service.replace(/\.amazonaws\.com(\.cn)?$/, '')).join(', ');
    case 'web_identity':
      return webIdentityProviders[entity.provider] ?? entity.provider;
    case 'saml':
      return entity.providerArn.slice(entity.providerArn.indexOf('/') + 1);
    case 'custom':
      return null;
  }
}

/** The console's name of the role's trusted entity type, and who it names. */
export function TrustedEntityCell({ entity }: { entity: TrustedEntity | null }) {
  if (!entity) return <span className="text-slate-600">Unknown</span>;
  const detail = entityDetail(entity);
  return (
    <span>
      {entityCardTitles[entity.type]}
      {detail ? <span className="block font-mono text-xs wrap-anywhere text-slate-600">{detail}</span> : null}
    </span>
  );
}

/** The last drift check of the role as recorded: Drifted, Matches, Could not check, or Not checked yet. */
export function RoleDriftBadge({ drift }: { drift: RoleListItem['drift'] }) {
  if (!drift) return <span className="text-sm text-slate-600">Not checked yet</span>;
  const at = drift.checkedAt.toISOString();
  const checked = (
    <time dateTime={at} className="block text-xs text-slate-600">
      checked {at.slice(0, 10)} {at.slice(11, 16)}
    </time>
  );
  if (drift.state === 'drifted') {
    return (
      <span>
        <Badge tone="warning">
          <span aria-hidden="true">⚠&nbsp;</span>Drifted
        </Badge>
        <span className="block text-xs text-slate-700">
          {drift.differenceCount} {drift.differenceCount === 1 ? 'difference' : 'differences'}
        </span>
        {checked}
      </span>
    );
  }
  if (drift.state === 'matches') {
    return (
      <span>
        <Badge tone="success">
          <span aria-hidden="true">✓&nbsp;</span>Matches
        </Badge>
        {checked}
      </span>
    );
  }
  return (
    <span>
      <Badge>Could not check</Badge>
      {checked}
    </span>
  );
}
