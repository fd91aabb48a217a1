import 'server-only';
import type { NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { authDb } from '@/lib/auth/db';
import { upsertSignedInUser } from '@/lib/auth/users';
import { hitRateLimit, signInPerPerson } from '@/lib/auth/rate-limit';
import { endSession, sessionMaxAgeSeconds, startSession } from '@/lib/auth/server-sessions';
import type { Env } from '@/lib/env';
import { demoPeople } from '@/lib/sandbox/seed-data';

export { sessionMaxAgeSeconds } from '@/lib/auth/server-sessions';

/** The provider id of the demo sign-in, which exists only in sandbox mode. */
export const demoProviderId = 'demo';
/** The provider id of the identity provider in `aws` mode. */
export const oidcProviderId = 'oidc';

/** Whether cookies get the `Secure` attribute: whenever the portal's public URL is https. */
export function usesSecureCookies(env: Env): boolean {
  return env.ROLESMITH_PUBLIC_URL?.startsWith('https:') ?? false;
}

/** The name of the session cookie (Auth.js's names; `__Secure-` when served over https). */
export function sessionCookieName(env: Env): string {
  return usesSecureCookies(env) ? '__Secure-authjs.session-token' : 'authjs.session-token';
}

/** Reads the configured groups claim from an ID token's claims: a list, or one string. */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((item): item is string => typeof item === 'string' && item.length > 0))];
}

/**
 * Whether an ID token's claims say the identity provider verified the e-mail: only
 * `email_verified: true` does; a missing claim counts as unverified.
 */
export function emailVerifiedFromClaims(claims: Record<string, unknown>): boolean {
  return claims.email_verified === true;
}

/**
 * Where the sign-in callback sends a person past the per-person sign-in limit: a path the Auth.js
 * route handler recognizes ({@link rateLimitedSignInRetryAfter}) and answers with 429 instead.
 */
export function rateLimitedSignInRedirect(retryAfterSeconds: number): string {
  return `/signin?error=RateLimited&retryAfter=${retryAfterSeconds}`;
}

/**
 * The seconds to wait when an Auth.js response redirects to {@link rateLimitedSignInRedirect}'s
 * path (Auth.js makes it absolute), else `null`.
 */
export function rateLimitedSignInRetryAfter(location: string | null): number | null {
  if (!location) return null;
  let url: URL;
  try {
    url = new URL(location, 'http://portal.invalid');
  } catch {
    return null;
  }
  if (url.pathname !== '/signin' || url.searchParams.get('error') !== 'RateLimited') return null;
  const seconds = Number(url.searchParams.get('retryAfter'));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 60;
}

/**
 * The Auth.js configuration for one mode, built at request time from the validated environment
 * (never from Auth.js's own `AUTH_*` variables). `aws` mode has exactly one provider, the generic
 * OIDC identity provider; sandbox mode exactly one, the demo sign-in. Sessions are JWT cookies
 * (signed and encrypted with {@link getAuthSecret}'s secret) valid for eight hours.
 */
