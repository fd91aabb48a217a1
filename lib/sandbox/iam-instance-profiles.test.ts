import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  GetAccountSummaryCommand,
  GetInstanceProfileCommand,
  ListInstanceProfileTagsCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  UntagInstanceProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient as IamClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandaloneEmulator } from '@/lib/sandbox/node-server';
import { allow, doc, expectAwsError, startHarness, type Harness } from '@/lib/sandbox/test-harness';

let harness: Harness;
let iam: IAMClient;
const account = '111122223333';
const ec2Trust = doc({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

beforeAll(async () => {
  harness = await startHarness({ quotas: { instanceProfilesPerAccount: 6 } });
  iam = harness.iam();
});

afterAll(async () => {
  await harness.close();
});

const createRole = (name: string) =>
  iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ec2Trust }));

describe('CreateInstanceProfile and GetInstanceProfile', () => {
  it("creates a profile with no role and returns IAM's fields, tags included", async () => {
    const created = await iam.send(
      new CreateInstanceProfileCommand({
        InstanceProfileName: 'web-server',
        Path: '/apps/',
        Tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    const profile = created.InstanceProfile!;
    expect(profile).toMatchObject({
      InstanceProfileName: 'web-server',
      Path: '/apps/',
      Arn: `arn:aws:iam::${account}:instance-profile/apps/web-server`,
      Roles: [],
      Tags: [{ Key: 'team', Value: 'web' }],
    });
    expect(profile.InstanceProfileId).toMatch(/^AIPA[A-Z2-7]{17}$/);
    expect(profile.CreateDate).toBeInstanceOf(Date);
    const read = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'WEB-SERVER' })))
      .InstanceProfile!;
    expect(read).toEqual(profile);
  });

  it('refuses a name taken in any case, a bad name or path, and a missing profile', async () => {
    await expectAwsError(
      iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'Web-Server' })),
      'EntityAlreadyExists',
      409,
      'Instance Profile Web-Server already exists.',
    );
    await expectAwsError(
      iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'has space' })),
      'ValidationError',
      400,
      /instanceProfileName.*regular expression pattern: \[\\w\+=,\.@-\]\+/,
    );
    await expectAwsError(
      iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'x'.repeat(129) })),
      'ValidationError',
      400,
      /length less than or equal to 128/,
    );
    await expectAwsError(
      iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'no-slash', Path: 'apps' })),
      'ValidationError',
      400,
      /path/,
    );
    await expectAwsError(
      iam.send(
        new CreateInstanceProfileCommand({
          InstanceProfileName: 'reserved-tag',
          Tags: [{ Key: 'aws:x', Value: 'y' }],
        }),
      ),
      'InvalidInput',
      400,
    );
    await expectAwsError(
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'missing' })),
      'NoSuchEntity',
      404,
      'Instance Profile missing cannot be found.',
    );
  });
});

describe('roles in instance profiles', () => {
  it('adds one role, refuses a second (and the same again), lists profiles for the role, removes it', async () => {
    await createRole('web-role');
    await createRole('other-role');
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-role' }));
    await iam.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-role', RoleName: 'web-role' }),
    );
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-role' })))
      .InstanceProfile!;
    expect(profile.Roles).toHaveLength(1);
    const role = profile.Roles![0]!;
    expect(role).toMatchObject({
      RoleName: 'web-role',
      Path: '/',
      Arn: `arn:aws:iam::${account}:role/web-role`,
    });
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(ec2Trust);
    for (const name of ['other-role', 'web-role']) {
      await expectAwsError(
        iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-role', RoleName: name })),
        'LimitExceeded',
        409,
        'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
      );
    }
    await expectAwsError(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-role', RoleName: 'nobody' })),
      'NoSuchEntity',
      404,
      'The role with name nobody cannot be found.',
    );
    await expectAwsError(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'nothing', RoleName: 'web-role' })),
      'NoSuchEntity',
      404,
      'Instance Profile nothing cannot be found.',
    );

    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'web-role' }));
    expect(forRole.InstanceProfiles!.map((item) => item.InstanceProfileName)).toEqual(['web-role']);
    expect(forRole.IsTruncated).toBe(false);
    expect(
      (await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'other-role' }))).InstanceProfiles,
    ).toEqual([]);
    await expectAwsError(
      iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nobody' })),
      'NoSuchEntity',
      404,
    );

    // Neither the role nor the profile can be deleted while the role is in it.
    await expectAwsError(
      iam.send(new DeleteRoleCommand({ RoleName: 'web-role' })),
      'DeleteConflict',
      409,
      'Cannot delete entity, must remove roles from instance profile first.',
    );
    await expectAwsError(
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-role' })),
      'DeleteConflict',
      409,
      'Cannot delete entity, must remove roles from instance profile first.',
    );
    await expectAwsError(
      iam.send(
        new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web-role', RoleName: 'other-role' }),
      ),
      'NoSuchEntity',
      404,
    );
    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web-role', RoleName: 'web-role' }),
    );
    expect(
      (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-role' }))).InstanceProfile!
        .Roles,
    ).toEqual([]);
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-role' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'web-role' }));
    await expectAwsError(
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-role' })),
      'NoSuchEntity',
      404,
      'Instance Profile web-role cannot be found.',
    );
  });

  it('refuses a service-linked role', async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'support-profile' }));
    await expectAwsError(
      iam.send(
        new AddRoleToInstanceProfileCommand({
          InstanceProfileName: 'support-profile',
          RoleName: 'AWSServiceRoleForSupport',
        }),
      ),
      'UnmodifiableEntity',
      400,
    );
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'support-profile' }));
  });
});

