// Lint fixture (lib/layers.test.ts): lib/iam calling into lib/db breaks the layers. Never imported;
// the normal lint run ignores this folder.
import { getDb } from '@/lib/db/client';

export const openDatabase = getDb;
