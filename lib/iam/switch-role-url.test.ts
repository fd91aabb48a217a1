import { describe, expect, it } from 'vitest';
import { displayNameError, switchRoleUrl } from '@/lib/iam/switch-role-url';

const page = 'https://signin.aws.amazon.com/switchrole';

describe('switchRoleUrl', () => {
  it.each([
    {
      name: 'every parameter, spaces as %20',
      params: {
        account: '444455556666',
        roleName: 'team/DataDev',
        displayName: 'Data @ prod',
        color: 'b7ca9d',
      },
      url: `${page}?account=444455556666&roleName=team%2FDataDev&displayName=Data%20%40%20prod&color=B7CA9D`,
    },
    {
      name: 'a colour outside the palette is left out',
      params: { account: '444455556666', roleName: 'DataDev', displayName: 'DataDev', color: '123456' },
      url: `${page}?account=444455556666&roleName=DataDev&displayName=DataDev`,
    },
    {
      name: 'another page (the sandbox) keeps the same query',
      params: { account: '444455556666', roleName: 'DataDev', displayName: 'D', color: '#F2B0A9' },
      page: '/sandbox/switchrole',
      url: '/sandbox/switchrole?account=444455556666&roleName=DataDev&displayName=D&color=F2B0A9',
    },
  ])('$name', ({ params, url, ...rest }) => {
    expect(switchRoleUrl(rest.page ?? page, params)).toBe(url);
  });
});

describe('displayNameError', () => {
  it.each([
    ['', null],
    ['x'.repeat(64), null],
    ['x'.repeat(65), 'Display name must be at most 64 characters (it has 65).'],
  ])('%s', (displayName, message) => {
    expect(displayNameError(displayName)).toBe(message);
  });
});
