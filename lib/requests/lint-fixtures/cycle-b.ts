// Lint fixture (lib/layers.test.ts): see cycle-a.ts.
import { a } from '@/lib/requests/lint-fixtures/cycle-a';

export const b = [a];
