import type { RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import type { Partition } from '@/lib/iam/trust-entity';

/**
 * Infrastructure as code for a role specification: a CloudFormation template (YAML) and a
 * Terraform configuration (HCL), each creating exactly what Rolesmith would create — the role
 * with its trust policy, path, description, session duration, boundary and tags, the new customer
 * managed policies, the attachments and the inline policies.
 *
 * Both are written by hand (no YAML or HCL library at run time). Every YAML scalar is a
 * double-quoted JSON string, number or boolean (JSON's escapes are valid YAML escapes), so no
 * value can be misread as another type; policy documents are written as YAML mappings, or as
 * strings when their text is not JSON or parsing would change one of its numbers. HCL strings
 * escape `${` and `%{` against interpolation; JSON documents are heredocs (pretty-printed unless
 * that would change a number), other text a quoted string.
 */

export interface IacOptions {
  partition?: Partition;
}

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml } | YamlTag;

/** A tagged YAML node such as `!Ref ManagedPolicy1`. */
class YamlTag {
  constructor(
    readonly tag: string,
    readonly value: string,
  ) {}
}

/** JSON strings (skipped) and numbers, as they appear in a document's text. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * The document's JSON when it is JSON and parsing keeps every number as written, else `null`:
 * JavaScript rounds `12345678901234567890` and rewrites `1.50` as `1.5`, which would no longer be
 * the document Rolesmith sends to IAM.
 */
function exactJson(text: string): Yaml | null {
  let value: Yaml;
  try {
    value = JSON.parse(text) as Yaml;
  } catch {
    return null;
  }
  for (const [token] of text.matchAll(JSON_TOKEN)) {
    if (!token.startsWith('"') && String(Number(token)) !== token) return null;
  }
  return value;
}

/**
 * Parsed JSON when the text is JSON whose numbers survive parsing, else the text itself (a
 * CloudFormation JSON property may be given as a string of JSON).
 */
function documentValue(text: string): Yaml {
  return exactJson(text) ?? text;
}

/** CloudFormation logical ids: letters and digits only, unique. */
function logicalId(prefix: string, index: number): string {
  return `${prefix}${index + 1}`;
}

/**
 * A CloudFormation template (YAML) with one `AWS::IAM::Role` (logical id `Role`) and one
 * `AWS::IAM::ManagedPolicy` per new customer managed policy (`ManagedPolicy1`, …), referenced from
 * the role's `ManagedPolicyArns` with `!Ref`.
 */
export function toCloudFormationYaml(spec: RoleSpec, options: IacOptions = {}): string {
  const roleProperties: Record<string, Yaml> = {
    RoleName: spec.name,
    Path: spec.path,
    AssumeRolePolicyDocument: documentValue(trustPolicyText(spec.trustedEntity, options)),
    MaxSessionDuration: spec.maxSessionDuration,
  };
  if (spec.description !== '') roleProperties.Description = spec.description;
  const managed: Yaml[] = [
    ...spec.managedPolicyArns,
    ...spec.newManagedPolicies.map((_, index) => new YamlTag('!Ref', logicalId('ManagedPolicy', index))),
  ];
  if (managed.length > 0) roleProperties.ManagedPolicyArns = managed;
  if (spec.inlinePolicies.length > 0) {
    roleProperties.Policies = spec.inlinePolicies.map((policy) => ({
      PolicyName: policy.name,
      PolicyDocument: documentValue(policy.document),
    }));
  }
  if (spec.permissionsBoundaryArn !== undefined)
    roleProperties.PermissionsBoundary = spec.permissionsBoundaryArn;
  if (spec.tags.length > 0)
    roleProperties.Tags = spec.tags.map((tag) => ({ Key: tag.key, Value: tag.value }));

  const resources: Record<string, Yaml> = { Role: { Type: 'AWS::IAM::Role', Properties: roleProperties } };
  spec.newManagedPolicies.forEach((policy, index) => {
    const properties: Record<string, Yaml> = {
      ManagedPolicyName: policy.name,
      PolicyDocument: documentValue(policy.document),
    };
    if (policy.description !== '') properties.Description = policy.description;
    resources[logicalId('ManagedPolicy', index)] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: properties,
    };
  });
  const template: Record<string, Yaml> = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `IAM role ${spec.name} for account ${spec.accountId}`,
    Resources: resources,
    Outputs: { RoleArn: { Value: new YamlTag('!GetAtt', 'Role.Arn') } },
  };
  return `${yamlBlock(template, 0).join('\n')}\n`;
}

function yamlScalar(value: string | number | boolean | null): string {
  // JSON.stringify leaves these as they are: YAML forbids DEL, the C1 controls and U+FFFE/U+FFFF
  // unescaped, YAML 1.1 parsers take U+2028 and U+2029 for line breaks (folding them to a space
  // inside quotes), and a BOM inside a document is best not left bare. JSON's \u escape is YAML's.
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function isInline(value: Yaml): boolean {
  return (
    value === null ||
    typeof value !== 'object' ||
    value instanceof YamlTag ||
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

function yamlInline(value: Yaml): string {
  if (value instanceof YamlTag) return `${value.tag} ${value.value}`;
  if (Array.isArray(value)) return '[]';
  if (value !== null && typeof value === 'object') return '{}';
  return yamlScalar(value);
}

function yamlBlock(value: Yaml, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isInline(item)) return [`${pad}- ${yamlInline(item)}`];
      const lines = yamlBlock(item, indent + 2);
      return [`${pad}- ${lines[0]!.trimStart()}`, ...lines.slice(1)];
    });
  }
  if (value !== null && typeof value === 'object' && !(value instanceof YamlTag)) {
    return Object.entries(value).flatMap(([key, item]) =>
      isInline(item)
        ? [`${pad}${yamlScalar(key)}: ${yamlInline(item)}`]
        : [`${pad}${yamlScalar(key)}:`, ...yamlBlock(item, indent + 2)],
    );
  }
  return [`${pad}${yamlInline(value)}`];
}

