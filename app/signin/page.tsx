import type { Metadata } from 'next';
import { demoSignInAction, oidcSignInAction } from '@/app/signin/actions';
import { signOutAction, signOutEverywhereAction } from '@/app/(auth)/actions';
import { SignInButton } from '@/components/auth/sign-in-button';
import { SignOutEverywhereButton } from '@/components/auth/sign-out-everywhere-button';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { portalRoleLabels } from '@/components/auth/user-menu';
import { safeCallbackPath } from '@/lib/auth/redirect';
import { getPrincipal } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { demoPeople } from '@/lib/sandbox/seed-data';

export const metadata: Metadata = { title: 'Sign in' };

const errorMessages: Record<string, string> = {
  AccessDenied: 'Sign-in was refused. Ask an admin if you should have access.',
  Configuration: 'Sign-in is not configured correctly. Ask the portal operator.',
  CredentialsSignin: 'That person cannot sign in.',
  RateLimited: 'Too many sign-in attempts. Wait a minute, then try again.',
  EmailNotVerified:
    'Your identity provider has not verified your e-mail address. Verify it there, then sign in again.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const error =
    typeof params.error === 'string' ? (errorMessages[params.error] ?? 'Sign-in failed. Try again.') : null;
  const env = getEnv();
  const principal = await getPrincipal();

  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6 px-4 py-12">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sign in to Rolesmith</h1>
      {error ? (
        <Callout tone="error" role="alert">
          <p>{error}</p>
        </Callout>
      ) : null}
      {principal ? (
        <section aria-labelledby="signed-in" className="flex flex-col gap-3">
          <h2 id="signed-in" className="text-lg font-medium">
            You are signed in as {principal.name}
          </h2>
          <p className="text-sm text-slate-700">Portal roles: {portalRoleLabels(principal).join(', ')}</p>
          <div className="flex flex-wrap items-start gap-3">
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">
                Sign out
              </Button>
            </form>
            <SignOutEverywhereButton action={signOutEverywhereAction} />
          </div>
          <p className="text-sm text-slate-600">
            Sessions end after 8 hours, or after 2 hours without use. Sign out everywhere ends your sessions
            in every browser.
          </p>
        </section>
      ) : null}
      {env.ROLESMITH_MODE === 'sandbox' ? (
        <section aria-labelledby="demo-people" className="flex flex-col gap-3">
          <h2 id="demo-people" className="text-lg font-medium">
            Sandbox: choose a demo person
          </h2>
          <p className="text-sm text-slate-600">This is a sandbox. No password: pick who you want to be.</p>
          <ul className="flex flex-col gap-2">
            {demoPeople.map((person) => (
              <li key={person.id}>
                <SignInButton
                  action={demoSignInAction}
                  label={`Sign in as ${person.name}`}
                  description={`${person.title} · ${person.email}`}
                  callbackUrl={callbackUrl}
                  fields={{ personId: person.id }}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <SignInButton
          action={oidcSignInAction}
          label="Sign in with your identity provider"
          callbackUrl={callbackUrl}
        />
      )}
    </div>
  );
}
