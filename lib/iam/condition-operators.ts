/**
 * IAM's condition operators, by how IAM compares values (IAM User Guide, "IAM JSON policy
 * elements: Condition operators"). Each may also take `IfExists`, and the multivalued ones the
 * `ForAnyValue:` / `ForAllValues:` qualifiers. The one list the validator, the emulator's policy
 * check and the visual builder read. Client-safe: no imports.
 */

/** Operator families, by how IAM compares values. */
export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export const CONDITION_OPERATORS_BY_FAMILY: Readonly<Record<OperatorFamily, readonly string[]>> = {
  String: [
    'StringEquals',
    'StringNotEquals',
    'StringEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'StringNotLike',
  ],
  Numeric: [
    'NumericEquals',
    'NumericNotEquals',
    'NumericLessThan',
    'NumericLessThanEquals',
    'NumericGreaterThan',
    'NumericGreaterThanEquals',
  ],
  Date: [
    'DateEquals',
    'DateNotEquals',
    'DateLessThan',
    'DateLessThanEquals',
    'DateGreaterThan',
    'DateGreaterThanEquals',
  ],
  Bool: ['Bool'],
  Binary: ['BinaryEquals'],
  IpAddress: ['IpAddress', 'NotIpAddress'],
  Arn: ['ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike'],
  Null: ['Null'],
};

/** Every base operator (without qualifier or `IfExists`), family by family. */
export const CONDITION_OPERATORS: readonly string[] = Object.values(CONDITION_OPERATORS_BY_FAMILY).flat();
