import 'server-only';
import { Button, ButtonLink } from '@/components/ui/button';
import type { Principal } from '@/lib/auth/principal';
import { getPrincipal } from '@/lib/auth/session';

/** The portal roles of a principal as short labels, e.g. `["Requester", "Approver (all accounts)"]`. */
export function portalRoleLabels(principal: Principal): string[] {
  const labels = ['Requester'];
  const approver = principal.roles.approver;
  if (approver === 'all') labels.push('Approver (all accounts)');
  else if (approver) labels.push(`Approver (${approver.join(', ')})`);
  if (principal.roles.admin) labels.push('Admin');
  return labels;
}

/**
 * The header's account area: the signed-in person's name, portal roles and a sign-out button
 * (posting to `signOut`, the app's sign-out action), or a "Sign in" link.
 */
export async function UserMenu({ signOut }: { signOut: () => Promise<void> }) {
  const principal = await getPrincipal();
  if (!principal) {
    return (
      <ButtonLink href="/signin" prefetch={false} variant="inverse" size="sm" className="on-dark">
        Sign in
      </ButtonLink>
    );
  }
  return (
    <div className="on-dark flex items-center gap-3 text-sm">
      <div className="text-right">
        <p className="font-medium text-white">{principal.name}</p>
        <p className="text-xs text-indigo-100">
          <span className="sr-only">Portal roles: </span>
          {portalRoleLabels(principal).join(' · ')}
        </p>
      </div>
      <form action={signOut}>
        <Button type="submit" variant="inverse" size="sm">
          Sign out
        </Button>
      </form>
    </div>
  );
}
