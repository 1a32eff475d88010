import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { signLink } from '../../listening/link-token.ts';
import { qrSvg } from '../../listening/qr.ts';
import { parseSurvey, SurveyDefinitionError, type Survey } from '../../listening/survey.ts';
import { addCoupons, couponCounts, findSurvey, identitySecret, linkKey, listSurveys, saveSurvey, setSurveyStatus } from '../../storage/surveys.ts';
import { findWorkspace, type Workspace } from '../../storage/workspaces.ts';
import { numbers, UserError, withDatabase, workspaceFor, workspaceOption, type CommandContext } from '../context.ts';

/**
 * `sada survey`: surveys Sada asks itself. A survey is a JSON document (docs/surveys.md,
 * examples/surveys/); these commands store it, list it, sign personal links to it, load its
 * coupon codes and open or close it.
 */

const WORKSPACE_HELP = 'workspace (default: SADA_WORKSPACE or "default")';
const MAX_COUPON_LENGTH = 100;

/** The path of a survey's link page on the server. */
export const surveyPath = (workspace: string, surveyId: string) => `/s/${encodeURIComponent(workspace)}/${encodeURIComponent(surveyId)}`;

async function existingWorkspace(context: CommandContext, name: string | undefined): Promise<Workspace> {
  const wanted = workspaceOption(name, context.config);
  const workspace = await findWorkspace(context.opened.db, wanted);
  if (!workspace) throw new UserError(`there is no workspace "${wanted}": create a survey in it first (sada survey create FILE --workspace ${wanted})`);
  return workspace;
}

/** The stored survey, or a message that says which surveys there are. */
async function surveyFor(context: CommandContext, workspace: Workspace, id: string): Promise<Survey> {
  const stored = await findSurvey(context.opened.db, workspace.id, id, { fresh: true });
  if (stored) return stored.survey;
  const all = await listSurveys(context.opened.db, workspace.id);
  if (all.some((s) => s.id === id)) {
    throw new UserError(`survey "${id}" in workspace "${workspace.name}" came with imported data: it has no questions Sada can ask. Define it with sada survey create FILE`);
  }
  const known = all.length > 0 ? `Its surveys: ${all.map((s) => s.id).join(', ')}` : 'It has no surveys yet: sada survey create FILE';
  throw new UserError(`there is no survey "${id}" in workspace "${workspace.name}". ${known}`);
}

