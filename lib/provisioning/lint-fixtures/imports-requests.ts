// Lint fixture (lib/layers.test.ts): provisioning, the lower layer, reaching up into lib/requests.
// Never imported; the normal lint run ignores this folder.
import { requestBinding } from '@/lib/requests/provisioning-binding';

export const binding = requestBinding;