/**
 * An HCL quoted string: JSON-style escapes plus `$${` and `%%{` so nothing is interpolated. HCL
 * knows JSON's escapes but `\b` and `\f` (Terraform refuses them as invalid escape sequences),
 * so those two are written as `\u` escapes (escaped backslashes are left alone).
 */
export function hclString(value: string): string {
  return JSON.stringify(value)
    .replace(/\\[\\bf]/g, (escape) => (escape === '\\b' ? '\\u0008' : escape === '\\f' ? '\\u000c' : escape))
    .replace(/\$\{/g, '$$$${')
    .replace(/%\{/g, '%%{');
}

/**
 * A heredoc of the document's JSON, pretty-printed (as written when parsing would change a number);
 * text that is not JSON stays a quoted string, byte for byte.
 */
function hclDocument(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    return hclString(text);
  }
  const value = exactJson(text);
  const body = value === null ? text : JSON.stringify(value, null, 2);
  // No line of JSON text is only the marker: outside strings it holds only JSON's own tokens, and
  // a string cannot span lines. Heredocs interpolate but read no backslash escapes.
  return `<<EOT\n${body.replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{')}\nEOT`;
}

/** A resource name for Terraform: lower-case letters, digits and underscores, starting with a letter. */
function terraformName(prefix: string, name: string, index: number): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${prefix}_${index + 1}${cleaned ? `_${cleaned}` : ''}`;
}

function hclBlock(type: string, name: string, attributes: [string, string][]): string {
  const width = Math.max(...attributes.map(([key]) => key.length));
  const body = attributes.map(([key, value]) => `  ${key.padEnd(width)} = ${value}`);
  return `resource "${type}" "${name}" {\n${body.join('\n')}\n}\n`;
}

/**
 * A Terraform configuration (HCL) with `aws_iam_role.this`, an `aws_iam_policy` per new customer
 * managed policy, an `aws_iam_role_policy_attachment` per attached policy, and an
 * `aws_iam_role_policy` per inline policy. Documents are heredoc JSON.
 */
export function toTerraformHcl(spec: RoleSpec, options: IacOptions = {}): string {
  const role: [string, string][] = [
    ['name', hclString(spec.name)],
    ['path', hclString(spec.path)],
  ];
  if (spec.description !== '') role.push(['description', hclString(spec.description)]);
  role.push(['max_session_duration', String(spec.maxSessionDuration)]);
  if (spec.permissionsBoundaryArn !== undefined)
    role.push(['permissions_boundary', hclString(spec.permissionsBoundaryArn)]);
  role.push(['assume_role_policy', hclDocument(trustPolicyText(spec.trustedEntity, options))]);
  if (spec.tags.length > 0) {
    const width = Math.max(...spec.tags.map((tag) => hclString(tag.key).length));
    const entries = spec.tags.map(
      (tag) => `    ${hclString(tag.key).padEnd(width)} = ${hclString(tag.value)}`,
    );
    role.push(['tags', `{\n${entries.join('\n')}\n  }`]);
  }
  const blocks = [hclBlock('aws_iam_role', 'this', role)];

  spec.newManagedPolicies.forEach((policy, index) => {
    const name = terraformName('policy', policy.name, index);
    const attributes: [string, string][] = [['name', hclString(policy.name)]];
    if (policy.description !== '') attributes.push(['description', hclString(policy.description)]);
    attributes.push(['policy', hclDocument(policy.document)]);
    blocks.push(hclBlock('aws_iam_policy', name, attributes));
    blocks.push(
      hclBlock('aws_iam_role_policy_attachment', name, [
        ['role', 'aws_iam_role.this.name'],
        ['policy_arn', `aws_iam_policy.${name}.arn`],
      ]),
    );
  });
  spec.managedPolicyArns.forEach((arn, index) => {
    blocks.push(
      hclBlock(
        'aws_iam_role_policy_attachment',
        terraformName('attachment', arn.slice(arn.lastIndexOf('/') + 1), index),
        [
          ['role', 'aws_iam_role.this.name'],
          ['policy_arn', hclString(arn)],
        ],
      ),
    );
  });
  spec.inlinePolicies.forEach((policy, index) => {
    blocks.push(
      hclBlock('aws_iam_role_policy', terraformName('inline', policy.name, index), [
        ['name', hclString(policy.name)],
        ['role', 'aws_iam_role.this.id'],
        ['policy', hclDocument(policy.document)],
      ]),
    );
  });
  blocks.push('output "role_arn" {\n  value = aws_iam_role.this.arn\n}\n');
  return blocks.join('\n');
}
