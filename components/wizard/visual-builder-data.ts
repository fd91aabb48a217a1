'use client';

import { useEffect, useState } from 'react';
import type { ServiceDetails, ServiceMatch } from '@/lib/wizard/catalogue-reads';

/**
 * What the visual builder reads from the server's IAM catalogue: service search
 * (`GET /api/iam/services?q=`) and one service's actions, resource types and condition keys
 * (`GET /api/iam/services/<prefix>`), each service fetched once per page and kept in memory.
 */

async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `The server answered ${response.status}.`, { cause: response.status });
  }
  return (await response.json()) as T;
}

const detailsCache = new Map<string, Promise<ServiceDetails>>();

/** One service's details, fetched once (a failed fetch is forgotten, so it can be tried again). */
export function loadServiceDetails(prefix: string): Promise<ServiceDetails> {
  const key = prefix.toLowerCase();
  const cached = detailsCache.get(key);
  if (cached) return cached;
  const loading = fetch(`/api/iam/services/${encodeURIComponent(key)}`).then((response) =>
    readJson<ServiceDetails>(response),
  );
  detailsCache.set(key, loading);
  loading.catch(() => detailsCache.delete(key));
  return loading;
}

export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'failed'; message: string };

/** A service's details for a component (idle while no service is chosen). */
export function useServiceDetails(prefix: string): Loadable<ServiceDetails> {
  const [state, setState] = useState<{ prefix: string; value: Loadable<ServiceDetails> }>({
    prefix: '',
    value: { status: 'idle' },
  });
  useEffect(() => {
    if (!prefix) return;
    let cancelled = false;
    loadServiceDetails(prefix).then(
      (value) => {
        if (!cancelled) setState({ prefix, value: { status: 'ready', value } });
      },
      (error: unknown) => {
        if (!cancelled)
          setState({
            prefix,
            value: { status: 'failed', message: error instanceof Error ? error.message : String(error) },
          });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [prefix]);
  if (!prefix) return { status: 'idle' };
  return state.prefix === prefix ? state.value : { status: 'loading' };
}

const searchCache = new Map<string, { services: ServiceMatch[]; total: number }>();

/**
 * Services matching what the person types, asked of the server at each pause of 40 ms (earlier
 * requests aborted), answers kept in memory for the page's life.
 */
export function useServiceSearch(query: string): Loadable<{ services: ServiceMatch[]; total: number }> {
  const key = query.trim().toLowerCase();
  const [state, setState] = useState<{
    key: string;
    value: Loadable<{ services: ServiceMatch[]; total: number }>;
  }>({ key: '\u0000', value: { status: 'idle' } });
  useEffect(() => {
    if (searchCache.has(key)) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      fetch(`/api/iam/services?q=${encodeURIComponent(key)}&limit=20`, { signal: controller.signal })
        .then((response) => readJson<{ services: ServiceMatch[]; total: number }>(response))
        .then((value) => {
          searchCache.set(key, value);
          setState({ key, value: { status: 'ready', value } });
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setState({
            key,
            value: { status: 'failed', message: error instanceof Error ? error.message : String(error) },
          });
        });
    }, 40);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key]);
  const cached = searchCache.get(key);
  if (cached) return { status: 'ready', value: cached };
  return state.key === key ? state.value : { status: 'loading' };
}
