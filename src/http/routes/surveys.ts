import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodIssue } from 'zod';
import { localizeSurvey } from '../../listening/localize.ts';
import { isScored, languageDirection, surveySchema, textIn, type Survey } from '../../listening/survey.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { findSurvey, listSurveys, saveSurvey, setSurveyStatus, surveyScoreCounts } from '../../storage/surveys.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import { actorOf } from '../auth.ts';
import { readJsonBody } from '../json-body.ts';
import { surveyStepPage, thankYouPage } from '../pages/survey.ts';
import { workspaceOf } from '../workspace-access.ts';
import { firstStep, hasSecondStep } from './survey-pages.ts';

/**
 * The survey management API (docs/surveys.md, "The management API"), the builder's server:
 *
 * - GET  /api/v1/surveys                 every survey of the workspace, with its finished
 *                                        responses and the scores it received (rollups) (viewer)
 * - POST /api/v1/surveys                 create one from a document (analyst; 409 if the id exists)
 * - GET  /api/v1/surveys/:id             its document, answer count and share details (viewer)
 * - PUT  /api/v1/surveys/:id             replace its document (analyst)
 * - POST /api/v1/surveys/:id/close|open  stop or resume answers (analyst)
 * - POST /api/v1/surveys/preview         an unsaved draft rendered by the link page's own
 *                                        templates, for the builder's sandboxed preview (viewer)
 *
 * Documents are checked by the one survey schema (surveySchema); a refusal is a 400 listing
 * every problem with its path (`questions.0.scale`) so the builder shows it beside its field.
 * Every change writes an audit row in the transaction of the change.
 */

const BODY_LIMIT = 256 * 1024;

export interface SurveyIssue {
  path: string;
  message: string;
}

export interface SurveyRoutesOptions {
  /** SADA_PUBLIC_URL: the address respondents reach the server at; else the request's origin. */
  publicUrl?: string;
}

const issuesOf = (issues: ZodIssue[]): SurveyIssue[] => issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/** The builder's 400: every problem with its path, and one sentence for API users. */
const invalid = (c: Context, issues: SurveyIssue[]) =>
  c.json({ error: 'invalid_survey', message: `The survey is not valid: ${issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ')}`, issues }, 400);

async function documentOf(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const body = await readJsonBody(c, BODY_LIMIT);
  if (!body.ok) return { ok: false, response: c.json({ error: body.status === 413 ? 'too_large' : 'invalid_json', message: body.message }, body.status) };
  return { ok: true, value: body.value };
}

/** What the share panel shows: the link, the QR code and the widget's embed code, as the server serves them. */
export function shareOf(origin: string, workspace: string, survey: Pick<Survey, 'id' | 'access'>) {
  const path = `/s/${encodeURIComponent(workspace)}/${encodeURIComponent(survey.id)}`;
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const isPublic = survey.access === 'public';
  return {
    link: `${origin}${path}`,
    // A personal survey has no shared code or widget: each answer needs a person's signed link.
    qr: isPublic ? `${path}/qr.svg` : null,
    embed: isPublic ? `<script src="${origin}/widget.js" data-workspace="${attribute(workspace)}" data-survey="${attribute(survey.id)}" async></script>` : null,
    calls: isPublic ? `window.sada = window.sada || [];\nsada.push(['open', ${JSON.stringify(survey.id)}]);` : null,
    personalLink: `sada survey link ${survey.id} --customer <customer id> --workspace ${workspace}`,
  };
}

