import 'server-only';

import { getTargetAccount } from '@/lib/accounts/accounts';
import { getAccountClients } from '@/lib/aws/account-clients';
import type { IamAccountClient } from '@/lib/aws/iam-client';

/** The IAM client for a target account, as the portal reaches it in the current mode. */
export async function iamForAccount(accountId: string): Promise<IamAccountClient> {
  const account = await getTargetAccount(accountId);
  if (!account) throw new Error(`Account ${accountId} is not a target account`);
  const clients = await getAccountClients({
    accountId,
    provisionerRoleArn: account.provisionerRoleArn,
    externalId: account.externalId,
  });
  return clients.iam;
}
