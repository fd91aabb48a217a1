import { describe, expect, it } from 'vitest';
import { formDataToObject, maxFormIndex } from '@/lib/form-data';

function form(entries: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe('formDataToObject', () => {
  it('keeps plain names as properties with the values as sent', () => {
    expect(
      formDataToObject(
        form([
          ['roleName', 'deployer'],
          ['maxSession', '3600'],
        ]),
      ),
    ).toEqual({
      roleName: 'deployer',
      maxSession: '3600',
    });
  });

  it('nests dotted names, indexing arrays by whole-number segments', () => {
    const input = formDataToObject(
      form([
        ['tags.0.key', 'team'],
        ['tags.0.value', 'core'],
        ['tags.2.key', 'cost-center'],
        ['approvals.default', '1'],
        ['statements.0.actions.1', 's3:GetObject'],
      ]),
    );
    expect(input).toEqual({
      tags: [{ key: 'team', value: 'core' }, undefined, { key: 'cost-center' }],
      approvals: { default: '1' },
      statements: [{ actions: [undefined, 's3:GetObject'] }],
    });
    // No holes: the missing row is present, so a parser visits it.
    expect(Object.keys(input.tags as unknown[])).toEqual(['0', '1', '2']);
  });

  it('gives a repeated name all of its values, in order', () => {
    expect(
      formDataToObject(
        form([
          ['acknowledged', 'a'],
          ['acknowledged', 'b'],
          ['acknowledged', 'c'],
          ['one', 'x'],
        ]),
      ),
    ).toEqual({ acknowledged: ['a', 'b', 'c'], one: 'x' });
  });

  it("keeps files, and drops Next's action fields, prototype names, empty segments and conflicts", () => {
    const file = new Blob(['{}'], { type: 'application/json' });
    const input = formDataToObject(
      form([
        ['$ACTION_ID_abc', ''],
        ['$ACTION_REF_1', ''],
        ['__proto__.polluted', 'yes'],
        ['a.constructor.prototype.polluted', 'yes'],
        ['tags..key', 'x'],
        ['name', 'first'],
        ['name.inner', 'conflict'],
        ['list.0', 'item'],
        ['list.key', 'conflict'],
        ['policy', file],
      ]),
    );
    expect(Object.keys(input)).toEqual(['name', 'list', 'policy']);
    expect(input.name).toBe('first');
    expect(input.list).toEqual(['item']);
    expect(input.policy).toBeInstanceOf(Blob);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`refuses an index past ${maxFormIndex}, so a name cannot allocate a huge array`, () => {
    expect(
      formDataToObject(
        form([
          [`tags.${maxFormIndex + 1}.key`, 'x'],
          ['tags.1.key', 'y'],
        ]),
      ),
    ).toEqual({
      tags: [undefined, { key: 'y' }],
    });
  });
});
