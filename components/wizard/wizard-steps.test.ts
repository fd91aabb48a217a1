import { describe, expect, it } from 'vitest';
import {
  draftTitle,
  errorsOfStep,
  fieldDomId,
  mergeErrors,
  stepTitle,
  summaryEntries,
  toStepId,
  visibleErrors,
} from '@/components/wizard/wizard-steps';
import { emptyWizardState } from '@/lib/wizard/state';

const errors = {
  _form: ['The request could not be read'],
  'awsAccount.accountId': ['Account ID must be 12 digits'],
  'customPolicies.p1.document': ['Unknown action s3:GetObjekt'],
  name: ['Enter a role name'],
  'tags.1.key': ['Tag keys may not start with aws:'],
  justification: [],
};

describe('visibleErrors', () => {
  it('shows nothing before anything is touched or revealed', () => {
    expect(visibleErrors(errors, new Map(), new Set())).toEqual({});
  });

  it('shows a touched field, and fields under a touched parent', () => {
    expect(
      visibleErrors(
        errors,
        new Map([
          ['name', 3],
          ['tags', 2],
        ]),
        new Set(),
        3,
      ),
    ).toEqual({
      name: ['Enter a role name'],
      'tags.1.key': ['Tag keys may not start with aws:'],
    });
  });

  it('waits, for a touched field, for errors about the state it was left in (no stale error flashes)', () => {
    expect(visibleErrors(errors, new Map([['name', 5]]), new Set(), 4)).toEqual({});
    expect(visibleErrors(errors, new Map([['name', 5]]), new Set(), 5)).toEqual({
      name: ['Enter a role name'],
    });
  });

  it('does not treat a field whose name merely starts alike as under it', () => {
    expect(visibleErrors({ nameSuffix: ['x'] }, new Map([['name', 0]]), new Set())).toEqual({});
  });

  it('shows every error of a revealed step, and the whole-request errors, never empty lists', () => {
    expect(visibleErrors(errors, new Map(), new Set(['trust']))).toEqual({
      _form: ['The request could not be read'],
      'awsAccount.accountId': ['Account ID must be 12 digits'],
    });
  });
});

describe('errorsOfStep and summaryEntries', () => {
  it('sorts fields into their steps', () => {
    expect(Object.keys(errorsOfStep(errors, 'trust'))).toEqual(['awsAccount.accountId']);
    expect(Object.keys(errorsOfStep(errors, 'permissions'))).toEqual(['customPolicies.p1.document']);
    expect(Object.keys(errorsOfStep(errors, 'review'))).toEqual(['name', 'tags.1.key']);
  });

  it('lists whole-request errors first (without a link), then each step in order', () => {
    expect(summaryEntries(errors)).toEqual([
      { field: null, step: null, message: 'The request could not be read' },
      { field: 'awsAccount.accountId', step: 'trust', message: 'Account ID must be 12 digits' },
      { field: 'customPolicies.p1.document', step: 'permissions', message: 'Unknown action s3:GetObjekt' },
      { field: 'name', step: 'review', message: 'Enter a role name' },
      { field: 'tags.1.key', step: 'review', message: 'Tag keys may not start with aws:' },
    ]);
  });
});

describe('mergeErrors', () => {
  it('joins the messages of a field without repeats', () => {
    expect(mergeErrors({ name: ['a'], path: ['p'] }, { name: ['a', 'b'], tags: ['t'] })).toEqual({
      name: ['a', 'b'],
      path: ['p'],
      tags: ['t'],
    });
  });
});

describe('fieldDomId, step names and draft titles', () => {
  it.each([
    ['name', 'wizard-name'],
    ['tags.2.key', 'wizard-tags-2-key'],
    [
      'flagJustifications.passrole@customPolicies.p1#/Statement/0',
      'wizard-flagJustifications-passrole-customPolicies-p1--Statement-0',
    ],
  ])('%s → %s', (field, id) => {
    expect(fieldDomId(field)).toBe(id);
  });

  it('names steps as the console does, and reads an unknown stored step as the first', () => {
    expect(stepTitle('review')).toBe('Name, review, and create');
    expect(toStepId('permissions')).toBe('permissions');
    expect(toStepId('somewhere')).toBe('trust');
    expect(toStepId(null)).toBe('trust');
  });

  it('titles a draft by its role name, else by its trusted entity type and account', () => {
    const state = emptyWizardState('444455556666');
    expect(draftTitle(state, 'acme-production')).toBe('AWS account role in acme-production (no name yet)');
    expect(draftTitle({ ...state, entity: 'saml' }, undefined)).toBe(
      'SAML 2.0 federation role (no name yet)',
    );
    expect(draftTitle({ ...state, name: '  DataDev ' }, 'acme-production')).toBe('DataDev');
  });
});
