/**
 * Runs once when a Next.js server starts (never during `next build`). It parses the environment so
 * that a bad setting stops start-up with one line per variable, before any request is served.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('@/lib/server-start');
  await startServer();
}
