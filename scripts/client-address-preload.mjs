// Preloaded into the server process by `scripts/start.mjs` (`node --import`), so that the
// X-Forwarded-For rewrite of lib/auth/client-address.ts is in place before Next listens.
import { installClientAddressHook, trustedProxiesFromEnvironment } from '../lib/auth/client-address-hook.mjs';

installClientAddressHook(trustedProxiesFromEnvironment(process.env.ROLESMITH_TRUSTED_PROXIES));
