import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external';
import { RequestCookies } from 'next/dist/server/web/spec-extension/cookies';

/**
 * Runs `call` inside a Next request scope with these request headers, so that `cookies()` and
 * `headers()` read them as they do when Next serves a request (the scope Next itself uses for
 * server actions and route handlers; a private-cache unit carries exactly headers and cookies).
 * Needs `AsyncLocalStorage` on `globalThis` before Next loads (a `vi.hoisted` block in the test).
 */
export async function inRequest<T>(requestHeaders: Headers, call: () => Promise<T>): Promise<T> {
  const workStore = {
    route: '/test',
    forceStatic: false,
    dynamicShouldError: false,
    isStaticGeneration: false,
  };
  const unit = {
    type: 'private-cache',
    phase: 'action',
    headers: requestHeaders,
    cookies: new RequestCookies(requestHeaders),
  };
  return workAsyncStorage.run(workStore as never, () => workUnitAsyncStorage.run(unit as never, call));
}
