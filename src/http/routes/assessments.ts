import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { answerProblems, PRACTICES, QUESTIONNAIRE_VERSION, SCALE, STEPS } from '../../domain/cx-assessment.ts';
import { createAssessment, findAssessment, listAssessments } from '../../storage/assessments.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { actorOf } from '../auth.ts';
import { apiOperation, idParam, parseBody } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * The CX-management self-assessment (docs/assessment.md): GET the questionnaire (the seed's
 * practices and planning steps, the 0–4 scale, the pages that support each) with the history of
 * assessments taken; POST one (every question answered; analysts and admins; audited); GET one.
 */

const BODY_LIMIT = 8 * 1024;
const NOT_FOUND = 'There is no such assessment in this workspace.';

export const assessmentCreateSchema = z
  .object({
    answers: z.record(z.unknown(), { required_error: 'answers is required: {"<question key>": 0–4} for every question', invalid_type_error: 'answers must be an object of question key → 0–4' })
      .superRefine((answers, ctx) => {
        for (const problem of answerProblems(answers)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      })
      .transform((answers) => answers as Record<string, number>),
    note: z.string({ invalid_type_error: 'note must be a string' }).trim().max(2000, 'note must be at most 2000 characters').nullable().optional().transform((v) => (v === '' ? null : v)),
  })
  .strict();

const section = z.object({ points: z.number(), max: z.number(), percent: z.number() });
const assessmentSchema = z.object({
  id: z.number().int(), questionnaireVersion: z.number().int(), answers: z.record(z.number()), note: z.string().nullable(), createdBy: z.string(), createdAt: z.string(),
  score: z.object({ practices: section, steps: section, total: section }),
});
const item = z.object({ key: z.string(), features: z.array(z.string()) });

apiOperation({
  method: 'get', path: '/api/v1/assessments', tag: 'assessment', role: 'viewer', summary: 'The self-assessment questionnaire and the assessments taken, oldest first',
  responses: { 200: { description: 'Questionnaire and history', schema: z.object({ questionnaire: z.object({ version: z.number(), scale: z.array(z.number()), practices: z.array(item), steps: z.array(item) }), assessments: z.array(assessmentSchema) }) } },
});
apiOperation({ method: 'post', path: '/api/v1/assessments', tag: 'assessment', role: 'analyst', summary: 'Record an assessment: every practice and step scored 0–4', body: assessmentCreateSchema, responses: { 201: { description: 'Recorded, with its score', schema: z.object({ assessment: assessmentSchema }) }, 400: 'Not valid: which question and why' } });
apiOperation({ method: 'get', path: '/api/v1/assessments/{id}', tag: 'assessment', role: 'viewer', summary: 'One assessment with its score', responses: { 200: { description: 'The assessment', schema: z.object({ assessment: assessmentSchema }) } } });

const questionnaire = {
  version: QUESTIONNAIRE_VERSION,
  scale: [...SCALE],
  practices: PRACTICES.map(({ key, features }) => ({ key, features })),
  steps: STEPS.map(({ key, features }) => ({ key, features })),
};

export function assessmentRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/assessments', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    return c.json({ questionnaire, assessments: await listAssessments(db, workspace.id) });
  });

  routes.post('/assessments', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const body = await parseBody(c, assessmentCreateSchema, BODY_LIMIT);
    const actor = actorOf(c.get('principal'));
    const assessment = await db.transaction(async (tx) => {
      const created = await createAssessment(tx, workspace.id, { version: QUESTIONNAIRE_VERSION, answers: body.answers, note: body.note }, actor.label);
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'assessment.create', target: `assessment:${created.id}`, details: { total: created.score.total.points, max: created.score.total.max } });
      return created;
    });
    return c.json({ assessment }, 201);
  });

  routes.get('/assessments/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const assessment = await findAssessment(db, workspace.id, idParam(c.req.param('id'), NOT_FOUND));
    if (!assessment) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ assessment });
  });

  return routes;
}