describe('ListInstanceProfiles', () => {
  it('lists by path prefix in name order, in pages, without tags', async () => {
    for (const name of ['b-list', 'a-list', 'c-list']) {
      await iam.send(
        new CreateInstanceProfileCommand({
          InstanceProfileName: name,
          Path: '/listed/',
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      );
    }
    const first = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/listed/', MaxItems: 2 }));
    expect(first.InstanceProfiles!.map((item) => item.InstanceProfileName)).toEqual(['a-list', 'b-list']);
    expect(first.IsTruncated).toBe(true);
    expect(first.InstanceProfiles![0]!.Tags).toBeUndefined();
    const second = await iam.send(
      new ListInstanceProfilesCommand({ PathPrefix: '/listed/', Marker: first.Marker }),
    );
    expect(second.InstanceProfiles!.map((item) => item.InstanceProfileName)).toEqual(['c-list']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    const all = await iam.send(new ListInstanceProfilesCommand({}));
    expect(all.InstanceProfiles!.map((item) => item.InstanceProfileName)).toContain('web-server');
  });

  it('counts instance profiles in the account summary and refuses one beyond the quota', async () => {
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    // web-server and the three listed ones; the test quota is 6.
    expect(summary.InstanceProfiles).toBe(4);
    expect(summary.InstanceProfilesQuota).toBe(6);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'fifth' }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'sixth' }));
    await expectAwsError(
      iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'seventh' })),
      'LimitExceeded',
      409,
      'Cannot exceed quota for InstanceProfilesPerAccount: 6',
    );
    // Each account has its own profiles.
    expect(
      (await harness.iam('444455556666').send(new ListInstanceProfilesCommand({}))).InstanceProfiles,
    ).toEqual([]);
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'fifth' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'sixth' }));
  });
});

describe('instance profile tags', () => {
  it('tags (keys regardless of case), lists and untags', async () => {
    await iam.send(
      new TagInstanceProfileCommand({
        InstanceProfileName: 'web-server',
        Tags: [
          { Key: 'TEAM', Value: 'platform' },
          { Key: 'cost', Value: '42' },
        ],
      }),
    );
    const tags = await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'web-server' }));
    expect(tags.Tags).toEqual([
      { Key: 'TEAM', Value: 'platform' },
      { Key: 'cost', Value: '42' },
    ]);
    expect(tags.IsTruncated).toBe(false);
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'web-server', TagKeys: ['team'] }));
    expect(
      (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-server' }))).InstanceProfile!
        .Tags,
    ).toEqual([{ Key: 'cost', Value: '42' }]);
    await expectAwsError(
      iam.send(
        new TagInstanceProfileCommand({
          InstanceProfileName: 'web-server',
          Tags: Array.from({ length: 50 }, (_, index) => ({ Key: `k${index}`, Value: 'v' })),
        }),
      ),
      'LimitExceeded',
      409,
      'Cannot exceed quota for TagsPerInstanceProfile: 50',
    );
    await expectAwsError(
      iam.send(
        new TagInstanceProfileCommand({ InstanceProfileName: 'missing', Tags: [{ Key: 'a', Value: 'b' }] }),
      ),
      'NoSuchEntity',
      404,
    );
  });
});

