import { z } from 'zod';

/**
 * The validated environment. Every variable of ours is read here and nowhere else.
 *
 * Parsing is lazy (first call to {@link getEnv}) so that `next build` never reads the runtime
 * environment: one production build serves both modes. `instrumentation.ts` calls `getEnv()` when
 * the server starts, so a bad setting stops start-up before the first request.
 */

const port = z.coerce
  .number({ error: 'must be a whole number between 1 and 65535' })
  .int('must be a whole number between 1 and 65535')
  .min(1, 'must be a whole number between 1 and 65535')
  .max(65535, 'must be a whole number between 1 and 65535');

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/.+/.test(value), {
  message: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/rolesmith',
});

const httpUrl = (example: string) =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: `must be an http(s) URL such as ${example}` },
  );

const required = (what: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? `is required in aws mode (${what})` : `must be ${what}`,
});

const emailList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item.length > 0),
  )
  .refine((items) => items.every((item) => /^[^@\s]+@[^@\s]+$/.test(item)), {
    message: 'must be a comma-separated list of e-mail addresses',
  });

/** How many reverse proxies (load balancer, ingress) stand between the clients and the portal. */
const trustedProxies = z.coerce
  .number({ error: 'must be a whole number of reverse-proxy hops between 0 and 10' })
  .int('must be a whole number of reverse-proxy hops between 0 and 10')
  .min(0, 'must be a whole number of reverse-proxy hops between 0 and 10')
  .max(10, 'must be a whole number of reverse-proxy hops between 0 and 10');

/** Seconds between two background drift checks of one role; 0 turns the background check off. */
const driftCheckInterval = z.coerce
  .number({ error: 'must be a whole number of seconds: 0 (off), or from 60 to 604800 (a week)' })
  .int('must be a whole number of seconds: 0 (off), or from 60 to 604800 (a week)')
  .refine((seconds) => seconds === 0 || (seconds >= 60 && seconds <= 604_800), {
    message: 'must be a whole number of seconds: 0 (off), or from 60 to 604800 (a week)',
  });

const common = {
  PORT: port.default(3000),
  ROLESMITH_DATA_DIR: z.string().min(1, 'must be a folder path').default('.data'),
  /**
   * The number of reverse proxies in front of the portal that append the client's address to
   * `X-Forwarded-For`. 0 (the default): the header is not trusted and the connection's address is
   * the client's. Only set it when the portal cannot be reached except through those proxies.
   */
  ROLESMITH_TRUSTED_PROXIES: trustedProxies.default(0),
  /**
   * How often the background check compares each role Rolesmith provisioned with IAM, in seconds
   * (default 21600: every 6 hours; 0: never). Checks are spread over the interval, a few roles at
   * a time, and back off while IAM throttles.
   */
  ROLESMITH_DRIFT_CHECK_INTERVAL_SECONDS: driftCheckInterval.default(21_600),
};

const sandboxSchema = z.object({
  ROLESMITH_MODE: z.literal('sandbox'),
  ...common,
  DATABASE_URL: postgresUrl.optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 33)').optional(),
  ROLESMITH_PUBLIC_URL: httpUrl('http://localhost:3000').optional(),
});

const awsSchema = z.object({
  ROLESMITH_MODE: z.literal('aws'),
  ...common,
  DATABASE_URL: z
    .string(required('a PostgreSQL URL such as postgres://user:password@host:5432/rolesmith'))
    .pipe(postgresUrl),
  AUTH_SECRET: z
    .string(required('a random secret of at least 32 characters, e.g. from: openssl rand -base64 33'))
    .min(32, 'must be at least 32 characters (try: openssl rand -base64 33)'),
  ROLESMITH_PUBLIC_URL: z
    .string(required('the portal URL users open, e.g. https://rolesmith.example.com'))
    .pipe(httpUrl('https://rolesmith.example.com')),
  ROLESMITH_OIDC_ISSUER: z
    .string(required("the identity provider's issuer URL, e.g. https://login.example.com"))
    .pipe(httpUrl('https://login.example.com')),
  ROLESMITH_OIDC_CLIENT_ID: z.string(required('the OIDC client id')).min(1, 'must not be empty'),
  ROLESMITH_OIDC_CLIENT_SECRET: z.string(required('the OIDC client secret')).min(1, 'must not be empty'),
  ROLESMITH_OIDC_GROUPS_CLAIM: z.string().min(1, 'must name a claim, e.g. groups').default('groups'),
  ROLESMITH_BOOTSTRAP_ADMINS: emailList.default([]),
  ROLESMITH_AWS_ENDPOINT: httpUrl('http://127.0.0.1:4599/').optional(),
});

export type SandboxEnv = z.infer<typeof sandboxSchema>;
export type AwsEnv = z.infer<typeof awsSchema>;
export type Env = SandboxEnv | AwsEnv;
export type Mode = Env['ROLESMITH_MODE'];

/** Thrown when the environment is invalid; `message` is one line per bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** The variable names this module reads, for documentation and for tests. */
export const envVariableNames = [
  'ROLESMITH_MODE',
  'PORT',
  'ROLESMITH_DATA_DIR',
  'ROLESMITH_TRUSTED_PROXIES',
  'ROLESMITH_DRIFT_CHECK_INTERVAL_SECONDS',
  'DATABASE_URL',
  'AUTH_SECRET',
  'ROLESMITH_PUBLIC_URL',
  'ROLESMITH_OIDC_ISSUER',
  'ROLESMITH_OIDC_CLIENT_ID',
  'ROLESMITH_OIDC_CLIENT_SECRET',
  'ROLESMITH_OIDC_GROUPS_CLAIM',
  'ROLESMITH_BOOTSTRAP_ADMINS',
  'ROLESMITH_AWS_ENDPOINT',
] as const;

/**
 * Parses an environment (normally `process.env`). Empty strings count as unset, as shells and
 * `.env` files often leave them. Throws {@link EnvError} naming every bad variable.
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const input: Record<string, string> = {};
  for (const name of envVariableNames) {
    const value = source[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  const mode = input.ROLESMITH_MODE ?? 'sandbox';
  if (mode !== 'sandbox' && mode !== 'aws') {
    throw new EnvError([`ROLESMITH_MODE must be "sandbox" or "aws" (got "${mode}")`]);
  }
  const schema = mode === 'aws' ? awsSchema : sandboxSchema;
  const parsed = schema.safeParse({ ...input, ROLESMITH_MODE: mode });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`,
  );
  throw new EnvError(problems);
}

let cached: Env | undefined;

/** The environment of this process, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forgets the parsed environment so that tests can change `process.env`. */
export function resetEnvForTests(): void {
  cached = undefined;
}
