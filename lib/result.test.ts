import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formErrorKey, invalidInput, zodFieldErrors } from '@/lib/result';

const roleSchema = z
  .object({
    roleName: z.string().min(1, 'Enter a role name'),
    tags: z.array(z.object({ key: z.string().min(1, 'Enter the tag key'), value: z.string() })),
    statements: z.array(z.object({ actions: z.array(z.string()).min(1, 'Choose at least one action') })),
  })
  .refine((role) => role.roleName !== role.tags[0]?.key, 'The role name and the first tag key must differ');

function errorOf(schema: z.ZodType, input: unknown): z.ZodError {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return parsed.error;
}

describe('zodFieldErrors', () => {
  it('keys each message by the dotted path of its input, in zod order', () => {
    const error = errorOf(roleSchema, {
      roleName: '',
      tags: [
        { key: 'a', value: '' },
        { key: 'b', value: '' },
        { key: '', value: '' },
      ],
      statements: [{ actions: [] }],
    });
    expect(zodFieldErrors(error)).toEqual({
      roleName: ['Enter a role name'],
      'tags.2.key': ['Enter the tag key'],
      'statements.0.actions': ['Choose at least one action'],
    });
  });

  it('puts an issue of the whole input under the form key, and several messages of one input together', () => {
    const error = errorOf(roleSchema, { roleName: 'x', tags: [{ key: 'x', value: '' }], statements: [] });
    expect(zodFieldErrors(error)).toEqual({
      [formErrorKey]: ['The role name and the first tag key must differ'],
    });
    expect(formErrorKey).toBe('_form');
    const twice = errorOf(
      z.object({
        name: z
          .string()
          .min(3, 'Too short')
          .regex(/^[a-z]+$/, 'Lower-case letters only'),
      }),
      { name: 'A' },
    );
    expect(zodFieldErrors(twice)).toEqual({ name: ['Too short', 'Lower-case letters only'] });
  });

  it('prefixes keys, and a root issue takes the prefix itself', () => {
    const error = errorOf(z.object({ name: z.string() }), { name: 1 });
    expect(Object.keys(zodFieldErrors(error, { prefix: 'spec' }))).toEqual(['spec.name']);
    expect(Object.keys(zodFieldErrors(errorOf(z.string(), 1), { prefix: 'spec' }))).toEqual(['spec']);
  });

  it('keys an item of a list typed in one text box to the list, naming the item', () => {
    const schema = z.object({
      actions: z.array(z.string().regex(/^\w+:\w+$/, 'Not an action')),
      tags: z.array(z.object({ values: z.array(z.string().max(3, 'Too long')) })),
    });
    const input = { actions: ['iam:GetRole', 'nope'], tags: [{ values: ['ok', 'toolong'] }] };
    expect(
      zodFieldErrors(errorOf(schema, input), { textLists: ['actions', 'tags.*.values'], input }),
    ).toEqual({
      actions: ['nope: Not an action'],
      'tags.0.values': ['toolong: Too long'],
    });
  });

  it('invalidInput is an invalid_input failure carrying them', () => {
    const error = errorOf(z.object({ name: z.string().min(1, 'Enter a name') }), { name: '' });
    expect(invalidInput(error)).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'Check the highlighted fields.',
      fieldErrors: { name: ['Enter a name'] },
    });
    expect(invalidInput(error, 'Check the filters.')).toMatchObject({ message: 'Check the filters.' });
  });
});
