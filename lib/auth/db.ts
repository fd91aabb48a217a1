import 'server-only';
import type { AuthDb } from '@/lib/auth/users';
import { getDb } from '@/lib/db/client';

/** The process's database client, typed to the tables `lib/auth` uses. */
export async function authDb(): Promise<AuthDb> {
  return getDb();
}
