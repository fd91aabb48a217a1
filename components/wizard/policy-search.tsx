'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { Input, Select } from '@/components/ui/input';
import { readRouteError } from '@/components/wizard/policy-details';
import type { ManagedPolicySummary } from '@/lib/wizard/account-reads';
import { POLICY_TYPE_LABELS, policiesSearchUrl, type ManagedPolicyType } from '@/lib/wizard/permissions';

/** How long typing pauses before the search is sent (results still paint as the person types). */
const searchDebounceMs = 150;

interface SearchPage {
  policies: ManagedPolicySummary[];
  total: number;
  nextCursor: string | null;
}

export interface PolicySearch {
  query: string;
  setQuery: (q: string) => void;
  type: ManagedPolicyType | 'all';
  setType: (type: ManagedPolicyType | 'all') => void;
  policies: ManagedPolicySummary[];
  total: number | null;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => void;
}

/**
 * Searches the account's managed policies as the person types
 * (`GET /api/accounts/<id>/policies?q=&type=&cursor=`, debounced; an answer to an older query is
 * dropped), a page at a time with "load more".
 */
export function usePolicySearch(
  accountId: string,
  initialType: ManagedPolicyType | 'all' = 'all',
): PolicySearch {
  const [query, setQuery] = useState('');
  const [type, setType] = useState<ManagedPolicyType | 'all'>(initialType);
  const [page, setPage] = useState<SearchPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<AbortController | null>(null);

  const load = useCallback(
    async (q: string, kind: ManagedPolicyType | 'all', cursor: string | null) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setLoading(true);
      try {
        const response = await fetch(policiesSearchUrl(accountId, { q, type: kind, cursor }), {
          signal: controller.signal,
        });
        if (!response.ok) {
          const message = await readRouteError(response);
          if (!controller.signal.aborted) setError(message);
          return;
        }
        const next = (await response.json()) as SearchPage;
        if (controller.signal.aborted) return;
        setError(null);
        setPage((previous) =>
          cursor && previous ? { ...next, policies: [...previous.policies, ...next.policies] } : next,
        );
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(
          caught instanceof Error
            ? `Could not search policies: ${caught.message}`
            : 'Could not search policies.',
        );
      } finally {
        if (current.current === controller) setLoading(false);
      }
    },
    [accountId],
  );

  useEffect(() => {
    if (!accountId) return;
    const timer = setTimeout(() => void load(query, type, null), query ? searchDebounceMs : 0);
    return () => clearTimeout(timer);
  }, [accountId, query, type, load]);

  useEffect(() => () => current.current?.abort(), []);

  return {
    query,
    setQuery,
    type,
    setType,
    policies: page?.policies ?? [],
    total: page?.total ?? null,
    hasMore: Boolean(page?.nextCursor),
    loading,
    error,
    loadMore: () => {
      if (page?.nextCursor) void load(query, type, page.nextCursor);
    },
  };
}

const count = (n: number) => n.toLocaleString('en');

/** The search box, the type filter and the count of matches (announced politely). */
export function PolicySearchFields({
  id,
  search,
  label = 'Search managed policies',
  showType = true,
}: {
  id: string;
  search: PolicySearch;
  label?: string;
  showType?: boolean;
}) {
  const { total, policies, loading, error } = search;
  const status = error
    ? null
    : total === null
      ? loading
        ? 'Searching…'
        : ''
      : total === 0
        ? search.query
          ? `No ${search.type === 'all' ? '' : `${POLICY_TYPE_LABELS[search.type]} `}policy matches “${search.query}”.`
          : search.type === 'customer'
            ? 'The target account has no customer managed policies yet.'
            : 'No managed policies.'
        : `Showing ${count(policies.length)} of ${count(total)} ${total === 1 ? 'policy' : 'policies'}${loading ? ' (searching…)' : ''}.`;
  return (
    <div className="flex flex-col gap-2" role="search" aria-label={label}>
      <div className={`grid gap-3 ${showType ? 'sm:grid-cols-[1fr_14rem]' : ''}`}>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-q`} className="text-sm font-medium text-slate-900">
            {label}
          </label>
          <Input
            id={`${id}-q`}
            type="search"
            value={search.query}
            onChange={(event) => search.setQuery(event.target.value)}
            placeholder="Policy name, e.g. ReadOnly"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-status`}
          />
        </div>
        {showType ? (
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-type`} className="text-sm font-medium text-slate-900">
              Filter by type
            </label>
            <Select
              id={`${id}-type`}
              value={search.type}
              onChange={(event) => search.setType(event.target.value as ManagedPolicyType | 'all')}
            >
              <option value="all">All types</option>
              <option value="aws">AWS managed</option>
              <option value="customer">Customer managed</option>
            </Select>
          </div>
        ) : null}
      </div>
      <p id={`${id}-status`} role="status" aria-live="polite" className="min-h-5 text-sm text-slate-700">
        {status}
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
