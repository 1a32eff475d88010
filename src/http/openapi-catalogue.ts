import { z } from 'zod';
import { eventSchema } from './routes/events.ts';
import { newKeySchema, newUserSchema, roleChangeSchema, signInSchema } from './routes/accounts.ts';
import { createSchema as annotationCreateSchema, updateSchema as annotationUpdateSchema } from './routes/annotations.ts';
import { planSchema } from './routes/imports.ts';
import { moreAnswersBody, newResponseBody } from './routes/public-responses.ts';
import { settingsPatchSchema } from './routes/settings.ts';
import { surveySchema } from '../listening/survey.ts';
import { apiOperation } from './openapi.ts';

/**
 * The operations of routes that do not declare themselves (openapi.ts): their bodies are the zod
 * schemas those routes validate with, and none of them reads a query string (every route that
 * does declares its parameters beside it and reads them through parseQuery; test/openapi.test.ts
 * checks no route reads one by hand). test/security/api-matrix.test.ts checks that every /api
 * route the app serves is in the document, and calls each one.
 */

const ok = (description: string) => ({ 200: description });

// Accounts (routes/accounts.ts)
apiOperation({ method: 'post', path: '/api/v1/session', tag: 'accounts', role: 'public', summary: 'Sign in (sets the session cookie)', body: signInSchema, responses: { 200: 'Signed in', 401: 'Wrong e-mail or password', 429: 'Too many attempts' } });
apiOperation({ method: 'delete', path: '/api/v1/session', tag: 'accounts', role: 'public', summary: 'Sign out', responses: { 204: 'Signed out' } });
apiOperation({ method: 'get', path: '/api/v1/me', tag: 'accounts', role: 'signed-in', summary: 'Who is asking, and their workspaces', responses: ok('The user and workspaces') });
apiOperation({ method: 'get', path: '/api/v1/users', tag: 'accounts', role: 'admin', summary: 'Members of the workspace', responses: ok('Members') });
apiOperation({ method: 'post', path: '/api/v1/users', tag: 'accounts', role: 'admin', summary: 'Add a member', body: newUserSchema, responses: { 201: 'Added', 409: 'Already a member' } });
apiOperation({ method: 'patch', path: '/api/v1/users/{id}', tag: 'accounts', role: 'admin', summary: 'Change a member’s role', body: roleChangeSchema, responses: { 200: 'Changed', 409: 'The last admin' } });
apiOperation({ method: 'delete', path: '/api/v1/users/{id}', tag: 'accounts', role: 'admin', summary: 'Remove a member from the workspace', responses: { 204: 'Removed', 409: 'The last admin' } });
apiOperation({ method: 'get', path: '/api/v1/api-keys', tag: 'accounts', role: 'admin', summary: 'API keys', responses: ok('Keys (never their secrets)') });
apiOperation({ method: 'post', path: '/api/v1/api-keys', tag: 'accounts', role: 'admin', summary: 'Create an API key (the secret is shown once)', body: newKeySchema, responses: { 201: 'Created' } });
apiOperation({ method: 'delete', path: '/api/v1/api-keys/{id}', tag: 'accounts', role: 'admin', summary: 'Revoke an API key', responses: { 204: 'Revoked' } });

// Metrics and reports
apiOperation({ method: 'get', path: '/api/v1/metrics', tag: 'metrics', role: 'viewer', summary: 'The metric catalogue', responses: ok('Metrics with title, unit, definition, breakdowns') });

// Responses (routes/responses.ts)

