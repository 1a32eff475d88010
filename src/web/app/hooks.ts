import { createContext, useContext, useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { api, ApiError, type Query } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

/** GETs a JSON resource and follows its query: a newer request replaces an older one. */
export function useApi<T>(path: string | null, query: Query = {}): Loaded<T> {
  const key = path === null ? null : JSON.stringify([path, query]);
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: path !== null });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((previous) => ({ data: previous.data, error: undefined, loading: true }));
    api<T>(path, { query })
      .then((data) => current && setState({ data, error: undefined, loading: false }))
      .catch((error: unknown) => {
        if (!current) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, (error as Error).message);
        setState({ data: undefined, error: apiError, loading: false });
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the query's content
  }, [key]);
  return state;
}

/**
 * A page's view (metric, period, breakdown, filters) lives in the URL's query, so a link
 * restores it and the browser's back button undoes a change.
 */
export function useView<K extends string>(defaults: Record<K, string>): [Record<K, string>, (changes: Partial<Record<K, string>>) => void, URLSearchParams] {
  const [params, setParams] = useSearchParams();
  const view = {} as Record<K, string>;
  for (const key of Object.keys(defaults) as K[]) view[key] = params.get(key) ?? defaults[key];
  const change = (changes: Partial<Record<K, string>>) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(changes) as Array<[K, string | undefined]>) {
        if (value === undefined || value === '' || value === defaults[key]) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });
  return [view, change, params];
}

export interface WorkspaceChoice {
  name: string;
  role: 'admin' | 'analyst' | 'viewer';
}

export const WorkspaceContext = createContext<WorkspaceChoice>({ name: 'default', role: 'viewer' });

/** The workspace every request of the page is about (the shell picks it; the URL can name it). */
export function useWorkspace(): WorkspaceChoice {
  return useContext(WorkspaceContext);
}