export function buildAuthConfig(env: Env, secret: string): NextAuthConfig {
  const providers: NextAuthConfig['providers'] =
    env.ROLESMITH_MODE === 'aws'
      ? [
          {
            id: oidcProviderId,
            name: 'your identity provider',
            type: 'oidc',
            issuer: env.ROLESMITH_OIDC_ISSUER,
            clientId: env.ROLESMITH_OIDC_CLIENT_ID,
            clientSecret: env.ROLESMITH_OIDC_CLIENT_SECRET,
            checks: ['pkce', 'state', 'nonce'],
            // The redirect URI always names the public URL, whatever Host the sign-in request had.
            authorization: {
              params: {
                scope: 'openid email profile',
                redirect_uri: new URL(
                  `/api/auth/callback/${oidcProviderId}`,
                  env.ROLESMITH_PUBLIC_URL,
                ).toString(),
              },
            },
            profile(rawClaims) {
              const claims = rawClaims as Record<string, unknown>;
              const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
              const name = typeof claims.name === 'string' && claims.name.length > 0 ? claims.name : email;
              return { id: typeof claims.sub === 'string' ? claims.sub : undefined, email, name };
            },
          },
        ]
      : [
          Credentials({
            id: demoProviderId,
            name: 'Demo sign-in',
            credentials: { personId: { label: 'Person', type: 'text' } },
            authorize(credentials) {
              const person = demoPeople.find((candidate) => candidate.id === credentials.personId);
              return person ? { id: person.id, email: person.email, name: person.name } : null;
            },
          }),
        ];

  return {
    secret,
    basePath: '/api/auth',
    // The route handler rewrites every request to the public URL's origin in aws mode, so the host
    // Auth.js sees cannot be spoofed there; sandbox mode runs on the host the user opened.
    trustHost: true,
    // An empty string keeps Auth.js from reading AUTH_REDIRECT_PROXY_URL from the environment.
    redirectProxyUrl: '',
    useSecureCookies: usesSecureCookies(env),
    session: { strategy: 'jwt', maxAge: sessionMaxAgeSeconds, updateAge: sessionMaxAgeSeconds },
    jwt: { maxAge: sessionMaxAgeSeconds },
    pages: { signIn: '/signin', signOut: '/signin', error: '/signin' },
    providers,
    events: {
      async signOut(message) {
        // Sign-out ends the server-side session: a copy of the cookie is refused from now on.
        const sid = 'token' in message ? message.token?.sid : undefined;
        if (typeof sid === 'string') await endSession(await authDb(), sid);
      },
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        const userId = account?.providerAccountId;
        if (!account || !userId || !user.email) return false;
        if (account.provider === demoProviderId && env.ROLESMITH_MODE !== 'sandbox') return false;
        const fromIdp = account.provider === oidcProviderId && env.ROLESMITH_MODE === 'aws';
        // An e-mail the identity provider says it has not verified (any value but true) is refused;
        // without the claim, the person signs in but their e-mail grants nothing (see loadPrincipal).
        if (fromIdp && profile && 'email_verified' in profile && profile.email_verified !== true) {
          return '/signin?error=EmailNotVerified';
        }
        const db = await authDb();
        const limited = await hitRateLimit(db, signInPerPerson, user.email.toLowerCase());
        // The route handler answers this redirect with 429 and `Retry-After` (see rateLimitedSignInRedirect).
        if (!limited.allowed) return rateLimitedSignInRedirect(limited.retryAfterSeconds);
        const groups = fromIdp && profile ? groupsFromClaims(profile, env.ROLESMITH_OIDC_GROUPS_CLAIM) : [];
        // Demo people are the portal's own seed, so their e-mails are verified by construction.
        const emailVerified = fromIdp
          ? profile !== undefined && emailVerifiedFromClaims(profile)
          : account.provider === demoProviderId;
        await upsertSignedInUser(db, {
          id: userId,
          email: user.email,
          emailVerified,
          name: user.name ?? user.email,
          groups,
        });
        return true;
      },
      async jwt({ token, user, account }) {
        // Only who the person is goes into the cookie, with the id of a server-side session (so
        // that sign-out revokes the cookie); roles are read from the database per call. The id is
        // the provider's subject (Auth.js gives `user.id` a random value without an adapter).
        if (account?.providerAccountId) {
          return {
            sub: account.providerAccountId,
            email: user.email,
            name: user.name,
            signedInAt: Math.floor(Date.now() / 1000),
            sid: await startSession(await authDb(), account.providerAccountId),
          };
        }
        return token;
      },
      redirect({ url, baseUrl }) {
        // Only same-origin destinations: an attacker-chosen callbackUrl never leaves the portal.
        if (url.startsWith('/') && !url.startsWith('//')) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === new URL(baseUrl).origin) return url;
        } catch {
          return baseUrl;
        }
        return baseUrl;
      },
    },
  };
}