// Distribution, annotations, imports, settings, surveys
apiOperation({ method: 'post', path: '/api/v1/events', tag: 'distribution', role: 'analyst', summary: 'Something happened to a customer: schedules the triggered surveys', body: eventSchema, responses: { 202: 'Stored and scheduled', 200: 'A retry of an event already received', 400: 'Not a valid event', 409: 'The id was used for another event', 413: 'Over 64 KB' } });
apiOperation({ method: 'post', path: '/api/v1/annotations', tag: 'annotations', role: 'analyst', summary: 'Add an annotation', body: annotationCreateSchema, responses: { 201: 'Added', 400: 'Not valid' } });
apiOperation({ method: 'get', path: '/api/v1/annotations/{id}', tag: 'annotations', role: 'viewer', summary: 'One annotation', responses: ok('The annotation') });
apiOperation({ method: 'patch', path: '/api/v1/annotations/{id}', tag: 'annotations', role: 'analyst', summary: 'Change an annotation', body: annotationUpdateSchema, responses: { 200: 'Changed', 400: 'Not valid' } });
apiOperation({ method: 'delete', path: '/api/v1/annotations/{id}', tag: 'annotations', role: 'analyst', summary: 'Delete an annotation', responses: { 204: 'Deleted' } });
apiOperation({ method: 'get', path: '/api/v1/imports/kinds', tag: 'imports', role: 'viewer', summary: 'What can be imported, with presets', responses: ok('Kinds') });
apiOperation({ method: 'post', path: '/api/v1/imports/{id}/preview', tag: 'imports', role: 'analyst', summary: 'The first rows through a mapping or preset', body: planSchema, responses: ok('Preview') });
apiOperation({ method: 'post', path: '/api/v1/imports/{id}/dry-run', tag: 'imports', role: 'analyst', summary: 'Every batch in a rolled-back transaction', body: planSchema, responses: ok('Would-insert counts and bad rows') });
apiOperation({ method: 'post', path: '/api/v1/imports/{id}/commit', tag: 'imports', role: 'analyst', summary: 'Import the upload', body: planSchema, responses: ok('The import summary') });
apiOperation({ method: 'delete', path: '/api/v1/imports/{id}', tag: 'imports', role: 'analyst', summary: 'Delete an upload', responses: { 204: 'Deleted' } });
apiOperation({ method: 'get', path: '/api/v1/workspace-settings', tag: 'settings', role: 'viewer', summary: 'Time zone, business hours, thresholds, churn window', responses: ok('Settings') });
apiOperation({ method: 'patch', path: '/api/v1/workspace-settings', tag: 'settings', role: 'admin', summary: 'Change the workspace settings', body: settingsPatchSchema, responses: { 200: 'Changed', 400: 'Not valid' } });
apiOperation({ method: 'get', path: '/api/v1/hook-receivers', tag: 'settings', role: 'admin', summary: 'Incoming webhook receivers with their URLs', responses: ok('Receivers') });
apiOperation({ method: 'put', path: '/api/v1/hook-receivers/{tool}/secret', tag: 'settings', role: 'admin', summary: 'Set or rotate a receiver’s secret', body: z.object({ secret: z.string().min(8).max(512).optional() }).strict(), responses: ok('Set') });
apiOperation({ method: 'delete', path: '/api/v1/hook-receivers/{tool}/secret', tag: 'settings', role: 'admin', summary: 'Remove a receiver’s secret', responses: { 204: 'Removed' } });
apiOperation({ method: 'get', path: '/api/v1/surveys', tag: 'surveys', role: 'viewer', summary: 'The workspace’s surveys', responses: ok('Surveys') });
apiOperation({ method: 'post', path: '/api/v1/surveys', tag: 'surveys', role: 'analyst', summary: 'Create a survey', body: surveySchema, responses: { 201: 'Created', 400: 'Not a valid survey', 409: 'The id is taken' } });
apiOperation({ method: 'get', path: '/api/v1/surveys/{id}', tag: 'surveys', role: 'viewer', summary: 'One survey', responses: ok('The survey') });
apiOperation({ method: 'put', path: '/api/v1/surveys/{id}', tag: 'surveys', role: 'analyst', summary: 'Replace a survey', body: surveySchema, responses: { 200: 'Saved', 400: 'Not a valid survey' } });
for (const action of ['open', 'close'] as const) {
  apiOperation({ method: 'post', path: `/api/v1/surveys/{id}/${action}`, tag: 'surveys', role: 'analyst', summary: `${action === 'open' ? 'Open' : 'Close'} a survey`, responses: ok(action === 'open' ? 'Opened' : 'Closed') });
}
apiOperation({ method: 'post', path: '/api/v1/surveys/preview', tag: 'surveys', role: 'viewer', summary: 'Render a survey without saving it', body: surveySchema, responses: { 200: 'The preview', 400: 'Not a valid survey' } });

// Public survey endpoints (routes/public-responses.ts) and incoming webhooks (routes/hooks.ts)
apiOperation({ method: 'post', path: '/api/v1/public/responses', tag: 'public', role: 'public', summary: 'Answer a survey (widget, link page, your own form)', body: newResponseBody, responses: { 201: 'Stored', 400: 'Not valid', 409: 'Single-use link already answered, or the survey is closed', 413: 'Too large', 429: 'Rate limited' } });
apiOperation({ method: 'patch', path: '/api/v1/public/responses/{id}', tag: 'public', role: 'public', summary: 'Add answers to an unfinished response, or finish it', body: moreAnswersBody, responses: { 200: 'Stored', 404: 'No such response', 409: 'Already finished, or the survey is closed' } });
apiOperation({ method: 'post', path: '/api/v1/hooks/{tool}', tag: 'hooks', role: 'public', summary: 'Incoming webhook from a tool (signed with its secret)', query: z.object({ workspace: z.string() }), body: z.record(z.unknown()), responses: { 202: 'Received', 401: 'Bad signature' } });