export function surveyRoutes(db: Database, defaultWorkspace: string, { publicUrl }: SurveyRoutesOptions = {}): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };
  const originOf = (c: Context) => (publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');

  routes.get('/surveys', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const [rows, scores] = await Promise.all([listSurveys(db, workspace.id), surveyScoreCounts(db, workspace.id)]);
    return c.json({
      workspace: workspace.name,
      surveys: rows.map((row) => {
        const definition = row.definition ?? {};
        // Imported surveys (another tool's export) have no questions Sada can ask: listed, not editable.
        const editable = Array.isArray(definition.questions);
        return {
          id: row.id,
          name: row.name,
          touchpoint: row.touchpoint,
          status: row.status,
          completed: row.completed,
          scores: scores.get(row.id) ?? 0,
          updatedAt: row.updatedAt ? new Date(row.updatedAt).toISOString() : null,
          editable,
          access: editable ? (definition.access ?? 'public') : null,
          audience: editable ? (definition.audience ?? 'customers') : null,
          kinds: editable ? definition.questions!.map((q) => q.kind) : [],
          languages: editable ? (definition.languages ?? []) : [],
        };
      }),
    });
  });

  const answer = async (c: Context, workspace: Workspace, id: string, status = 200 as 200 | 201) => {
    const stored = await findSurvey(db, workspace.id, id, { fresh: true });
    if (!stored) throw new HTTPException(404, { message: `There is no survey "${id}" in workspace "${workspace.name}".` });
    const [row] = await db.query<{ completed: number }>(
      `SELECT count(*)::integer AS completed FROM submissions WHERE workspace_id = $1 AND survey_id = $2 AND completed_at IS NOT NULL`,
      [workspace.id, id],
    );
    return c.json({ workspace: workspace.name, survey: stored.survey, completed: row?.completed ?? 0, share: shareOf(originOf(c), workspace.name, stored.survey) }, status);
  };

  routes.post('/surveys', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const body = await documentOf(c);
    if (!body.ok) return body.response;
    const parsed = surveySchema.safeParse(body.value);
    if (!parsed.success) return invalid(c, issuesOf(parsed.error.issues));
    const survey = parsed.data;
    const actor = actorOf(c.get('principal'));
    try {
      await saveSurvey(db, workspace.id, survey, async (tx, outcome) => {
        if (outcome === 'updated') throw new HTTPException(409, { message: `Workspace "${workspace.name}" already has a survey "${survey.id}": choose another id, or change that survey with PUT /api/v1/surveys/${survey.id}.` });
        await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'survey.create', target: `survey:${survey.id}`, details: { name: survey.name, touchpoint: survey.touchpoint } });
      });
    } catch (error) {
      if (error instanceof HTTPException) return c.json({ error: 'conflict', message: error.message, issues: [{ path: 'id', message: error.message }] }, 409);
      throw error;
    }
    return answer(c, workspace, survey.id, 201);
  });

  routes.get('/surveys/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    return answer(c, workspace, c.req.param('id'));
  });

  routes.put('/surveys/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = c.req.param('id');
    const body = await documentOf(c);
    if (!body.ok) return body.response;
    const document = body.value;
    if (document && typeof document === 'object' && !Array.isArray(document)) {
      const named = (document as { id?: unknown }).id;
      if (named === undefined) (document as { id?: unknown }).id = id;
      else if (named !== id) return invalid(c, [{ path: 'id', message: `the id cannot change (it is in every link and answer): keep "${id}", or create a new survey` }]);
    }
    const parsed = surveySchema.safeParse(document);
    if (!parsed.success) return invalid(c, issuesOf(parsed.error.issues));
    const survey = parsed.data;
    const before = await findSurvey(db, workspace.id, id, { fresh: true });
    if (!before) throw new HTTPException(404, { message: `There is no survey "${id}" in workspace "${workspace.name}"; create it with POST /api/v1/surveys.` });
    const actor = actorOf(c.get('principal'));
    try {
      await saveSurvey(db, workspace.id, survey, async (tx, outcome) => {
        if (outcome === 'created') throw new HTTPException(404, { message: `Survey "${id}" was deleted meanwhile.` });
        await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'survey.update', target: `survey:${id}`, details: { name: survey.name, ...(before.status !== survey.status ? { status: survey.status } : {}) } });
      });
    } catch (error) {
      if (error instanceof HTTPException) return c.json({ error: 'not_found', message: error.message }, 404);
      throw error;
    }
    return answer(c, workspace, id);
  });

  for (const [action, status] of [['close', 'closed'], ['open', 'open']] as const) {
    routes.post(`/surveys/:id/${action}`, async (c) => {
      const workspace = await workspaceOf(c, access, 'analyst');
      const id = c.req.param('id');
      const actor = actorOf(c.get('principal'));
      // Imported surveys (no questions Sada can ask) are not managed here.
      const exists = await findSurvey(db, workspace.id, id, { fresh: true });
      const changed =
        exists &&
        (await setSurveyStatus(db, workspace.id, id, status, async (tx, before) => {
          if (before !== status) await writeAudit(tx, { workspaceId: workspace.id, actor, action: `survey.${action}`, target: `survey:${id}` });
        }));
      if (!changed) throw new HTTPException(404, { message: `There is no survey "${id}" in workspace "${workspace.name}".` });
      return answer(c, workspace, id);
    });
  }

  /**
   * An unsaved draft as the link page would show it: the page's own templates (escaped,
   * no script), returned as JSON for a sandboxed iframe's srcdoc — never served as a page of
   * this origin. A draft the schema refuses answers { valid: false, issues }: the builder's live check.
   */
  routes.post('/surveys/preview', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const body = await documentOf(c);
    if (!body.ok) return body.response;
    const { draft, language: wanted, step = 'start' } = (body.value ?? {}) as { draft?: unknown; language?: unknown; step?: unknown };
    if (!['start', 'low', 'middle', 'high', 'thanks'].includes(String(step))) {
      return c.json({ error: 'invalid_body', message: 'step must be start, low, middle, high or thanks' }, 400);
    }
    const parsed = surveySchema.safeParse(draft);
    // A draft being written is often incomplete: that is the answer to the check, not a bad request.
    if (!parsed.success) return c.json({ valid: false, issues: issuesOf(parsed.error.issues) });
    const survey = parsed.data;
    const language = typeof wanted === 'string' && survey.languages.includes(wanted) ? wanted : survey.defaultLanguage;
    const view = localizeSurvey(survey, language);
    const noLink = () => '#';
    let html: string;
    if (step === 'thanks') {
      const incentive = survey.incentive ? { text: textIn(survey.incentive.text, language, survey.defaultLanguage), code: survey.incentive.kind === 'code' ? survey.incentive.code : 'SADA-7Q2K' } : null;
      html = String(await thankYouPage(view, incentive));
    } else if (step === 'start') {
      const ids = new Set(firstStep(survey));
      html = String(
        await surveyStepPage({
          view,
          questions: view.questions.filter((q) => ids.has(q.id)),
          followUps: [],
          action: '#preview',
          hidden: {},
          final: !hasSecondStep(survey),
          showReviewConsent: false,
          errors: {},
          values: {},
          optOut: survey.access === 'personal' ? { action: '#preview', token: 'preview' } : undefined,
          hrefForLanguage: noLink,
        }),
      );
    } else {
      const band = step as 'low' | 'middle' | 'high';
      const first = new Set(firstStep(survey));
      const scored = view.questions.filter((q) => first.has(q.id) && q.followUp);
      html = String(
        await surveyStepPage({
          view,
          questions: view.questions.filter((q) => !first.has(q.id)),
          followUps: scored.map((q) => ({ questionId: q.id, text: q.followUp![band] })),
          action: '#preview',
          hidden: {},
          final: true,
          showReviewConsent: true,
          errors: {},
          values: {},
          hrefForLanguage: noLink,
        }),
      );
    }
    const followUp = survey.questions.some((q) => isScored(q) && q.followUp && firstStep(survey).includes(q.id));
    return c.json({ valid: true, language, dir: languageDirection(language), html, steps: { followUp, second: hasSecondStep(survey) } });
  });

  return routes;
}
