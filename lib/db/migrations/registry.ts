import type { Migration } from 'kysely';
import { coreMigration } from '@/lib/db/migrations/202611281400_core';
import { authMigration } from '@/lib/db/migrations/202611281420_auth';
import { openRequestPerRoleMigration } from '@/lib/db/migrations/202611281430_open_request_per_role';
import { provisioningMigration } from '@/lib/db/migrations/202611281500_provisioning';
import { verifiedEmailMigration } from '@/lib/db/migrations/202611281530_verified_email';
import { rolledBackMigration } from '@/lib/db/migrations/202611281600_rolled_back';
import { sessionsMigration } from '@/lib/db/migrations/202611281610_sessions';
import { approvalsAppendOnlyMigration } from '@/lib/db/migrations/202611281640_approvals_append_only';
import { rateLimitWindowIndexMigration } from '@/lib/db/migrations/202611281650_rate_limit_window_index';
import { plannedIntentsMigration } from '@/lib/db/migrations/202611281700_planned_intents';
import { plannedPlanMigration } from '@/lib/db/migrations/202611281710_planned_plan';
import { switchRolePaletteMigration } from '@/lib/db/migrations/202612071800_switch_role_palette';
import { wizardDraftsMigration } from '@/lib/db/migrations/202612071900_wizard_drafts';
import { requestUsersAndJustificationsMigration } from '@/lib/db/migrations/202612072000_request_users_and_justifications';
import { requestQueueMigration } from '@/lib/db/migrations/202612080100_request_queue';
import { requestPolicyVersionsMigration } from '@/lib/db/migrations/202612080110_request_policy_versions';
import { requestCommentsMigration } from '@/lib/db/migrations/202612080120_request_comments';
import { webhooksMigration } from '@/lib/db/migrations/202612080130_webhooks';
import { roleDriftMigration } from '@/lib/db/migrations/202612080140_role_drift';
import { roleOwnerMigration } from '@/lib/db/migrations/202612090100_role_owner';
import { requestPlanBaseMigration } from '@/lib/db/migrations/202612090110_request_plan_base';

/**
 * Every migration, by name. A static list because Next's server bundle cannot read a folder at
 * run time. Names sort in the order they run: `<YYYYMMDDHHMM>_<name>`. Add new ones at the end.
 */
export const migrations: Record<string, Migration> = {
  '202611281400_core': coreMigration,
  '202611281420_auth': authMigration,
  '202611281430_open_request_per_role': openRequestPerRoleMigration,
  '202611281500_provisioning': provisioningMigration,
  '202611281530_verified_email': verifiedEmailMigration,
  '202611281600_rolled_back': rolledBackMigration,
  '202611281610_sessions': sessionsMigration,
  '202611281640_approvals_append_only': approvalsAppendOnlyMigration,
  '202611281650_rate_limit_window_index': rateLimitWindowIndexMigration,
  '202611281700_planned_intents': plannedIntentsMigration,
  '202611281710_planned_plan': plannedPlanMigration,
  '202612071800_switch_role_palette': switchRolePaletteMigration,
  '202612071900_wizard_drafts': wizardDraftsMigration,
  '202612072000_request_users_and_justifications': requestUsersAndJustificationsMigration,
  '202612080100_request_queue': requestQueueMigration,
  '202612080110_request_policy_versions': requestPolicyVersionsMigration,
  '202612080120_request_comments': requestCommentsMigration,
  '202612080130_webhooks': webhooksMigration,
  '202612080140_role_drift': roleDriftMigration,
  '202612090100_role_owner': roleOwnerMigration,
  '202612090110_request_plan_base': requestPlanBaseMigration,
};
