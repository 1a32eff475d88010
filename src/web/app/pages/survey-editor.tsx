import { createContext, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { BUILTIN_CHANNELS, BUILTIN_TOUCHPOINTS } from '../../../domain/catalog.ts';
import { withQuery } from '../api.ts';
import { Failure, Loading } from '../components/Status.tsx';
import { useApi, useWorkspace } from '../hooks.ts';
import '../catalogues-all.ts';
import { createI18n, LOCALES, useI18n, type MessageKey } from '../i18n.tsx';
import type { SurveyDetail, SurveyDoc, SurveyIssue, SurveyPreview, SurveyQuestionDoc, SurveyQuestionKind, SurveyTexts } from '../types.ts';

/**
 * One survey's editor: the document of docs/surveys.md as a form, its texts side by side in
 * every language (missing translations flagged), a live preview in each language, the
 * distribution settings and the share panel.
 *
 * The preview is the link page itself: the draft, unsaved, goes to POST /api/v1/surveys/preview,
 * which checks it with the survey schema and renders it with the link page's own templates
 * (src/http/pages/survey.ts); the HTML is shown in an iframe with an empty `sandbox` (no script,
 * no form submission, an opaque origin) through `srcdoc`. So the preview is exactly what a
 * respondent gets — right to left, scale direction, fallbacks — and it cannot answer the real
 * survey. A GET of the public page with `?preview=1` could not carry an unsaved draft, and the
 * public route must not render documents people post to it (anyone could host pages here).
 */

const BASE_LANGUAGES = LOCALES as readonly string[];
const SCORED: SurveyQuestionKind[] = ['nps', 'csat', 'ces', 'esat', 'enps'];
/** The scales each scored kind may use (surveySchema's ALLOWED_SCALES; the server checks again). */
const SCALES: Partial<Record<SurveyQuestionKind, string[]>> = { nps: ['0-10'], enps: ['0-10'], csat: ['1-5', '1-10'], ces: ['1-7', '1-5', '1-10'], esat: ['1-5', '1-7', '1-10'] };
const KINDS: Record<'customers' | 'employees', SurveyQuestionKind[]> = {
  customers: ['nps', 'csat', 'ces', 'intent', 'choice', 'profile', 'text'],
  employees: ['esat', 'enps', 'choice', 'text'],
};
const PROFILE_FIELDS = ['age_band', 'gender', 'country', 'city', 'sector', 'headcount', 'plan'];
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const STEPS = ['start', 'low', 'middle', 'high', 'thanks'] as const;
type Step = (typeof STEPS)[number];

export const dirOf = (tag: string): 'ltr' | 'rtl' => (RTL.has(tag.split('-')[0] ?? '') ? 'rtl' : 'ltr');

export function languageName(locale: string, tag: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const CATALOGUES = Object.fromEntries(LOCALES.map((l) => [l, createI18n(l)]));

/** A standard wording in the catalogue's languages that the survey offers (the builder's starting text). */
function standardText(key: MessageKey, languages: string[]): SurveyTexts {
  const texts: SurveyTexts = {};
  for (const l of languages) if (CATALOGUES[l]) texts[l] = CATALOGUES[l]!.t(key);
  return texts;
}

function newQuestion(kind: SurveyQuestionKind, languages: string[], taken: string[]): SurveyQuestionDoc {
  let id: string = kind;
  for (let n = 2; taken.includes(id); n++) id = `${kind}-${n}`;
  const text = standardText(`surveys.template.${kind}` as MessageKey, languages);
  if (SCORED.includes(kind)) return { id, kind, text, followUp: { text: standardText('surveys.template.why', languages) } };
  if (kind === 'text') return { id, kind, text };
  const choices = [1, 2].map((n) => ({ id: `option-${n}`, text: {} }));
  return kind === 'profile' ? { id, kind, field: 'age_band', text, choices } : { id, kind, text, choices };
}

function newDraft(): SurveyDoc {
  const languages = [...BASE_LANGUAGES];
  return {
    id: '',
    name: '',
    touchpoint: 'website',
    access: 'public',
    audience: 'customers',
    defaultLanguage: 'en',
    languages,
    questions: [newQuestion('nps', languages, [])],
    thankYou: standardText('surveys.template.thanks', languages),
    limits: { singleUse: true, cooldownDays: 90 },
  };
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);

/** A text with one language changed; an emptied text disappears. */
function withText(texts: SurveyTexts | undefined, language: string, value: string): SurveyTexts | undefined {
  const next = { ...(texts ?? {}) };
  if (value === '') delete next[language];
  else next[language] = value;
  return Object.keys(next).length > 0 ? next : undefined;
}

/** Every text of the draft with its path, as surveySchema's localizedTexts lists them. */
function allTexts(draft: SurveyDoc): Array<[string, SurveyTexts]> {
  const texts: Array<[string, SurveyTexts]> = [];
  draft.questions.forEach((q, i) => {
    texts.push([`questions.${i}.text`, q.text]);
    if (q.lowLabel) texts.push([`questions.${i}.lowLabel`, q.lowLabel]);
    if (q.highLabel) texts.push([`questions.${i}.highLabel`, q.highLabel]);
    for (const band of ['text', 'low', 'middle', 'high'] as const) {
      const text = q.followUp?.[band];
      if (text) texts.push([`questions.${i}.followUp.${band}`, text]);
    }
    q.choices?.forEach((c, j) => texts.push([`questions.${i}.choices.${j}.text`, c.text]));
  });
  if (draft.thankYou) texts.push(['thankYou', draft.thankYou]);
  if (draft.incentive) texts.push(['incentive.text', draft.incentive.text]);
  if (draft.reviewConsent) texts.push(['reviewConsent.text', draft.reviewConsent.text]);
  return texts;
}

// Problems from the server, by path ----------------------------------------------------------

const IssuesContext = createContext<SurveyIssue[]>([]);

/** The schema's problems at this path (and, with `nested`, below it). */
function useIssues(path: string, nested = false): SurveyIssue[] {
  const issues = useContext(IssuesContext);
  return issues.filter((i) => i.path === path || (nested && i.path.startsWith(`${path}.`)));
}

function Problems({ path, nested, id }: { path: string; nested?: boolean; id?: string }) {
  const issues = useIssues(path, nested);
  if (issues.length === 0) return null;
  return (
    <ul className="field-problems" id={id} data-path={path}>
      {issues.map((issue, index) => (
        <li key={index} lang="en" dir="ltr">
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

/** A labelled control with its problems under it, tied by aria-describedby. */
function Field({ label, path, hint, children, className }: { label: string; path: string; hint?: string; className?: string; children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const issues = useIssues(path);
  const described = [hint ? `${id}-hint` : '', issues.length ? `${id}-problems` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(issues.length ? { 'aria-invalid': true } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint && (
        <small className="muted" id={`${id}-hint`}>
          {hint}
        </small>
      )}
      <Problems path={path} id={`${id}-problems`} />
    </div>
  );
}

// The editor ----------------------------------------------------------------------------------

interface Sent<T> {
  status: number;
  payload: T & { message?: string; issues?: SurveyIssue[] };
}

async function send<T>(method: string, path: string, query: Record<string, string>, body: unknown): Promise<Sent<T>> {
  const response = await fetch(withQuery(path, query), {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 401) location.assign(withQuery('/login', { next: location.pathname + location.search }));
  const payload = (await response.json().catch(() => ({ message: response.statusText }))) as Sent<T>['payload'];
  return { status: response.status, payload };
}

export function SurveyEditor({ surveyId, onDone }: { surveyId: string | null; onDone: (id: string | null) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canEdit = workspace.role !== 'viewer';
  const loaded = useApi<SurveyDetail>(surveyId ? `/api/v1/surveys/${encodeURIComponent(surveyId)}` : null, { workspace: workspace.name });
  const [draft, setDraft] = useState<SurveyDoc | null>(surveyId ? null : newDraft());
  const [detail, setDetail] = useState<SurveyDetail>();
  const [issues, setIssues] = useState<SurveyIssue[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [idTouched, setIdTouched] = useState(Boolean(surveyId));
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!loaded.data) return;
    setDetail(loaded.data);
    setDraft((current) => (current && current.id === loaded.data!.survey.id ? current : loaded.data!.survey));
  }, [loaded.data]);

  if (loaded.error) return <Failure error={loaded.error} />;
  if (!draft) return <Loading />;

  const update = (change: (d: SurveyDoc) => void) => {
    setSaved(false);
    setDraft((current) => {
      const next = structuredClone(current!);
      change(next);
      return next;
    });
  };
  const columns = [...BASE_LANGUAGES, ...draft.languages.filter((l) => !BASE_LANGUAGES.includes(l))];
  const missing = Object.fromEntries(draft.languages.map((l) => [l, allTexts(draft).filter(([, texts]) => Object.keys(texts).length > 0 && !texts[l]).length]));

  const save = async () => {
    setSaving(true);
    setIssues([]);
    setFailure(undefined);
    try {
      const query = { workspace: workspace.name };
      const result = detail
        ? await send<SurveyDetail>('PUT', `/api/v1/surveys/${encodeURIComponent(detail.survey.id)}`, query, draft)
        : await send<SurveyDetail>('POST', '/api/v1/surveys', query, draft);
      if (result.status === 200 || result.status === 201) {
        setDetail(result.payload);
        setDraft(result.payload.survey);
        setSaved(true);
        if (!detail) onDone(result.payload.survey.id);
      } else if (result.payload.issues) {
        setIssues(result.payload.issues);
        requestAnimationFrame(() => summary.current?.focus());
      } else {
        setFailure(result.payload.message ?? String(result.status));
      }
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const kinds = KINDS[draft.audience ?? 'customers'];

  return (
    <IssuesContext.Provider value={issues}>
      <p className="back-link">
        <a
          href="/surveys"
          onClick={(event) => {
            event.preventDefault();
            onDone(null);
          }}
        >
          {t('surveys.backToList')}
        </a>
      </p>
      <h1 dir="auto">{detail ? detail.survey.name : t('surveys.newTitle')}</h1>
      {detail && (
        <p className="lede">
          {t('surveys.editing', { status: t(`surveys.status.${detail.survey.status ?? 'open'}` as MessageKey), count: detail.completed, answers: i18n.number(detail.completed) })}
        </p>
      )}
      <div className="builder">
        <form
          className="builder-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {issues.length > 0 && (
            <div className="status status-error" role="alert" tabIndex={-1} ref={summary} data-testid="save-problems">
              <strong>{t('surveys.problems', { count: issues.length })}</strong>
              <ul>
                {issues.map((issue, index) => (
                  <li key={index}>
                    <code dir="ltr">{issue.path || '—'}</code>{' '}
                    <span lang="en" dir="ltr">
                      {issue.message}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}

          <fieldset className="panel">
            <legend>{t('surveys.section.basics')}</legend>
            <div className="field-row">
              <Field label={t('surveys.field.name')} path="name">
                {(props) => (
                  <input
                    {...props}
                    dir="auto"
                    value={draft.name}
                    maxLength={200}
                    onChange={(event) =>
                      update((d) => {
                        d.name = event.target.value;
                        if (!idTouched) d.id = slug(event.target.value);
                      })
                    }
                    data-testid="survey-name"
                  />
                )}
              </Field>
              <Field label={t('surveys.field.id')} path="id" hint={t('surveys.hint.id')}>
                {(props) => (
                  <input
                    {...props}
                    dir="ltr"
                    value={draft.id}
                    readOnly={Boolean(detail)}
                    maxLength={63}
                    onChange={(event) => {
                      setIdTouched(true);
                      update((d) => void (d.id = event.target.value));
                    }}
                    data-testid="survey-id"
                  />
                )}
              </Field>
            </div>
            <div className="field-row">
              <Field label={t('surveys.field.touchpoint')} path="touchpoint">
                {(props) => (
                  <>
                    <input {...props} list="survey-touchpoints" dir="auto" value={draft.touchpoint} maxLength={63} onChange={(event) => update((d) => void (d.touchpoint = event.target.value))} />
                    <datalist id="survey-touchpoints">
                      {BUILTIN_TOUCHPOINTS.map((tp) => (
                        <option key={tp} value={tp} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
              <Field label={t('surveys.field.channel')} path="channel" hint={t('surveys.hint.channel')}>
                {(props) => (
                  <>
                    <input
                      {...props}
                      list="survey-channels"
                      dir="auto"
                      value={draft.channel ?? ''}
                      maxLength={63}
                      onChange={(event) =>
                        update((d) => {
                          if (event.target.value) d.channel = event.target.value;
                          else delete d.channel;
                        })
                      }
                    />
                    <datalist id="survey-channels">
                      {BUILTIN_CHANNELS.map((ch) => (
                        <option key={ch} value={ch} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
              <Field label={t('surveys.field.audience')} path="audience">
                {(props) => (
                  <select {...props} value={draft.audience ?? 'customers'} onChange={(event) => update((d) => void (d.audience = event.target.value as 'customers' | 'employees'))}>
                    <option value="customers">{t('surveys.audience.customers')}</option>
                    <option value="employees">{t('surveys.audience.employees')}</option>
                  </select>
                )}
              </Field>
            </div>
          </fieldset>

          <fieldset className="panel" data-testid="languages">
            <legend>{t('surveys.section.languages')}</legend>
            <p className="muted">{t('surveys.hint.languages')}</p>
            <table className="language-table">
              <thead>
                <tr>
                  <th scope="col">{t('surveys.column.language')}</th>
                  <th scope="col">{t('surveys.column.offered')}</th>
                  <th scope="col">{t('surveys.column.defaultLanguage')}</th>
                  <th scope="col">{t('surveys.column.missing')}</th>
                </tr>
              </thead>
              <tbody>
                {columns.map((l) => {
                  const offered = draft.languages.includes(l);
                  const name = languageName(i18n.locale, l);
                  return (
                    <tr key={l} data-language={l}>
                      <th scope="row">
                        {name} <span className="muted" dir="ltr">({l})</span>
                      </th>
                      <td>
                        <input
                          type="checkbox"
                          checked={offered}
                          aria-label={t('surveys.offerIn', { language: name })}
                          disabled={offered && draft.defaultLanguage === l}
                          onChange={(event) =>
                            update((d) => {
                              d.languages = event.target.checked ? columns.filter((c) => c === l || d.languages.includes(c)) : d.languages.filter((c) => c !== l);
                            })
                          }
                        />
                      </td>
                      <td>
                        <input
                          type="radio"
                          name="default-language"
                          checked={draft.defaultLanguage === l}
                          aria-label={t('surveys.defaultIn', { language: name })}
                          onChange={() =>
                            update((d) => {
                              d.defaultLanguage = l;
                              if (!d.languages.includes(l)) d.languages = columns.filter((c) => c === l || d.languages.includes(c));
                            })
                          }
                        />
                      </td>
                      <td data-testid="missing-count">
                        {offered ? (missing[l] ? <span className="flag">{t('surveys.missingCount', { count: missing[l] })}</span> : <span className="good">{t('surveys.complete')}</span>) : <span className="muted">—</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Problems path="languages" nested />
            <Problems path="defaultLanguage" />
            <AddLanguage
              onAdd={(tag) =>
                update((d) => {
                  if (!d.languages.includes(tag)) d.languages.push(tag);
                })
              }
            />
          </fieldset>

          <section className="panel" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{t('surveys.section.questions')}</h2>
            <p className="muted">{t('surveys.hint.questions')}</p>
            <Problems path="questions" />
            {draft.questions.map((q, index) => (
              <QuestionEditor
                key={index}
                index={index}
                question={q}
                kinds={kinds}
                columns={columns}
                draft={draft}
                count={draft.questions.length}
                update={(change) => update((d) => change(d.questions[index]!, d))}
                remove={() => update((d) => void d.questions.splice(index, 1))}
                move={(by) =>
                  update((d) => {
                    const [moved] = d.questions.splice(index, 1);
                    d.questions.splice(index + by, 0, moved!);
                  })
                }
              />
            ))}
            {draft.questions.length < 3 && (
              <AddQuestion
                kinds={kinds}
                onAdd={(kind) =>
                  update((d) => {
                    d.questions.push(newQuestion(kind, d.languages, d.questions.map((q) => q.id)));
                  })
                }
              />
            )}
          </section>

          <fieldset className="panel">
            <legend>{t('surveys.section.ending')}</legend>
            <div className="field-row">
              <label className="check">
                <input
                  type="checkbox"
                  checked={Boolean(draft.reviewConsent)}
                  onChange={(event) =>
                    update((d) => {
                      if (event.target.checked) d.reviewConsent = { text: standardText('surveys.template.consent', d.languages) };
                      else delete d.reviewConsent;
                    })
                  }
                />
                {t('surveys.field.reviewConsent')}
              </label>
            </div>
            <div className="field-row">
              <Field label={t('surveys.field.incentive')} path="incentive.kind">
                {(props) => (
                  <select
                    {...props}
                    value={draft.incentive?.kind ?? ''}
                    onChange={(event) =>
                      update((d) => {
                        const kind = event.target.value;
                        const text = d.incentive?.text ?? standardText('surveys.template.incentive', d.languages);
                        if (kind === 'code') d.incentive = { kind, code: d.incentive?.kind === 'code' ? d.incentive.code : '', text };
                        else if (kind === 'pool') d.incentive = { kind, text };
                        else delete d.incentive;
                      })
                    }
                    data-testid="incentive-kind"
                  >
                    <option value="">{t('surveys.incentive.none')}</option>
                    <option value="code">{t('surveys.incentive.code')}</option>
                    <option value="pool">{t('surveys.incentive.pool')}</option>
                  </select>
                )}
              </Field>
              {draft.incentive?.kind === 'code' && (
                <Field label={t('surveys.field.code')} path="incentive.code">
                  {(props) => (
                    <input
                      {...props}
                      dir="ltr"
                      value={draft.incentive?.kind === 'code' ? draft.incentive.code : ''}
                      maxLength={100}
                      onChange={(event) => update((d) => void (d.incentive?.kind === 'code' && (d.incentive.code = event.target.value)))}
                    />
                  )}
                </Field>
              )}
            </div>
            {draft.incentive?.kind === 'pool' && <p className="muted">{t('surveys.hint.pool')}</p>}
            <TextsTable
              caption={t('surveys.section.endingTexts')}
              columns={columns}
              draft={draft}
              rows={[
                { path: 'thankYou', label: t('surveys.text.thankYou'), value: draft.thankYou, set: (d, v) => (v ? (d.thankYou = v) : delete d.thankYou) },
                ...(draft.reviewConsent ? [{ path: 'reviewConsent.text', label: t('surveys.text.reviewConsent'), value: draft.reviewConsent.text, required: true, set: (d: SurveyDoc, v?: SurveyTexts) => void (d.reviewConsent = { text: v ?? {} }) }] : []),
                ...(draft.incentive ? [{ path: 'incentive.text', label: t('surveys.text.incentive'), value: draft.incentive.text, required: true, set: (d: SurveyDoc, v?: SurveyTexts) => void (d.incentive && (d.incentive.text = v ?? {})) }] : []),
              ]}
              update={update}
            />
          </fieldset>

          <fieldset className="panel" data-testid="distribution">
            <legend>{t('surveys.section.distribution')}</legend>
            <fieldset className="radios">
              <legend>{t('surveys.field.access')}</legend>
              {(['public', 'personal'] as const).map((a) => (
                <label key={a} className="check">
                  <input type="radio" name="access" value={a} checked={(draft.access ?? 'public') === a} onChange={() => update((d) => void (d.access = a))} />
                  <span>
                    <strong>{t(`surveys.access.${a}`)}</strong> — <span className="muted">{t(`surveys.accessHint.${a}`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="field-row">
              <Field label={t('surveys.field.status')} path="status">
                {(props) => (
                  <select {...props} value={draft.status ?? 'open'} onChange={(event) => update((d) => void (d.status = event.target.value as 'open' | 'closed'))}>
                    <option value="open">{t('surveys.status.open')}</option>
                    <option value="closed">{t('surveys.status.closed')}</option>
                  </select>
                )}
              </Field>
              <Field label={t('surveys.field.cooldownDays')} path="limits.cooldownDays" hint={t('surveys.hint.cooldown')}>
                {(props) => (
                  <input
                    {...props}
                    type="number"
                    min={0}
                    max={3650}
                    value={draft.limits?.cooldownDays ?? 90}
                    onChange={(event) => update((d) => void (d.limits = { ...d.limits, cooldownDays: event.target.value === '' ? 0 : Number(event.target.value) }))}
                  />
                )}
              </Field>
              <Field label={t('surveys.field.maxResponses')} path="limits.maxResponses" hint={t('surveys.hint.maxResponses')}>
                {(props) => (
                  <input
                    {...props}
                    type="number"
                    min={1}
                    value={draft.limits?.maxResponses ?? ''}
                    onChange={(event) =>
                      update((d) => {
                        d.limits = { ...d.limits };
                        if (event.target.value === '') delete d.limits.maxResponses;
                        else d.limits.maxResponses = Number(event.target.value);
                      })
                    }
                  />
                )}
              </Field>
            </div>
            <label className="check">
              <input type="checkbox" checked={draft.limits?.singleUse ?? true} onChange={(event) => update((d) => void (d.limits = { ...d.limits, singleUse: event.target.checked }))} />
              {t('surveys.field.singleUse')}
            </label>
          </fieldset>

          <div className="save-bar">
            <button type="submit" className="primary" disabled={saving || !canEdit} data-testid="save">
              {t(detail ? 'surveys.save' : 'surveys.create')}
            </button>
            {!canEdit && <span className="muted">{t('surveys.readOnly')}</span>}
            <span role="status" data-testid="save-status">
              {saved ? t('surveys.saved') : ''}
            </span>
            {failure && (
              <span className="status-error" role="alert">
                {failure}
              </span>
            )}
          </div>
        </form>
        <aside className="builder-side">
          <PreviewPanel draft={draft} workspace={workspace.name} />
          {detail && <SharePanel detail={detail} />}
        </aside>
      </div>
    </IssuesContext.Provider>
  );
}

function AddLanguage({ onAdd }: { onAdd: (tag: string) => void }) {
  const { t } = useI18n();
  const [tag, setTag] = useState('');
  const valid = LANGUAGE_TAG.test(tag);
  return (
    <div className="inline-add">
      <label>
        {t('surveys.addLanguage')}
        <input dir="ltr" value={tag} placeholder="fr, pt-BR" size={8} onChange={(event) => setTag(event.target.value.trim())} />
      </label>
      <button
        type="button"
        disabled={!valid}
        onClick={() => {
          onAdd(tag);
          setTag('');
        }}
      >
        {t('surveys.add')}
      </button>
    </div>
  );
}

function AddQuestion({ kinds, onAdd }: { kinds: SurveyQuestionKind[]; onAdd: (kind: SurveyQuestionKind) => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<SurveyQuestionKind>(kinds[0]!);
  return (
    <div className="inline-add">
      <label>
        {t('surveys.field.kind')}
        <select value={kinds.includes(kind) ? kind : kinds[0]} onChange={(event) => setKind(event.target.value as SurveyQuestionKind)}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`surveys.kind.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => onAdd(kinds.includes(kind) ? kind : kinds[0]!)} data-testid="add-question">
        {t('surveys.addQuestion')}
      </button>
    </div>
  );
}

interface TextRow {
  path: string;
  label: ReactNode;
  value: SurveyTexts | undefined;
  required?: boolean;
  set: (d: SurveyDoc, value: SurveyTexts | undefined) => unknown;
  extra?: ReactNode;
}

/** Texts side by side: a row per text, a column per language; an empty cell of an offered language is flagged. */
function TextsTable({ caption, rows, columns, draft, update }: { caption: string; rows: TextRow[]; columns: string[]; draft: SurveyDoc; update: (change: (d: SurveyDoc) => void) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const issues = useContext(IssuesContext);
  return (
    <div className="table-scroll">
      <table className="texts">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('surveys.column.text')}</th>
            {columns.map((l) => (
              <th scope="col" key={l} lang={i18n.locale} className={draft.languages.includes(l) ? '' : 'not-offered'}>
                {languageName(i18n.locale, l)}
                {l === draft.defaultLanguage && <span className="muted"> · {t('surveys.column.default')}</span>}
                {!draft.languages.includes(l) && <span className="muted"> · {t('surveys.notOffered')}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const present = row.value && Object.keys(row.value).length > 0;
            return (
              <tr key={row.path} data-path={row.path}>
                <th scope="row">
                  {row.label}
                  {row.extra}
                  <Problems path={row.path} nested />
                </th>
                {columns.map((l) => {
                  const value = row.value?.[l] ?? '';
                  const offered = draft.languages.includes(l);
                  const isMissing = offered && !value && (present || row.required);
                  const invalid = issues.some((i) => i.path === `${row.path}.${l}` || (i.path === row.path && l === draft.defaultLanguage));
                  return (
                    <td key={l} className={isMissing ? 'missing' : undefined}>
                      <textarea
                        lang={l}
                        dir={dirOf(l)}
                        rows={2}
                        value={value}
                        aria-label={`${typeof row.label === 'string' ? row.label : row.path} — ${languageName(i18n.locale, l)}`}
                        aria-invalid={invalid || undefined}
                        data-testid={`text-${row.path}-${l}`}
                        onChange={(event) => update((d) => void row.set(d, withText(row.value, l, event.target.value)))}
                      />
                      {isMissing && <span className="flag">{t('surveys.missing')}</span>}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function QuestionEditor({
  index,
  question: q,
  kinds,
  columns,
  draft,
  count,
  update,
  remove,
  move,
}: {
  index: number;
  question: SurveyQuestionDoc;
  kinds: SurveyQuestionKind[];
  columns: string[];
  draft: SurveyDoc;
  count: number;
  update: (change: (q: SurveyQuestionDoc, d: SurveyDoc) => void) => void;
  remove: () => void;
  move: (by: number) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const base = `questions.${index}`;
  const scored = SCORED.includes(q.kind);
  const scales = SCALES[q.kind] ?? [];
  const scale = q.scale ? `${q.scale.min}-${q.scale.max}` : scales[0];
  const editRoot = (change: (d: SurveyDoc) => void) => update((_, d) => change(d));
  const rows: TextRow[] = [{ path: `${base}.text`, label: t('surveys.text.question'), value: q.text, required: true, set: (d, v) => void (d.questions[index]!.text = v ?? {}) }];
  if (scored) {
    rows.push(
      { path: `${base}.lowLabel`, label: t('surveys.text.lowLabel'), value: q.lowLabel, set: (d, v) => (v ? (d.questions[index]!.lowLabel = v) : delete d.questions[index]!.lowLabel) },
      { path: `${base}.highLabel`, label: t('surveys.text.highLabel'), value: q.highLabel, set: (d, v) => (v ? (d.questions[index]!.highLabel = v) : delete d.questions[index]!.highLabel) },
    );
    if (q.followUp) {
      rows.push({ path: `${base}.followUp.text`, label: t('surveys.text.followUp'), value: q.followUp.text, required: true, set: (d, v) => void (d.questions[index]!.followUp!.text = v ?? {}) });
      for (const band of ['low', 'middle', 'high'] as const) {
        rows.push({
          path: `${base}.followUp.${band}`,
          label: t(`surveys.text.followUp.${band}` as MessageKey),
          value: q.followUp[band],
          set: (d, v) => (v ? (d.questions[index]!.followUp![band] = v) : delete d.questions[index]!.followUp![band]),
        });
      }
    }
  }
  q.choices?.forEach((choice, j) =>
    rows.push({
      path: `${base}.choices.${j}.text`,
      label: t('surveys.text.choice', { n: j + 1 }),
      value: choice.text,
      required: true,
      set: (d, v) => void (d.questions[index]!.choices![j]!.text = v ?? {}),
      extra: (
        <span className="choice-tools">
          <Field label={t('surveys.field.choiceId')} path={`${base}.choices.${j}.id`}>
            {(props) => <input {...props} dir="ltr" size={10} value={choice.id} onChange={(event) => update((qq) => void (qq.choices![j]!.id = event.target.value))} />}
          </Field>
          {(q.choices?.length ?? 0) > 2 && (
            <button type="button" className="link-button" onClick={() => update((qq) => void qq.choices!.splice(j, 1))}>
              {t('surveys.removeChoice', { n: j + 1 })}
            </button>
          )}
        </span>
      ),
    }),
  );

  const changeKind = (kind: SurveyQuestionKind) =>
    update((qq, d) => {
      const fresh = newQuestion(kind, d.languages, d.questions.filter((_, i) => i !== index).map((x) => x.id));
      // Keep what still applies: the id and any wording already written.
      const keepText = Object.keys(qq.text).length > 0 && SCORED.includes(qq.kind) === SCORED.includes(kind);
      // An id that only named the old kind (nps, nps-2) follows the new one.
      const id = qq.id === qq.kind || qq.id.startsWith(`${qq.kind}-`) ? fresh.id : qq.id;
      d.questions[index] = { ...fresh, id, text: keepText ? qq.text : fresh.text, ...(fresh.choices && qq.choices ? { choices: qq.choices } : {}) };
    });

  return (
    <fieldset className="question" data-testid={`question-${index}`}>
      <legend>
        {t('surveys.questionN', { n: index + 1 })} · {t(`surveys.kind.${q.kind}` as MessageKey)}
      </legend>
      <Problems path={base} />
      <div className="field-row">
        <Field label={t('surveys.field.kind')} path={`${base}.kind`}>
          {(props) => (
            <select {...props} value={q.kind} onChange={(event) => changeKind(event.target.value as SurveyQuestionKind)} data-testid="question-kind">
              {[...new Set([...kinds, q.kind])].map((k) => (
                <option key={k} value={k}>
                  {t(`surveys.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('surveys.field.questionId')} path={`${base}.id`} hint={t('surveys.hint.questionId')}>
          {(props) => <input {...props} dir="ltr" value={q.id} maxLength={63} onChange={(event) => update((qq) => void (qq.id = event.target.value))} />}
        </Field>
        {scored && (
          <Field label={t('surveys.field.scale')} path={`${base}.scale`}>
            {(props) => (
              <select
                {...props}
                value={scale}
                onChange={(event) =>
                  update((qq) => {
                    const [min, max] = event.target.value.split('-').map(Number);
                    qq.scale = { min: min!, max: max! };
                  })
                }
              >
                {[...new Set([...scales, scale!])].map((s) => (
                  <option key={s} value={s}>
                    {s.split('-').map((n) => i18n.number(Number(n))).join('–')}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {q.kind === 'profile' && (
          <Field label={t('surveys.field.profileField')} path={`${base}.field`}>
            {(props) => (
              <select {...props} value={q.field} onChange={(event) => update((qq) => void (qq.field = event.target.value))}>
                {PROFILE_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {t(`surveys.profile.${f}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <div className="field-row checks">
        <label className="check">
          <input type="checkbox" checked={q.required ?? scored} onChange={(event) => update((qq) => void (qq.required = event.target.checked))} />
          {t('surveys.field.required')}
        </label>
        {scored && (
          <label className="check">
            <input
              type="checkbox"
              checked={Boolean(q.followUp)}
              onChange={(event) =>
                update((qq, d) => {
                  if (event.target.checked) qq.followUp = { text: standardText('surveys.template.why', d.languages) };
                  else delete qq.followUp;
                })
              }
            />
            {t('surveys.field.followUp')}
          </label>
        )}
        {q.choices && (
          <label className="check">
            <input type="checkbox" checked={q.allowOther ?? false} onChange={(event) => update((qq) => void (qq.allowOther = event.target.checked))} />
            {t('surveys.field.allowOther')}
          </label>
        )}
      </div>
      <TextsTable caption={t('surveys.textsOf', { n: index + 1 })} rows={rows} columns={columns} draft={draft} update={editRoot} />
      <Problems path={`${base}.choices`} />
      <div className="question-tools">
        {q.choices && q.choices.length < (q.kind === 'profile' ? 30 : 12) && (
          <button
            type="button"
            onClick={() =>
              update((qq) => {
                let n = qq.choices!.length + 1;
                while (qq.choices!.some((c) => c.id === `option-${n}`)) n++;
                qq.choices!.push({ id: `option-${n}`, text: {} });
              })
            }
          >
            {t('surveys.addChoice')}
          </button>
        )}
        {index > 0 && (
          <button type="button" onClick={() => move(-1)}>
            {t('surveys.moveUp')}
          </button>
        )}
        {index < count - 1 && (
          <button type="button" onClick={() => move(1)}>
            {t('surveys.moveDown')}
          </button>
        )}
        {count > 1 && (
          <button type="button" className="danger" onClick={remove}>
            {t('surveys.removeQuestion', { n: index + 1 })}
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** The link page rendered from the draft, in each of its languages. */
function PreviewPanel({ draft, workspace }: { draft: SurveyDoc; workspace: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [chosen, setChosen] = useState<string>();
  const language = chosen && draft.languages.includes(chosen) ? chosen : draft.languages.includes(i18n.locale) ? i18n.locale : draft.defaultLanguage;
  const [step, setStep] = useState<Step>('start');
  const [preview, setPreview] = useState<SurveyPreview>();
  const [problems, setProblems] = useState<SurveyIssue[]>([]);
  const sequence = useRef(0);
  // The id, name and touchpoint do not show on the page: placeholders let an unnamed draft preview.
  const body = JSON.stringify({ draft: { ...draft, id: draft.id || 'preview', name: draft.name || 'preview', touchpoint: draft.touchpoint || 'website' }, language, step });

  useEffect(() => {
    const mine = ++sequence.current;
    const timer = setTimeout(async () => {
      try {
        const result = await send<SurveyPreview>('POST', '/api/v1/surveys/preview', { workspace }, JSON.parse(body));
        if (mine !== sequence.current) return;
        if (result.status === 200 && result.payload.valid) {
          setPreview(result.payload);
          setProblems([]);
        } else setProblems(result.payload.issues ?? [{ path: '', message: result.payload.message ?? String(result.status) }]);
      } catch (error) {
        if (mine === sequence.current) setProblems([{ path: '', message: (error as Error).message }]);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [body, workspace]);

  const name = languageName(i18n.locale, language);
  return (
    <section className="panel preview" aria-labelledby="preview-heading" data-testid="preview">
      <h2 id="preview-heading">{t('surveys.preview')}</h2>
      <div className="tabs" role="group" aria-label={t('surveys.previewLanguage')}>
        {draft.languages.map((l) => (
          <button key={l} type="button" aria-pressed={l === language} onClick={() => setChosen(l)} data-testid={`preview-lang-${l}`}>
            {languageName(i18n.locale, l)}
          </button>
        ))}
      </div>
      <label className="step-picker">
        {t('surveys.previewStep')}
        <select value={step} onChange={(event) => setStep(event.target.value as Step)} data-testid="preview-step">
          {STEPS.map((s) => (
            <option key={s} value={s}>
              {t(`surveys.step.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {problems.length > 0 && (
        <div className="status" data-testid="preview-problems">
          <p>{t('surveys.previewWaits')}</p>
          <ul>
            {problems.slice(0, 5).map((p, i) => (
              <li key={i}>
                <code dir="ltr">{p.path || '—'}</code>{' '}
                <span lang="en" dir="ltr">
                  {p.message}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview ? (
        <iframe className="preview-frame" sandbox="" srcDoc={preview.html} title={t('surveys.previewIn', { language: name })} data-language={preview.language} data-dir={preview.dir} />
      ) : (
        problems.length === 0 && <p className="status">{t('status.loading')}</p>
      )}
    </section>
  );
}

function Copyable({ label, value, multiline, testId }: { label: string; value: string; multiline?: boolean; testId: string }) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  };
  return (
    <div className="copyable">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea id={id} readOnly dir="ltr" rows={value.split('\n').length + 1} value={value} data-testid={testId} onFocus={(event) => event.target.select()} />
        ) : (
          <input id={id} readOnly dir="ltr" value={value} data-testid={testId} onFocus={(event) => event.target.select()} />
        )}
        <button type="button" onClick={copy} aria-label={t('surveys.copyNamed', { what: label })}>
          {copied ? t('surveys.copied') : t('surveys.copy')}
        </button>
      </div>
    </div>
  );
}

/** Where the survey is answered: its link, the widget's embed code and the QR code, as the server gives them. */
function SharePanel({ detail }: { detail: SurveyDetail }) {
  const { t } = useI18n();
  const { share, survey } = detail;
  return (
    <section className="panel share" aria-labelledby="share-heading" data-testid="share">
      <h2 id="share-heading">{t('surveys.share')}</h2>
      {survey.status === 'closed' && <p className="flag">{t('surveys.closedNote')}</p>}
      <Copyable label={t('surveys.share.link')} value={share.link} testId="share-link" />
      <p>
        <a href={share.link} target="_blank" rel="noopener noreferrer">
          {t('surveys.share.open')}
        </a>
      </p>
      {share.embed && share.calls && share.qr ? (
        <>
          <Copyable label={t('surveys.share.embed')} value={share.embed} multiline testId="share-embed" />
          <p className="muted small">{t('surveys.share.embedHint')}</p>
          <Copyable label={t('surveys.share.calls')} value={share.calls} multiline testId="share-calls" />
          <figure className="qr">
            <img src={share.qr} alt={t('surveys.share.qrAlt', { link: share.link })} width={160} height={160} data-testid="share-qr" />
            <figcaption>
              <a href={share.qr} download={`${survey.id}-qr.svg`}>
                {t('surveys.share.qrDownload')}
              </a>
            </figcaption>
          </figure>
        </>
      ) : (
        <>
          <p className="muted">{t('surveys.share.personal')}</p>
          <Copyable label={t('surveys.share.personalCommand')} value={share.personalLink} testId="share-personal" />
        </>
      )}
    </section>
  );
}
