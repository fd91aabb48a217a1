/**
 * The validator's finding codes: each code's usual severity and one line on what it means. Data
 * only, with no imports, so the browser may import it (a findings list, the policy editor's
 * markers) without the IAM catalogue or any Node module.
 */

/** Finding severities, most severe first. Errors block submission; security warnings need an approver's acknowledgement. */
export const FINDING_SEVERITIES = ['error', 'security_warning', 'warning', 'suggestion'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/**
 * Every finding code with its usual severity, a short title (for a findings list) and one line on
 * what it means. A few codes are raised with a lower severity where IAM is lenient (noted in the
 * summary).
 */
export const FINDING_CODES = {
  json_syntax: {
    severity: 'error',
    title: 'Not valid JSON',
    summary: 'The text is not valid JSON; the position of the first syntax error is given.',
  },
  invalid_character: {
    severity: 'error',
    title: 'Character not allowed',
    summary: 'A character outside the set IAM accepts (tab, CR, LF, U+0020–U+00FF).',
  },
  document_not_object: {
    severity: 'error',
    title: 'Not a policy object',
    summary: 'The document is not a JSON object.',
  },
  unknown_element: {
    severity: 'error',
    title: 'Unknown element',
    summary:
      'An element IAM does not know (top level: Version, Id, Statement; statement: Sid, Effect, Principal, Action, Resource, Condition and their Not forms).',
  },
  invalid_element_type: {
    severity: 'error',
    title: 'Wrong type of value',
    summary: 'An element has the wrong JSON type (e.g. a number where a string or list of strings belongs).',
  },
  empty_value: {
    severity: 'error',
    title: 'Empty value',
    summary: 'An empty string or empty list where IAM needs a value.',
  },
  duplicate_key: {
    severity: 'error',
    title: 'Key written twice',
    summary: 'The same key appears twice in one JSON object; IAM would use only one of them.',
  },
  unknown_version: {
    severity: 'error',
    title: 'Unknown Version',
    summary: 'Version is neither 2012-10-17 nor 2008-10-17.',
  },
  missing_version: {
    severity: 'warning',
    title: 'No Version',
    summary:
      'No Version: IAM then reads the policy as 2008-10-17, without policy variables (Access Analyzer: Missing version).',
  },
  legacy_version: {
    severity: 'suggestion',
    title: 'Old Version 2008-10-17',
    summary: 'Version 2008-10-17 is valid but supports no policy variables: prefer 2012-10-17.',
  },
  variable_unsupported_in_version: {
    severity: 'error',
    title: 'Variable needs Version 2012-10-17',
    summary:
      'A policy variable under Version 2008-10-17 or without a Version, where IAM reads it as literal text (Access Analyzer: Variable unsupported in version).',
  },
  variable_unsupported_in_element: {
    severity: 'error',
    title: 'Variable where IAM takes none',
    summary:
      'A policy variable in Action or Principal, where IAM reads it as literal text (Access Analyzer: Variable unsupported in element).',
  },
  variable_invalid_for_operator: {
    severity: 'error',
    title: 'Variable with a non-string operator',
    summary:
      'A policy variable in the value of a Numeric, Date, Bool, Binary, IpAddress or Null condition; only String and Arn operators take variables (Access Analyzer: Invalid variable for operator).',
  },
  variable_missing_brace: {
    severity: 'error',
    title: 'Variable without closing brace',
    summary: 'A policy variable ${… with no closing } (Access Analyzer: Missing brace in variable).',
  },
  variable_missing_quote: {
    severity: 'error',
    title: 'Default value not quoted',
    summary:
      "A policy variable's default value not in single quotes: ${name, 'default'} (Access Analyzer: Missing quote in variable).",
  },
  variable_space: {
    severity: 'error',
    title: 'Space in a variable name',
    summary: "A space inside a policy variable's name (Access Analyzer: Unsupported space in variable).",
  },
  variable_empty: {
    severity: 'error',
    title: 'Empty variable',
    summary: 'An empty policy variable ${} (Access Analyzer: Empty variable).',
  },
  variable_unsupported_symbol: {
    severity: 'error',
    title: 'Symbol not allowed in a variable',
    summary:
      "A symbol a policy variable's name cannot contain, e.g. ${aws:user!name} (Access Analyzer: Unsupported symbol in variable).",
  },
  missing_statement: {
    severity: 'error',
    title: 'No statements',
    summary: 'No Statement, or an empty list of statements.',
  },
  missing_effect: { severity: 'error', title: 'No Effect', summary: 'A statement without Effect.' },
  invalid_effect: {
    severity: 'error',
    title: 'Invalid Effect',
    summary: 'Effect is not exactly Allow or Deny (IAM is case-sensitive here).',
  },
  missing_action: {
    severity: 'error',
    title: 'No Action',
    summary: 'A statement without Action or NotAction.',
  },
  missing_resource: {
    severity: 'error',
    title: 'No Resource',
    summary: 'An identity or boundary statement without Resource or NotResource.',
  },
  conflicting_elements: {
    severity: 'error',
    title: 'Conflicting elements',
    summary:
      'Both Action and NotAction (or Resource and NotResource, Principal and NotPrincipal) in one statement.',
  },
  invalid_sid: {
    severity: 'error',
    title: 'Invalid Sid',
    summary: 'Sid has characters other than letters and digits (a warning in trust policies).',
  },
  duplicate_sid: { severity: 'error', title: 'Sid used twice', summary: 'Two statements share a Sid.' },
  principal_not_allowed: {
    severity: 'error',
    title: 'Principal not allowed here',
    summary: 'Principal or NotPrincipal in an identity or boundary policy.',
  },
  policy_too_large: {
    severity: 'error',
    title: 'Policy too large',
    summary:
      'The policy exceeds its size quota (managed 6,144, inline aggregate 10,240, trust 2,048; whitespace not counted).',
  },
  invalid_action_format: {
    severity: 'error',
    title: 'Malformed action',
    summary:
      'An action without a service prefix, with two colons, or with characters a service prefix cannot have.',
  },
  unknown_service: {
    severity: 'error',
    title: 'Unknown service',
    summary: 'The service prefix of an action is not in the IAM catalogue.',
  },
  unknown_action: {
    severity: 'error',
    title: 'Unknown action',
    summary: 'The action does not exist in its service (names are case-insensitive).',
  },
  action_wildcard_matches_nothing: {
    severity: 'error',
    title: 'Action pattern matches nothing',
    summary: 'An action pattern with a wildcard matches no action of the service.',
  },
  action_matches_no_resource: {
    severity: 'warning',
    title: 'Action fits no resource',
    summary:
      'An action applies to none of the statement\'s resources (e.g. it supports only "*"), so the statement does not apply to it.',
  },
  redundant_action: {
    severity: 'suggestion',
    title: 'Redundant action',
    summary: 'An action listed twice or already covered by a wildcard in the same statement.',
  },
  invalid_arn: {
    severity: 'error',
    title: 'Malformed ARN',
    summary:
      'A malformed resource ARN (too few parts, bad partition, region in an IAM or S3 ARN, unknown IAM resource path).',
  },
  resource_matches_no_action: {
    severity: 'warning',
    title: 'Resource fits no action',
    summary:
      "A resource fits no resource type of the services of the statement's actions (wrong service or malformed path), so it has no effect.",
  },
  resource_type_mismatch: {
    severity: 'warning',
    title: 'Resource type does not fit the actions',
    summary:
      "A resource is of a type the service has, but none of the statement's actions take it (e.g. a bucket ARN with s3:GetObject).",
  },
  redundant_resource: {
    severity: 'suggestion',
    title: 'Redundant resource',
    summary: 'A resource listed twice or already covered by a wildcard in the same statement.',
  },
  unknown_condition_operator: {
    severity: 'error',
    title: 'Unknown condition operator',
    summary: 'A condition operator IAM does not know (a warning when its body is empty, which IAM accepts).',
  },
  unknown_condition_key: {
    severity: 'error',
    title: 'Unknown condition key',
    summary: 'A condition key that is neither global nor defined by its service.',
  },
  condition_key_not_supported: {
    severity: 'error',
    title: 'Condition key not supported by the actions',
    summary:
      "A service condition key that actions of the statement (named without wildcards) do not support (Access Analyzer: Unsupported action for condition key); a warning unless no action supports it and none is of the key's service.",
  },
  multiple_bool_values: {
    severity: 'error',
    title: 'Several Boolean values',
    summary:
      'A Bool condition with a list of values; a Boolean key takes one (Access Analyzer: Invalid condition multiple Boolean).',
  },
  duplicate_condition_key_case: {
    severity: 'error',
    title: 'Condition key twice in different case',
    summary:
      'The same condition key twice in one operator with different capitalisation; key names are not case-sensitive (Access Analyzer: Duplicate keys with different case).',
  },
  private_ip_address: {
    severity: 'error',
    title: 'Private addresses in aws:SourceIp',
    summary:
      'IpAddress on aws:SourceIp with only private ranges, which never match: aws:SourceIp holds public addresses (Access Analyzer: Private IP address).',
  },
  private_not_ip_address: {
    severity: 'error',
    title: 'NotIpAddress with private addresses only',
    summary:
      'NotIpAddress on aws:SourceIp with only private ranges, which always matches (Access Analyzer: Private NotIpAddress).',
  },
  private_ip_address_subset: {
    severity: 'suggestion',
    title: 'Some private addresses in aws:SourceIp',
    summary:
      'IpAddress on aws:SourceIp with public and private ranges; the private ones never match (Access Analyzer: Private IP address subset).',
  },
  private_not_ip_address_subset: {
    severity: 'suggestion',
    title: 'NotIpAddress with some private addresses',
    summary:
      'NotIpAddress on aws:SourceIp with public and private ranges; excluding the private ones has no effect (Access Analyzer: Private NotIpAddress subset).',
  },
  invalid_condition_value: {
    severity: 'error',
    title: 'Invalid condition value',
    summary:
      'A condition value of the wrong type for its operator (Bool, Numeric, Date, IpAddress, Arn, Binary, Null); a warning for Numeric operators, which IAM accepts (Access Analyzer: Type mismatch number).',
  },
  operator_type_mismatch: {
    severity: 'warning',
    title: 'Operator does not fit the key',
    summary: "The operator does not fit the condition key's type (e.g. NumericEquals on an IP address key).",
  },
  set_operator_on_single_valued_key: {
    severity: 'warning',
    title: 'Set operator on a single-valued key',
    summary: 'ForAllValues/ForAnyValue used with a single-valued condition key.',
  },
  missing_set_operator: {
    severity: 'warning',
    title: 'Multivalued key without a set operator',
    summary: "A service's multivalued condition key used without ForAllValues/ForAnyValue.",
  },
  missing_qualifier: {
    severity: 'error',
    title: 'Missing qualifier',
    summary:
      'A global multivalued condition key (aws:TagKeys, aws:CalledVia, …) used without ForAllValues/ForAnyValue (Access Analyzer: Missing qualifier).',
  },
  allow_with_not_action: {
    severity: 'security_warning',
    title: 'Allow with NotAction',
    summary: 'Allow with NotAction grants every other action, including those added to AWS later.',
  },
  allow_with_not_resource: {
    severity: 'security_warning',
    title: 'Allow with NotResource',
    summary: 'Allow with NotResource grants every other resource, including new ones.',
  },
  redundant_statement: {
    severity: 'warning',
    title: 'Redundant statement',
    summary: 'A statement whose access another statement already grants or denies in full.',
  },
  boundary_no_allow: {
    severity: 'warning',
    title: 'Boundary allows nothing',
    summary: 'A permissions boundary without an Allow statement lets the role do nothing.',
  },
  invalid_service_principal: {
    severity: 'error',
    title: 'Malformed service principal',
    summary:
      'A Service principal that is not a service host name such as lambda.amazonaws.com (Access Analyzer: Invalid service principal format).',
  },
  trust_roles_anywhere_missing_action: {
    severity: 'error',
    title: 'Roles Anywhere needs more actions',
    summary:
      'A trust statement for rolesanywhere.amazonaws.com without all of sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity (Access Analyzer: Missing action for roles anywhere trust policy).',
  },
  invalid_external_id: {
    severity: 'error',
    title: 'External ID that cannot be sent',
    summary:
      'An sts:ExternalId value AssumeRole can never send (2 to 1,224 characters of letters, digits and +=,.@:/-), so the role cannot be assumed.',
  },
  invalid_principal: {
    severity: 'error',
    title: 'Invalid principal',
    summary: 'A malformed principal (bad account id or ARN, wildcard inside an ARN, unknown principal type).',
  },
  trust_missing_principal: {
    severity: 'error',
    title: 'No Principal',
    summary: 'A trust-policy statement without Principal.',
  },
  trust_not_principal: {
    severity: 'error',
    title: 'NotPrincipal in a trust policy',
    summary: 'NotPrincipal in a trust policy (IAM does not support it there).',
  },
  trust_resource_not_allowed: {
    severity: 'error',
    title: 'Resource in a trust policy',
    summary: 'Resource or NotResource in a trust policy.',
  },
  trust_action_not_allowed: {
    severity: 'error',
    title: 'Action not allowed in a trust policy',
    summary:
      'A trust-policy action other than sts:AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity, TagSession, SetSourceIdentity, SetContext.',
  },
  trust_action_wildcard: {
    severity: 'warning',
    title: 'Wildcard action in a trust policy',
    summary: 'A wildcard action in a trust policy; list the assume actions explicitly.',
  },
  trust_federated_action_mismatch: {
    severity: 'error',
    title: 'Assume action does not fit the principal',
    summary:
      'The assume action does not fit the principal (SAML needs AssumeRoleWithSAML, OIDC AssumeRoleWithWebIdentity, accounts and services AssumeRole).',
  },
  trust_oidc_missing_audience: {
    severity: 'security_warning',
    title: 'No audience condition',
    summary: 'An OIDC or web identity principal without a condition on its audience (aud, or app_id).',
  },
  trust_oidc_missing_subject: {
    severity: 'security_warning',
    title: 'No subject condition',
    summary:
      'An OIDC provider principal without a condition on the subject (sub), so any identity of that provider may assume the role.',
  },
  trust_public_principal: {
    severity: 'security_warning',
    title: 'Anyone can assume the role',
    summary: 'Principal "*" (or AWS "*") without conditions: anyone can assume the role.',
  },
  trust_third_party_missing_external_id: {
    severity: 'security_warning',
    title: 'Third party without an external ID',
    summary:
      "A third party's account may assume the role without an sts:ExternalId condition (confused deputy).",
  },
} as const satisfies Record<string, { severity: FindingSeverity; title: string; summary: string }>;

export type FindingCode = keyof typeof FINDING_CODES;
