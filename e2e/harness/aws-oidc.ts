// A local OpenID provider (the `oidc-provider` package) for the aws-mode sign-in tests: real
// discovery, authorization code flow with PKCE, signed ID tokens carrying a groups claim. Its
// development login form accepts any login; the login names one of `people`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpPerson {
  email: string;
  name: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** Starts the provider on a free port with one confidential client redirecting to `redirectUri`. */
export async function startTestIdp(options: {
  redirectUri: string;
  people: Record<string, IdpPerson>;
}): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'rolesmith-e2e';
  const clientSecret = `idp-client-secret-${crypto.randomUUID()}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // Put the scopes' claims in the ID token too, as Okta, Entra ID or Keycloak do for a groups claim.
    conformIdTokenClaims: false,
    cookies: { keys: [crypto.randomUUID()] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_context, id) => {
      const person = options.people[id];
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: person.email,
          email_verified: true,
          name: person.name,
          groups: person.groups,
        }),
      };
    },
  });
  // The devInteractions views warn on every start; the test output stays readable without them.
  provider.on('server_error', (_context, error) => console.error('test IdP error:', error));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
