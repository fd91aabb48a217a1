import 'server-only';
import type { Operation } from '@/lib/sandbox/operation';
import { AwsError, el, escapeXml, members } from '@/lib/sandbox/protocol';
import {
  arnParam,
  checkTagSemantics,
  readTags,
  tagContext,
  tagsXml,
  validator,
} from '@/lib/sandbox/iam-params';

// The emulator's IAM operations on identity providers (OpenID Connect and SAML).

const createOpenIdConnectProvider: Operation = (context) => {
  const v = validator();
  const url = context.params.get('Url');
  v.required('url', url);
  v.string('url', url, 1, 255);
  const clientIds = context.params.list('ClientIDList') ?? [];
  const thumbprints = context.params.list('ThumbprintList') ?? [];
  for (const [index, thumbprint] of thumbprints.entries())
    v.string(`thumbprintList.${index + 1}.member`, thumbprint, 40, 40);
  for (const [index, clientId] of clientIds.entries())
    v.string(`clientIDList.${index + 1}.member`, clientId, 1, 255);
  const tags = readTags(v, context.params) ?? [];
  v.throwIfAny();
  let host: string;
  try {
    const parsed = new URL(url ?? '');
    if (parsed.protocol !== 'https:') throw new Error('not https');
    host = `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    throw new AwsError('InvalidInput', `Invalid URL: ${url ?? ''}`);
  }
  const arn = `arn:aws:iam::${context.accountId}:oidc-provider/${host}`;
  context.authorize('iam:CreateOpenIDConnectProvider', arn, tagContext(tags));
  checkTagSemantics(tags, false);
  if (context.state.t.oidcProviders.get(arn))
    throw new AwsError('EntityAlreadyExists', `Provider with url ${url ?? ''} already exists.`);
  context.state.t.oidcProviders.put(arn, {
    accountId: context.accountId,
    arn,
    url: host,
    clientIds,
    thumbprints,
    createDate: context.now.toISOString(),
    tags,
  });
  return el('OpenIDConnectProviderArn', arn) + (tags.length > 0 ? tagsXml(tags) : '');
};

const listOpenIdConnectProviders: Operation = (context) => {
  context.authorize('iam:ListOpenIDConnectProviders', '*');
  const providers = [...context.state.t.oidcProviders.values()].filter(
    (provider) => provider.accountId === context.accountId,
  );
  return members(
    'OpenIDConnectProviderList',
    providers.map((provider) => el('Arn', provider.arn)),
  );
};

const getOpenIdConnectProvider: Operation = (context) => {
  const v = validator();
  const arn = arnParam(v, context.params, 'openIDConnectProviderArn', 'OpenIDConnectProviderArn') ?? '';
  v.throwIfAny();
  context.authorize('iam:GetOpenIDConnectProvider', arn);
  const provider = context.state.t.oidcProviders.get(arn);
  if (!provider || provider.accountId !== context.accountId)
    throw new AwsError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
  return (
    el('Url', provider.url) +
    members('ClientIDList', provider.clientIds.map(escapeXml)) +
    members('ThumbprintList', provider.thumbprints.map(escapeXml)) +
    el('CreateDate', provider.createDate) +
    tagsXml(provider.tags)
  );
};

const createSamlProvider: Operation = (context) => {
  const v = validator();
  const name = context.params.get('Name');
  v.required('name', name);
  v.string('name', name, 1, 128, /^[\w._-]+$/, '[\\w._-]+');
  const metadata = context.params.get('SAMLMetadataDocument');
  v.required('sAMLMetadataDocument', metadata);
  v.string('sAMLMetadataDocument', metadata, 1000, 10_000_000);
  const tags = readTags(v, context.params) ?? [];
  v.throwIfAny();
  const arn = `arn:aws:iam::${context.accountId}:saml-provider/${name ?? ''}`;
  context.authorize('iam:CreateSAMLProvider', arn, tagContext(tags));
  checkTagSemantics(tags, false);
  if (!/<(\w+:)?EntityDescriptor[\s>]/.test(metadata ?? '')) {
    throw new AwsError('InvalidInput', 'Could not parse metadata');
  }
  if (context.state.t.samlProviders.get(arn))
    throw new AwsError('EntityAlreadyExists', `SAMLProvider ${name ?? ''} already exists`);
  const now = context.now;
  context.state.t.samlProviders.put(arn, {
    accountId: context.accountId,
    arn,
    name: name ?? '',
    metadataDocument: metadata ?? '',
    createDate: now.toISOString(),
    validUntil: new Date(now.getTime() + 100 * 365 * 24 * 3600 * 1000).toISOString(),
    tags,
  });
  return el('SAMLProviderArn', arn) + (tags.length > 0 ? tagsXml(tags) : '');
};

const listSamlProviders: Operation = (context) => {
  context.authorize('iam:ListSAMLProviders', '*');
  const providers = [...context.state.t.samlProviders.values()].filter(
    (provider) => provider.accountId === context.accountId,
  );
  return members(
    'SAMLProviderList',
    providers.map(
      (provider) =>
        el('Arn', provider.arn) +
        el('ValidUntil', provider.validUntil) +
        el('CreateDate', provider.createDate),
    ),
  );
};

const getSamlProvider: Operation = (context) => {
  const v = validator();
  const arn = arnParam(v, context.params, 'sAMLProviderArn', 'SAMLProviderArn') ?? '';
  v.throwIfAny();
  context.authorize('iam:GetSAMLProvider', arn);
  const provider = context.state.t.samlProviders.get(arn);
  if (!provider || provider.accountId !== context.accountId) {
    // Design choice (unverified wording), in the shape of GetOpenIDConnectProvider's answer.
    throw new AwsError('NoSuchEntity', `SAMLProvider not found for arn ${arn}`);
  }
  return (
    el('SAMLMetadataDocument', provider.metadataDocument) +
    el('CreateDate', provider.createDate) +
    el('ValidUntil', provider.validUntil) +
    tagsXml(provider.tags)
  );
};

/** The identity-provider operations, by Action name. */
export const providerOperations = {
  CreateOpenIDConnectProvider: createOpenIdConnectProvider,
  GetOpenIDConnectProvider: getOpenIdConnectProvider,
  ListOpenIDConnectProviders: listOpenIdConnectProviders,
  CreateSAMLProvider: createSamlProvider,
  GetSAMLProvider: getSamlProvider,
  ListSAMLProviders: listSamlProviders,
} satisfies Record<string, Operation>;
