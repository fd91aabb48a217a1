import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { toCloudFormationYaml, toTerraformHcl } from '@/lib/iam/iac';
import { parseRoleSegments, type RoleDownloadFormat } from '@/lib/requests/role-links';
import { getRoleSummary } from '@/lib/requests/roles';
import { fail, ok, resultResponse, type Result } from '@/lib/result';

/** A file to download: its name, its media type and its text. */
export interface RoleDownload {
  filename: string;
  contentType: string;
  body: string;
}

const downloadSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  segments: z.array(z.string()).min(1).max(64),
});

const formats: Record<RoleDownloadFormat, { extension: string; contentType: string }> = {
  // RFC 9512 registers application/yaml.
  cloudformation: { extension: 'cloudformation.yaml', contentType: 'application/yaml; charset=utf-8' },
  // HCL has no registered media type; Terraform files are plain UTF-8 text.
  terraform: { extension: 'tf', contentType: 'text/plain; charset=utf-8' },
};

/**
 * A live role as infrastructure as code, created exactly as Rolesmith created it: a
 * CloudFormation template (YAML) or a Terraform configuration, for whoever may see its summary
 * ({@link getRoleSummary}). `segments` are the address's path segments then the role name (see
 * `parseRoleSegments`). `not_found` for anything else, including a malformed address.
 */
export async function getRoleDownload(
  principal: Principal,
  input: unknown,
  format: RoleDownloadFormat,
): Promise<Result<RoleDownload>> {
  const parsed = downloadSchema.safeParse(input);
  const ref = parsed.success ? parseRoleSegments(parsed.data.segments) : null;
  if (!parsed.success || !ref) return fail('not_found', 'Role not found');
  const role = await getRoleSummary(principal, parsed.data.accountId, ref.roleName, ref.path);
  if (!role.ok) return role;
  const { extension, contentType } = formats[format];
  const body =
    format === 'cloudformation' ? toCloudFormationYaml(role.value.spec) : toTerraformHcl(role.value.spec);
  return ok({ filename: `${role.value.roleName}.${extension}`, contentType, body });
}

/**
 * The HTTP answer of a download: the file as an attachment (`Content-Disposition`, its media type,
 * not cached), or the failure as JSON with its status (a 404 for a role the caller may not see).
 */
export function roleDownloadResponse(result: Result<RoleDownload>): Response {
  if (!result.ok) return resultResponse(result);
  // Role names are [\w+=,.@-]: nothing to escape inside the quotes.
  return new Response(result.value.body, {
    headers: {
      'Content-Type': result.value.contentType,
      'Content-Disposition': `attachment; filename="${result.value.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
