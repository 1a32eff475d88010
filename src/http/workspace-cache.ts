import type { Database } from '../storage/database.ts';
import { findWorkspace, type Workspace } from '../storage/workspaces.ts';

/**
 * Workspaces by name for the public endpoints, kept a few seconds: every answer needs its
 * workspace (id, settings, limits), and one query per answer would be most of the work. A
 * settings change reaches the public endpoints within `ttlMs`.
 */
export class WorkspaceCache {
  readonly #entries = new Map<string, { at: number; value: Promise<Workspace | undefined> }>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 5_000,
  ) {}

  find(name: string): Promise<Workspace | undefined> {
    const now = Date.now();
    const hit = this.#entries.get(name);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    if (this.#entries.size > 10_000) this.#entries.clear();
    const value = findWorkspace(this.db, name);
    this.#entries.set(name, { at: now, value });
    value.catch(() => this.#entries.delete(name));
    return value;
  }

  /** A deleted workspace stops answering at once, not a few seconds later. */
  forget(name: string): void {
    this.#entries.delete(name);
  }
}