describe('authorization', () => {
  it('refuses callers without the permission, and AddRoleToInstanceProfile needs iam:PassRole on the role', async () => {
    // A role allowed everything about instance profiles but not iam:PassRole.
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'profile-manager',
        AssumeRolePolicyDocument: doc({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'profile-manager',
        PolicyName: 'profiles',
        PolicyDocument: allow(['iam:*InstanceProfile*']),
      }),
    );
    const assumed = await harness.sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/profile-manager`,
        RoleSessionName: 'test',
      }),
    );
    const manager = new IamClient({
      endpoint: harness.server.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      },
    });
    await createRole('passed-role');
    await manager.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'passed-role' }));
    await expectAwsError(
      manager.send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'passed-role', RoleName: 'passed-role' }),
      ),
      'AccessDenied',
      403,
      /not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role\/passed-role/,
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'profile-manager',
        PolicyName: 'pass',
        PolicyDocument: allow('iam:PassRole', `arn:aws:iam::${account}:role/passed-role`),
      }),
    );
    await manager.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'passed-role', RoleName: 'passed-role' }),
    );

    // A demo person may do nothing with instance profiles.
    const alice = harness.person('alice');
    const denied = harness.iamAs(alice);
    for (const call of [
      () => denied.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'alice-profile' })),
      () => denied.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-server' })),
      () => denied.send(new ListInstanceProfilesCommand({})),
      () => denied.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'passed-role' })),
      () => denied.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-server' })),
      () =>
        denied.send(
          new TagInstanceProfileCommand({
            InstanceProfileName: 'web-server',
            Tags: [{ Key: 'a', Value: 'b' }],
          }),
        ),
    ]) {
      await expectAwsError(
        call(),
        'AccessDenied',
        403,
        /User: arn:aws:iam::111122223333:user\/alice is not authorized to perform: iam:\w+InstanceProfile/,
      );
    }
  });
});

describe('the provisioner', () => {
  it('may create an instance profile, add its role, read, tag, remove and delete it', async () => {
    const provisioner = harness.provisionerIam();
    await provisioner.send(
      new CreateRoleCommand({ RoleName: 'ec2-app', AssumeRolePolicyDocument: ec2Trust }),
    );
    await provisioner.send(
      new CreateInstanceProfileCommand({
        InstanceProfileName: 'ec2-app',
        Tags: [{ Key: 'rolesmith:request', Value: 'r-1' }],
      }),
    );
    await provisioner.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ec2-app', RoleName: 'ec2-app' }),
    );
    await provisioner.send(
      new TagInstanceProfileCommand({ InstanceProfileName: 'ec2-app', Tags: [{ Key: 'a', Value: 'b' }] }),
    );
    expect(
      (await provisioner.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ec2-app' })))
        .InstanceProfiles![0]!.InstanceProfileName,
    ).toBe('ec2-app');
    expect(
      (await provisioner.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ec2-app' })))
        .InstanceProfile!.Roles![0]!.RoleName,
    ).toBe('ec2-app');
    await provisioner.send(
      new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'ec2-app', RoleName: 'ec2-app' }),
    );
    await provisioner.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ec2-app' }));
    await provisioner.send(new DeleteRoleCommand({ RoleName: 'ec2-app' }));
  });
});

describe('persistence', () => {
  it('keeps instance profiles and their roles across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-profiles-'));
    try {
      const first = await startStandaloneEmulator({ port: 0, dataDir });
      const admin = first.emulator.describe().accounts[0]!.admin;
      const config = (endpoint: string) => ({
        endpoint,
        region: 'us-east-1',
        credentials: { ...admin },
        maxAttempts: 1,
      });
      const before = new IamClient(config(first.endpoint));
      await before.send(new CreateRoleCommand({ RoleName: 'kept-role', AssumeRolePolicyDocument: ec2Trust }));
      const created = await before.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'kept' }));
      await before.send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'kept', RoleName: 'kept-role' }),
      );
      await first.close();
      const second = await startStandaloneEmulator({ port: 0, dataDir });
      try {
        const profile = (
          await new IamClient(config(second.endpoint)).send(
            new GetInstanceProfileCommand({ InstanceProfileName: 'kept' }),
          )
        ).InstanceProfile!;
        expect(profile.InstanceProfileId).toBe(created.InstanceProfile!.InstanceProfileId);
        expect(profile.Roles!.map((role) => role.RoleName)).toEqual(['kept-role']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
