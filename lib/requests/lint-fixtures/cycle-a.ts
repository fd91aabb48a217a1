// Lint fixture (lib/layers.test.ts): cycle-a and cycle-b import each other's values. Never imported;
// the normal lint run ignores this folder.
import { b } from '@/lib/requests/lint-fixtures/cycle-b';

export const a = (): string => `a${b.length}`;
