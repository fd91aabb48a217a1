'use server';

import { notFound } from 'next/navigation';
import { startDemoSignIn, startOidcSignIn } from '@/lib/auth/sign-in';
import { getEnv } from '@/lib/env';
import { formDataToObject } from '@/lib/form-data';
import type { Result } from '@/lib/result';

/**
 * Signs in as one of the seeded demo people. Sandbox mode only: in aws mode it answers 404
 * whatever is posted. Anyone may call it there (that is the point of the sandbox); the lib
 * function runs the sign-in guard (guardSignIn) first.
 */
export async function demoSignInAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  if (getEnv().ROLESMITH_MODE !== 'sandbox') notFound();
  return startDemoSignIn(formDataToObject(formData));
}

/**
 * Starts sign-in at the identity provider (aws mode only; 404 in sandbox mode). Anyone may call
 * it; the lib function runs the sign-in guard (guardSignIn) first.
 */
export async function oidcSignInAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  if (getEnv().ROLESMITH_MODE !== 'aws') notFound();
  return startOidcSignIn(formDataToObject(formData));
}
