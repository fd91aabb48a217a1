import 'server-only';
import NextAuth from 'next-auth';
import { buildAuthConfig } from '@/lib/auth/config';
import { getAuthSecret } from '@/lib/auth/secret';
import { getEnv } from '@/lib/env';

/**
 * The Auth.js instance. Its configuration is built per request from the validated environment
 * (Auth.js's lazy form), so one production build serves both modes.
 */
export const { handlers, signIn, signOut } = NextAuth(() => buildAuthConfig(getEnv(), getAuthSecret()));
