/**
 * The three roles, each able to do what the one below it can (docs/accounts.md has the table):
 * a viewer reads, an analyst also writes data (events, imports, surveys), an admin also manages
 * people, API keys and settings, and reads the audit log.
 */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Whether `role` may do what needs `needed`. */
export const roleAllows = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];
