/**
 * The role-name prefixes the chosen AWS service use cases expect (`ServicePreset.namePrefix`),
 * for the name step's hint and warning. Client-safe: plain functions over the wizard state.
 */
import {
  describeNamePrefix,
  meetsNamePrefix,
  type ServiceNamePrefix,
  type ServicePreset,
} from '@/lib/iam/service-presets';
import type { WizardState } from '@/lib/wizard/state';

export interface RoleNamePrefixNote {
  presetId: string;
  useCase: string;
  namePrefix: ServiceNamePrefix;
  /** "Role name must start with AWSGlueServiceRole for AWSGlueConsoleFullAccess to pass it". */
  text: string;
  /** Whether the name and path typed so far meet it (false while the name is empty). */
  met: boolean;
}

/**
 * One note per chosen use case with a name prefix, when the trusted entity is an AWS service
 * (a change keeps its role's name and path: no note then, nothing can be done about it).
 */
export function roleNamePrefixNotes(
  state: Pick<WizardState, 'entity' | 'awsService' | 'name' | 'path' | 'changeOf'>,
  presets: readonly ServicePreset[],
): RoleNamePrefixNote[] {
  if (state.entity !== 'aws_service' || state.changeOf !== undefined) return [];
  const name = state.name.trim();
  const path = state.path.trim() || '/';
  return state.awsService.presetIds.flatMap((id) => {
    const preset = presets.find((candidate) => candidate.id === id);
    if (!preset?.namePrefix) return [];
    return [
      {
        presetId: preset.id,
        useCase: preset.useCase,
        namePrefix: preset.namePrefix,
        text: describeNamePrefix(preset.namePrefix),
        met: name !== '' && meetsNamePrefix(preset.namePrefix, name, path),
      },
    ];
  });
}

/**
 * The warnings beside the Role name field: one per unmet note, once a name has been typed, saying
 * what is off and what follows ("Glue: the name does not start with AWSGlueServiceRole, so
 * AWSGlueConsoleFullAccess cannot pass this role to Glue. The name is allowed all the same.").
 */
export function roleNamePrefixWarnings(
  notes: readonly RoleNamePrefixNote[],
  name: string,
  path: string,
): { presetId: string; text: string }[] {
  if (name.trim() === '') return [];
  const role = { name: name.trim(), path: path.trim() || '/' };
  return notes
    .filter((note) => !note.met)
    .map((note) => {
      const { prefix, paths, policyName } = note.namePrefix;
      const nameOff = !role.name.startsWith(prefix);
      const pathOff = !paths.includes(role.path);
      const where = `path ${paths.join(' or ')}`;
      const problem =
        nameOff && pathOff
          ? `the name does not start with ${prefix} on ${where}`
          : nameOff
            ? `the name does not start with ${prefix}`
            : `the path is not ${paths.join(' or ')}`;
      return {
        presetId: note.presetId,
        text: `${note.useCase}: ${problem}, so ${policyName} cannot pass this role to ${note.useCase}. The name is allowed all the same.`,
      };
    });
}
