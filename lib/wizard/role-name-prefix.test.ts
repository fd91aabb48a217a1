import { describe, expect, it } from 'vitest';
import { servicePresets } from '@/lib/iam/service-presets';
import { roleNamePrefixNotes, roleNamePrefixWarnings } from '@/lib/wizard/role-name-prefix';
import { emptyWizardState, type WizardState } from '@/lib/wizard/state';

function serviceState(presetIds: string[], name: string, path = '/'): WizardState {
  const state = emptyWizardState('111122223333');
  return { ...state, entity: 'aws_service', awsService: { ...state.awsService, presetIds }, name, path };
}

describe('roleNamePrefixNotes', () => {
  it('notes the prefix of a chosen use case, and whether the name meets it', () => {
    const [note] = roleNamePrefixNotes(serviceState(['glue'], 'etl-crawler'), servicePresets);
    expect(note).toMatchObject({
      presetId: 'glue',
      useCase: 'Glue',
      text: 'Role name must start with AWSGlueServiceRole for AWSGlueConsoleFullAccess to pass it',
      met: false,
    });
    expect(
      roleNamePrefixNotes(serviceState(['glue'], 'AWSGlueServiceRole-etl'), servicePresets)[0]?.met,
    ).toBe(true);
  });

  it('checks the path when the policy allows only some', () => {
    const at = (path: string) =>
      roleNamePrefixNotes(serviceState(['states'], 'StatesExecutionRole-orders', path), servicePresets)[0]
        ?.met;
    expect(at('/')).toBe(false);
    expect(at('/service-role/')).toBe(true);
  });

  it('says nothing for use cases without a prefix, another trusted entity, or a change', () => {
    expect(roleNamePrefixNotes(serviceState(['lambda', 'ec2'], 'x'), servicePresets)).toEqual([]);
    expect(
      roleNamePrefixNotes({ ...serviceState(['glue'], 'x'), entity: 'aws_account' }, servicePresets),
    ).toEqual([]);
    expect(roleNamePrefixNotes({ ...serviceState(['glue'], 'x'), changeOf: 'x' }, servicePresets)).toEqual(
      [],
    );
  });

  it('notes each chosen use case with a prefix, in the order chosen', () => {
    const notes = roleNamePrefixNotes(serviceState(['states', 'lambda', 'glue'], ''), servicePresets);
    expect(notes.map((note) => note.presetId)).toEqual(['states', 'glue']);
  });
});

describe('roleNamePrefixWarnings', () => {
  const warnings = (state: WizardState) =>
    roleNamePrefixWarnings(roleNamePrefixNotes(state, servicePresets), state.name, state.path).map(
      (warning) => warning.text,
    );

  it('warns (beside the name) only once a name is typed and does not meet the prefix', () => {
    expect(warnings(serviceState(['glue'], ''))).toEqual([]);
    expect(warnings(serviceState(['glue'], 'etl'))).toEqual([
      'Glue: the name does not start with AWSGlueServiceRole, so AWSGlueConsoleFullAccess cannot pass this role to Glue. The name is allowed all the same.',
    ]);
    expect(warnings(serviceState(['glue'], 'AWSGlueServiceRoleEtl'))).toEqual([]);
  });

  it('says whether the name, the path or both are off', () => {
    expect(warnings(serviceState(['states'], 'StatesExecutionRole-x', '/'))).toEqual([
      'Step Functions: the path is not /service-role/, so AWSStepFunctionsConsoleFullAccess cannot pass this role to Step Functions. The name is allowed all the same.',
    ]);
    expect(warnings(serviceState(['states'], 'orders', '/'))[0]).toContain(
      'the name does not start with StatesExecutionRole on path /service-role/,',
    );
    expect(warnings(serviceState(['states'], 'orders', '/service-role/'))[0]).toContain(
      'the name does not start with StatesExecutionRole,',
    );
  });
});
