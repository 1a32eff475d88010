import { Command, Option } from 'commander';
import { hashPassword, passwordProblem } from '../../accounts/password.ts';
import { ROLES, type Role } from '../../accounts/roles.ts';
import { randomToken } from '../../accounts/tokens.ts';
import { AccountError, addMembership, changeRole, createUser, findMember, findUserByEmail, listMembers, membershipsOf, setPasswordHash } from '../../storage/accounts.ts';
import { writeAudit, type Actor } from '../../storage/audit.ts';
import { listWorkspaces } from '../../storage/workspaces.ts';
import { UserError, withDatabase, workspaceFor } from '../context.ts';

/**
 * `sada user`: accounts from the command line — the way in on a server nobody has signed in
 * to yet, and the way back in for an admin who forgot a password. Whoever runs it has the
 * database, so it needs no sign-in; its changes are audited as "cli".
 */

const CLI_ACTOR: Actor = { kind: 'cli', label: 'sada command line' };
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** The password from --password-stdin, else --password, else a new random one (printed). */
async function passwordFrom(options: { password?: string; passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  let password = options.password;
  if (options.passwordStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  if (password === undefined) return { password: randomToken(15), generated: true };
  const problem = passwordProblem(password);
  if (problem) throw new UserError(problem);
  return { password, generated: false };
}

const roleOption = new Option('--role <role>', 'role in the workspace').choices(ROLES).makeOptionMandatory();

const createCommand = new Command('create')
  .description('Create an account and make it a member of a workspace (created if new); an existing account is added to the workspace. Without --password a password is made up and printed.')
  .requiredOption('--email <address>', 'e-mail address to sign in with')
  .option('--password <password>', 'password (at least 10 characters; it ends up in your shell history: prefer --password-stdin)')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .option('--name <name>', 'name shown in the app')
  .addOption(new Option('--locale <locale>', 'language of the app for this person').choices(['en', 'ar', 'lt']).default('en'))
  .option('-w, --workspace <name>', 'workspace to join (default: SADA_WORKSPACE or "default")')
  .addOption(roleOption)
  .action(async (options: { email: string; password?: string; passwordStdin?: boolean; name?: string; locale: string; workspace?: string; role: Role }) => {
    if (!EMAIL.test(options.email.trim())) throw new UserError(`"${options.email}" is not an e-mail address`);
    const given = await passwordFrom(options); // checked before the database is opened
    await withDatabase('user', async (context) => {
      const { db } = context.opened;
      const workspace = await workspaceFor(context, options.workspace);
      const existing = await findUserByEmail(db, options.email);
      if (existing && !given.generated) {
        throw new UserError(`${existing.email} has an account already; to give it a new password run: sada user password --email ${existing.email}`);
      }
      const secret = existing ? undefined : given;
      const passwordHash = secret ? await hashPassword(secret.password) : null;
      try {
        await db.transaction(async (tx) => {
          const user = existing ?? (await createUser(tx, { email: options.email, name: options.name, passwordHash, locale: options.locale }));
          if (!existing) await writeAudit(tx, { workspaceId: workspace.id, actor: CLI_ACTOR, action: 'user.create', target: `user:${user.id}`, details: { email: user.email } });
          await addMembership(tx, workspace.id, user.id, options.role);
          await writeAudit(tx, { workspaceId: workspace.id, actor: CLI_ACTOR, action: 'member.add', target: `user:${user.id}`, details: { email: user.email, role: options.role } });
        });
      } catch (error) {
        if (error instanceof AccountError && error.code === 'already_member' && existing) {
          const member = await findMember(db, workspace.id, existing.id);
          if (member?.role === options.role) {
            console.log(`${existing.email} is already ${options.role} in workspace "${workspace.name}".`);
            return;
          }
          await db.transaction(async (tx) => {
            const before = await changeRole(tx, workspace.id, existing.id, options.role);
            await writeAudit(tx, { workspaceId: workspace.id, actor: CLI_ACTOR, action: 'member.role', target: `user:${existing.id}`, details: { from: before, to: options.role } });
          });
          console.log(`${existing.email} is now ${options.role} in workspace "${workspace.name}" (was ${member?.role}).`);
          return;
        }
        if (error instanceof AccountError) throw new UserError(error.message);
        throw error;
      }
      if (existing) console.log(`${existing.email} (an existing account) is now ${options.role} in workspace "${workspace.name}".`);
      else console.log(`Created ${options.email.trim()}, ${options.role} in workspace "${workspace.name}".`);
      if (secret?.generated) console.log(`Password: ${secret.password}\n(shown this once; sign in at /login and keep it somewhere safe)`);
    });
  });

const passwordCommand = new Command('password')
  .description('Give an account a new password and sign it out everywhere. Without --password a password is made up and printed.')
  .requiredOption('--email <address>', 'the account')
  .option('--password <password>', 'the new password (at least 10 characters)')
  .option('--password-stdin', 'read the password from the first line of standard input')
  .action(async (options: { email: string; password?: string; passwordStdin?: boolean }) => {
    const secret = await passwordFrom(options);
    await withDatabase('user', async ({ opened }) => {
      const user = await findUserByEmail(opened.db, options.email);
      if (!user) throw new UserError(`There is no account for ${options.email}; create one with: sada user create --email ${options.email} --workspace <name> --role <role>`);
      const hash = await hashPassword(secret.password);
      const memberships = await membershipsOf(opened.db, user.id);
      await opened.db.transaction(async (tx) => {
        await setPasswordHash(tx, user.id, hash);
        await tx.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
        for (const m of memberships) await writeAudit(tx, { workspaceId: m.workspaceId, actor: CLI_ACTOR, action: 'user.password', target: `user:${user.id}`, details: { email: user.email } });
      });
      console.log(`New password set for ${user.email}; every session of it is signed out.`);
      if (secret.generated) console.log(`Password: ${secret.password}`);
    });
  });

const listCommand = new Command('list')
  .description('List the accounts of one workspace, or of every workspace')
  .option('-w, --workspace <name>', 'only this workspace')
  .action(async (options: { workspace?: string }) => {
    await withDatabase('user', async ({ opened }) => {
      const workspaces = (await listWorkspaces(opened.db)).filter((w) => !options.workspace || w.name === options.workspace);
      if (options.workspace && workspaces.length === 0) throw new UserError(`There is no workspace "${options.workspace}".`);
      let any = false;
      for (const workspace of workspaces) {
        for (const member of await listMembers(opened.db, workspace.id)) {
          any = true;
          console.log(`${workspace.name}\t${member.role}\t${member.email}${member.name ? `\t${member.name}` : ''}`);
        }
      }
      if (!any) console.log('No accounts yet. Create one: sada user create --email you@example.com --workspace <name> --role admin');
    });
  });

export const userCommand = new Command('user').description('Accounts that sign in to the web app: create, list, set a password (docs/accounts.md)');
for (const command of [createCommand, listCommand, passwordCommand]) userCommand.addCommand(command.showHelpAfterError().exitOverride());
