import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { findHookTool, HOOK_TOOLS } from '../../import/hooks.ts';
import { setHookSecret } from '../../storage/hook-secrets.ts';
import { UserError, withDatabase, workspaceFor } from '../context.ts';

/**
 * `sada hooks secret <tool>`: the secret a tool's webhook deliveries are checked with
 * (src/http/routes/hooks.ts). Tools that make their own secret (Shopify, Stripe, Zendesk…) need
 * it passed with --secret; for the others Sada makes one, printed once.
 */

/** Where each tool shows the secret it signs with, for the message when --secret is missing. */
const WHERE: Record<string, string> = {
  zendesk: 'Zendesk Admin Center › Apps and integrations › Webhooks › the webhook › Signing secret › Reveal secret',
  chatwoot: "Chatwoot Settings › Integrations › Webhooks › the webhook's secret",
  intercom: "the Intercom Developer Hub › your app › Basic information › Client secret",
  shopify: 'Shopify admin › Settings › Notifications › Webhooks ("Your webhooks will be signed with …"), or your app\'s client secret',
  stripe: 'Stripe Dashboard › Developers › Webhooks › the endpoint › Signing secret (whsec_…)',
  formbricks: "Formbricks › Configuration › Integrations › Webhooks › the webhook's signing secret (whsec_…)",
  delighted: 'Delighted › Integrations › API: your private API key',
};

const MIN_SECRET = 8;

export const hooksCommand = new Command('hooks').description('Webhook receivers: POST /api/v1/hooks/<tool>?workspace=<name> (docs/presets.md#webhooks)');

hooksCommand
  .command('secret')
  .description(`Set the secret a tool's webhook deliveries are checked with (tools: ${HOOK_TOOLS.map((t) => t.name).join(', ')}). Without --secret, for tools where you type the secret in (freshdesk, helpscout, woocommerce, typeform), one is made and printed once`)
  .argument('<tool>', 'the tool: ' + HOOK_TOOLS.map((t) => t.name).join(', '))
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .option('--secret <secret>', 'the secret the tool signs with (as the tool shows it)')
  .action(async (toolName: string, options: { workspace?: string; secret?: string }) => {
    const tool = findHookTool(toolName);
    if (!tool) throw new UserError(`there is no webhook receiver for "${toolName}": ${HOOK_TOOLS.map((t) => t.name).join(', ')}`);
    let secret = options.secret?.trim();
    if (secret !== undefined && secret.length < MIN_SECRET) throw new UserError(`the secret is ${secret.length} characters long: give at least ${MIN_SECRET}`);
    if (secret === undefined && tool.secretFrom === 'tool') {
      throw new UserError(`${tool.preset.title} makes the secret it signs with: copy it from ${WHERE[tool.name] ?? tool.preset.title} and run sada hooks secret ${tool.name} --secret <it>`);
    }
    const made = secret === undefined;
    secret ??= randomBytes(24).toString('base64url');
    await withDatabase('hooks secret', async (context) => {
      const workspace = await workspaceFor(context, options.workspace);
      await setHookSecret(context.opened.db, workspace.id, tool.name, secret);
      const base = context.config.publicUrl ?? `http://${context.config.host}:${context.config.port}`;
      const url = `${base.replace(/\/$/, '')}/api/v1/hooks/${tool.name}?workspace=${encodeURIComponent(workspace.name)}`;
      if (made) {
        console.log(secret);
        console.error(`note: the secret is shown this once; paste it into ${tool.preset.title}. Running this again replaces it.`);
      } else {
        console.error(`${tool.preset.title} secret stored for workspace ${workspace.name}.`);
      }
      console.error(`webhook URL: ${tool.name === 'freshdesk' && made ? `${url}&secret=${encodeURIComponent(secret)}` : url}`);
      console.error(`checked: ${tool.proof} (docs/presets.md#webhooks)`);
    });
  });