/** Reads and validates a survey document; every problem is reported with its path. */
export function readSurveyFile(file: string): Survey {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not JSON: ${jsonProblem(text, (error as Error).message)}`);
  }
  try {
    return parseSurvey(input);
  } catch (error) {
    if (!(error instanceof SurveyDefinitionError)) throw error;
    const count = error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`;
    throw new UserError(`${file} is not a valid survey (${count}; see docs/surveys.md):\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** JSON.parse's message without its quote of the text, with the line and column of the mistake. */
function jsonProblem(text: string, message: string): string {
  const problem = message.replace(/,? "[\s\S]*" is not valid JSON$/, '').replace(/ in JSON at position \d+.*$/s, '');
  const position = /at position (\d+)/.exec(message);
  if (!position) return problem;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `${problem} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

function wholeNumber(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UserError(`${option} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

function baseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--base-url must be a URL such as https://cx.example.com, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--base-url must start with https:// or http://, not "${url.protocol}"`);
  if (url.search || url.hash) throw new UserError('--base-url takes no query (?…) or fragment (#…)');
  return url.href.replace(/\/+$/, '');
}

const createCommand = new Command('create')
  .description('Create a survey from a JSON document, or update the survey with the same id (see docs/surveys.md and examples/surveys/)')
  .argument('<file>', 'the survey document (JSON)')
  .option('-w, --workspace <name>', `${WORKSPACE_HELP}; created if new`)
  .action(async (file: string, options: { workspace?: string }) => {
    const survey = readSurveyFile(file);
    await withDatabase('survey create', async (context) => {
      const workspace = await workspaceFor(context, options.workspace);
      const before = await findSurvey(context.opened.db, workspace.id, survey.id, { fresh: true });
      const outcome = await saveSurvey(context.opened.db, workspace.id, survey);
      const questions = survey.questions.map((q) => `${q.id} (${q.kind})`).join(', ');
      console.log(`${outcome} survey "${survey.id}" (${survey.name}) in workspace "${workspace.name}"`);
      console.log(`  touchpoint ${survey.touchpoint} · ${survey.access} access · ${survey.audience} · ${survey.status} · languages ${survey.languages.join(', ')}`);
      console.log(`  questions: ${questions}`);
      if (before && before.status !== survey.status) console.log(`  it was ${before.status}; the document makes it ${survey.status}`);
      console.log(`link page: ${surveyPath(workspace.name, survey.id)}`);
      const person = survey.audience === 'employees' ? '--employee ID' : '--customer ID';
      console.log(
        survey.access === 'personal'
          ? `  personal access: answered through signed links only (sada survey link ${survey.id} --workspace ${workspace.name} ${person})`
          : `  public: anyone with the link may answer; sada survey link ${survey.id} ${person} makes links that name the person`,
      );
      if (survey.incentive?.kind === 'pool') console.log(`  coupon pool: load the codes with sada survey coupons ${survey.id} FILE --workspace ${workspace.name}`);
    });
  });

const listCommand = new Command('list')
  .description('List the surveys of a workspace with their completed responses')
  .option('-w, --workspace <name>', WORKSPACE_HELP)
  .action(async (options: { workspace?: string }) => {
    await withDatabase('survey list', async (context) => {
      const workspace = await existingWorkspace(context, options.workspace);
      const surveys = await listSurveys(context.opened.db, workspace.id);
      if (surveys.length === 0) {
        console.log(`Workspace "${workspace.name}" has no surveys yet: sada survey create FILE --workspace ${workspace.name}`);
        return;
      }
      const rows = [
        ['id', 'name', 'touchpoint', 'status', 'completed'],
        ...surveys.map((s) => [s.id, s.name, s.touchpoint ?? '-', s.status, numbers.format(s.completed)]),
      ];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      for (const row of rows) {
        console.log(row.map((cell, column) => (column === row.length - 1 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  '));
      }
    });
  });

interface LinkOptions {
  workspace?: string;
  customer?: string;
  employee?: string;
  order?: string;
  ticket?: string;
  language?: string;
  days?: string;
  baseUrl?: string;
  qr?: string;
}

const LOCAL_BASE_URL = 'http://127.0.0.1:3000';

const linkCommand = new Command('link')
  .description('Print a personal link to a survey, signed with the workspace key: the answer joins that customer or employee (and order, ticket) and cannot be given in someone else\'s name')
  .argument('<survey>', 'survey id')
  .option('-w, --workspace <name>', WORKSPACE_HELP)
  .option('--customer <id>', 'the customer who answers (customers surveys)')
  .option('--employee <id>', 'the employee who answers (employees surveys)')
  .option('--order <id>', 'the order the answer is about')
  .option('--ticket <id>', 'the ticket the answer is about')
  .option('--language <tag>', 'the language to show the survey in (one the survey offers)')
  .option('--days <n>', 'days the link stays valid (default: it does not expire)')
  .option('--base-url <url>', `the address people reach the server at (default: SADA_PUBLIC_URL or ${LOCAL_BASE_URL})`)
  .option('--qr <file.svg>', 'also write the link as a QR code (SVG) to this file')
  .action(async (surveyId: string, options: LinkOptions) => {
    const givenBase = options.baseUrl === undefined ? undefined : baseUrl(options.baseUrl);
    if (options.qr !== undefined && !/\.svg$/i.test(options.qr)) throw new UserError(`--qr writes an SVG image: give a file name ending in .svg, not "${options.qr}"`);
    const days = options.days === undefined ? undefined : wholeNumber(options.days, '--days', 1, 3650);
    await withDatabase('survey link', async (context) => {
      const workspace = await existingWorkspace(context, options.workspace);
      const survey = await surveyFor(context, workspace, surveyId);
      if (survey.audience === 'employees' && options.customer) throw new UserError(`survey "${survey.id}" is for employees: use --employee, not --customer`);
      if (survey.audience === 'customers' && options.employee) throw new UserError(`survey "${survey.id}" is for customers: use --customer, not --employee`);
      const language = options.language?.toLowerCase();
      if (language && !survey.languages.includes(language)) {
        throw new UserError(`survey "${survey.id}" is not offered in "${options.language}": its languages are ${survey.languages.join(', ')}`);
      }
      if (survey.status === 'closed') console.error(`warning: survey "${survey.id}" is closed; the link will say so until you run sada survey open ${survey.id}`);
      if (!options.customer && !options.employee) {
        console.error(`note: the link names nobody (no ${survey.audience === 'employees' ? '--employee' : '--customer'}), so its answer joins no person's record`);
      }
      const token = signLink(await linkKey(context.opened.db, workspace.id), {
        survey: survey.id,
        customer: options.customer,
        employee: options.employee,
        order: options.order,
        ticket: options.ticket,
        language,
        validForSeconds: days === undefined ? undefined : days * 86_400,
      });
      const link = `${givenBase ?? context.config.publicUrl ?? LOCAL_BASE_URL}${surveyPath(workspace.name, survey.id)}?t=${token}`;
      if (options.qr !== undefined) {
        try {
          writeFileSync(options.qr, await qrSvg(link));
        } catch (error) {
          throw new UserError(`could not write the QR code to ${options.qr}: ${(error as Error).message}`);
        }
      }
      console.log(link);
      if (options.qr !== undefined) console.error(`QR code of the link written to ${options.qr}`);
    });
  });

const identitySecretCommand = new Command('identity-secret')
  .description('Print the workspace\'s secret for widget identities (hex): your server signs each user id with it so that sada.identify() can name the customer')
  .option('-w, --workspace <name>', WORKSPACE_HELP)
  .action(async (options: { workspace?: string }) => {
    await withDatabase('survey identity-secret', async (context) => {
      const workspace = await existingWorkspace(context, options.workspace);
      console.log((await identitySecret(context.opened.db, workspace.id)).toString('hex'));
      console.error('note: keep it on your server only; your server computes HMAC-SHA256(secret, userId) in hex and the page calls sada.identify(userId, hmac) (docs/widget.md)');
    });
  });

/** One code per line; blank lines are skipped. */
export function readCouponFile(file: string): string[] {
  const codes: string[] = [];
  readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const code = line.trim();
      if (!code) return;
      if (code.length > MAX_COUPON_LENGTH) throw new UserError(`${file}, line ${index + 1}: a code has at most ${MAX_COUPON_LENGTH} characters (one code per line)`);
      codes.push(code);
    });
  if (codes.length === 0) throw new UserError(`${file} holds no codes: write one code per line`);
  return codes;
}

const couponsCommand = new Command('coupons')
  .description('Load incentive codes into a survey\'s pool, one code per line; each respondent who finishes gets one. Codes already in the pool are skipped.')
  .argument('<survey>', 'survey id')
  .argument('<file>', 'text file, one code per line')
  .option('-w, --workspace <name>', WORKSPACE_HELP)
  .action(async (surveyId: string, file: string, options: { workspace?: string }) => {
    const codes = readCouponFile(file);
    await withDatabase('survey coupons', async (context) => {
      const workspace = await existingWorkspace(context, options.workspace);
      const survey = await surveyFor(context, workspace, surveyId);
      const added = await addCoupons(context.opened.db, workspace.id, survey.id, codes);
      const pool = await couponCounts(context.opened.db, workspace.id, survey.id);
      const n = numbers.format;
      console.log(`${n(added)} new ${added === 1 ? 'code' : 'codes'} in the pool of survey "${survey.id}" (${n(codes.length)} read, ${n(codes.length - added)} already there or repeated)`);
      console.log(`  pool: ${n(pool.free)} of ${n(pool.total)} codes not handed out yet`);
      if (survey.incentive?.kind !== 'pool') {
        console.error(`warning: survey "${survey.id}" has no pool incentive, so these codes are not handed out: add "incentive": { "kind": "pool", "text": { … } } to its document`);
      }
    });
  });

function statusCommand(status: 'open' | 'closed') {
  const verb = status === 'open' ? 'open' : 'close';
  return new Command(verb)
    .description(status === 'open' ? 'Open a survey again: it takes answers' : 'Close a survey: its links and widget stop taking answers (the answers given stay)')
    .argument('<survey>', 'survey id')
    .option('-w, --workspace <name>', WORKSPACE_HELP)
    .action(async (surveyId: string, options: { workspace?: string }) => {
      await withDatabase(`survey ${verb}`, async (context) => {
        const workspace = await existingWorkspace(context, options.workspace);
        const survey = await surveyFor(context, workspace, surveyId);
        if (survey.status === status) {
          console.log(`survey "${survey.id}" is already ${status}`);
          return;
        }
        await setSurveyStatus(context.opened.db, workspace.id, survey.id, status);
        console.log(status === 'open' ? `survey "${survey.id}" is open: it takes answers` : `survey "${survey.id}" is closed: it no longer takes answers`);
      });
    });
}

export const surveyCommand = new Command('survey')
  .description('Surveys Sada asks itself: create one from a JSON document, list them, make personal links (and their QR codes), load coupon codes, print the widget identity secret, open and close them')
  .addHelpText('after', '\nThe survey document is described in docs/surveys.md; examples/surveys/ has one per touchpoint.');

for (const command of [createCommand, listCommand, linkCommand, couponsCommand, identitySecretCommand, statusCommand('closed'), statusCommand('open')]) {
  surveyCommand.addCommand(command.showHelpAfterError().exitOverride());
}
