import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { signOutAction } from '@/app/(auth)/actions';
import { SandboxBanner } from '@/components/shell/sandbox-banner';
import { UserMenu } from '@/components/auth/user-menu';
import { SiteHeader } from '@/components/shell/site-header';
import { getPrincipal } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { getNavigationBadges } from '@/lib/requests/seen';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Rolesmith', template: '%s · Rolesmith' },
  description: 'Self-service portal for cross-account AWS IAM roles, with approval.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The mode is read at request time, never at build time: one build serves both modes.
  await connection();
  const isSandbox = getEnv().ROLESMITH_MODE === 'sandbox';
  const principal = await getPrincipal();
  const badges = principal ? await getNavigationBadges(principal) : null;
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="focus-ring sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-indigo-900"
        >
          Skip to content
        </a>
        {isSandbox ? <SandboxBanner /> : null}
        <SiteHeader principal={principal} badges={badges} userMenu={<UserMenu signOut={signOutAction} />} />
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white">
          <div className="mx-auto max-w-6xl px-4 py-4 text-sm text-slate-700">
            Rolesmith · open source under the Apache License 2.0 ·{' '}
            {isSandbox ? 'sandbox mode' : 'connected to AWS'}
          </div>
        </footer>
      </body>
    </html>
  );
}
