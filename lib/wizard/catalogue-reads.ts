import 'server-only';
import { z } from 'zod';
import { ACCESS_LEVELS, type AccessLevel } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

/**
 * What the wizard's policy builder asks of the IAM catalogue, one small answer at a time (the
 * catalogue itself, some 22,000 actions, never goes to the browser).
 */

export const searchServicesSchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, 'Search at most 100 characters')
    .optional()
    .transform((value) => value ?? ''),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchServicesInput = z.input<typeof searchServicesSchema>;

export interface ServiceMatch {
  prefix: string;
  name: string;
}

/**
 * Services whose prefix or name contains every word of `q` (case-insensitive), an exact prefix
 * first, then prefixes that start with the query, then by prefix; at most `limit` (20). `total`
 * counts every match. An empty query lists the first services by prefix.
 */
export async function searchServices(
  input: unknown,
): Promise<Result<{ services: ServiceMatch[]; total: number }>> {
  const parsed = searchServicesSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { q, limit } = parsed.data;
  const catalogue = await loadCatalogue();
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const query = q.toLowerCase();
  const rank = (prefix: string) => (prefix === query ? 0 : prefix.startsWith(query) ? 1 : 2);
  const matches = catalogue
    .listServices()
    .filter((service) => {
      const text = `${service.prefix} ${service.name}`.toLowerCase();
      return words.every((word) => text.includes(word));
    })
    .sort((a, b) => rank(a.prefix) - rank(b.prefix) || a.prefix.localeCompare(b.prefix));
  return ok({
    services: matches.slice(0, limit).map(({ prefix, name }) => ({ prefix, name })),
    total: matches.length,
  });
}

export interface ServiceActionSummary {
  name: string;
  description: string;
  /** Resource types the action applies to (`*` only when empty). */
  resourceTypes: { name: string; required: boolean }[];
}

export interface ServiceDetails {
  prefix: string;
  name: string;
  /** The service's actions by access level, in the console's order; every level is present. */
  actionsByLevel: { level: AccessLevel; actions: ServiceActionSummary[] }[];
  resourceTypes: { name: string; arn: string; variables: string[] }[];
  conditionKeys: { key: string; type: string; description: string }[];
}

const servicePrefixSchema = z
  .string()
  .min(1, 'Enter a service prefix')
  .max(64, 'Service prefix must be at most 64 characters')
  .regex(/^[a-z0-9-]+$/i, 'Service prefix may contain only letters, digits and -');

/**
 * One service's actions (grouped by access level), resource types with their ARN templates, and
 * its own condition keys with their types (the global `aws:` keys are not repeated here).
 * `not_found` for a prefix the catalogue does not know.
 */
export async function getServiceDetails(prefix: unknown): Promise<Result<ServiceDetails>> {
  const parsed = servicePrefixSchema.safeParse(prefix);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the service prefix.', { prefix: 'prefix' });
  const catalogue = await loadCatalogue();
  const service = catalogue.getService(parsed.data.toLowerCase());
  if (!service) return fail('not_found', `No AWS service has the prefix ${parsed.data}.`);
  const actions = catalogue.listActions(service.prefix);
  return ok({
    prefix: service.prefix,
    name: service.name,
    actionsByLevel: ACCESS_LEVELS.map((level) => ({
      level,
      actions: actions
        .filter((action) => action.accessLevel === level)
        .map((action) => ({
          name: action.name,
          description: action.description,
          resourceTypes: action.resourceTypes.map(({ name, required }) => ({ name, required })),
        })),
    })),
    resourceTypes: catalogue
      .listResourceTypes(service.prefix)
      .map(({ name, arn, variables }) => ({ name, arn, variables })),
    conditionKeys: catalogue
      .listConditionKeys(service.prefix)
      .filter((key) => !key.isGlobal)
      .map(({ key, type, description }) => ({ key, type, description })),
  });
}
