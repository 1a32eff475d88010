import { hashPassword } from '../accounts/password.ts';
import { randomToken } from '../accounts/tokens.ts';
import { addMembership, changeRole, createUser, findMember, findUserByEmail, setPasswordHash } from '../storage/accounts.ts';
import { writeAudit, type Actor } from '../storage/audit.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';

export const DEMO_ADMIN_EMAIL = 'demo@sada.local';

const DEMO_ACTOR: Actor = { kind: 'cli', label: 'sada demo' };

/**
 * The demo's admin account, so the quick start can sign in to the dashboard: demo@sada.local,
 * admin of the demo workspace, with a new random password on every run (printed by `sada demo`;
 * a fixed, published password would open every demo server left reachable).
 */
export async function ensureDemoAdmin(db: Database, workspace: Workspace): Promise<{ email: string; password: string; created: boolean }> {
  const password = randomToken(12);
  const hash = await hashPassword(password);
  const existing = await findUserByEmail(db, DEMO_ADMIN_EMAIL);
  await db.transaction(async (tx) => {
    const user = existing ?? (await createUser(tx, { email: DEMO_ADMIN_EMAIL, name: 'Demo admin', passwordHash: hash }));
    if (existing) {
      await setPasswordHash(tx, user.id, hash);
      await tx.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    } else {
      await writeAudit(tx, { workspaceId: workspace.id, actor: DEMO_ACTOR, action: 'user.create', target: `user:${user.id}`, details: { email: user.email } });
    }
    const member = await findMember(tx, workspace.id, user.id);
    if (!member) {
      await addMembership(tx, workspace.id, user.id, 'admin');
      await writeAudit(tx, { workspaceId: workspace.id, actor: DEMO_ACTOR, action: 'member.add', target: `user:${user.id}`, details: { email: user.email, role: 'admin' } });
    } else if (member.role !== 'admin') {
      await changeRole(tx, workspace.id, user.id, 'admin');
      await writeAudit(tx, { workspaceId: workspace.id, actor: DEMO_ACTOR, action: 'member.role', target: `user:${user.id}`, details: { from: member.role, to: 'admin' } });
    }
    if (existing) await writeAudit(tx, { workspaceId: workspace.id, actor: DEMO_ACTOR, action: 'user.password', target: `user:${user.id}`, details: { email: user.email } });
  });
  return { email: DEMO_ADMIN_EMAIL, password, created: !existing };
}
