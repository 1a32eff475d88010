/**
 * The CX-management self-assessment (docs/assessment.md), from the first seed (seeds/000): its
 * checklist "how to measure our own CX management" (11 practices, in the seed's order) and its
 * planning steps "how we plan a good customer experience" (8 steps), each scored 0–4. The texts
 * live in the dashboard's catalogues under assessment.practice.<key> / assessment.step.<key>
 * (English, Arabic as the seed words it, Lithuanian); here are the keys, their order and the
 * dashboard pages that support each. Pure data and arithmetic: no I/O.
 */

/** Bump when the list of keys changes: an assessment records the version it was taken with. */
export const QUESTIONNAIRE_VERSION = 1;

/**
 * The maturity scale, 0–4: 0 not done · 1 now and then, by some people · 2 defined (agreed,
 * written down) but not kept up · 3 done regularly, as often as the practice asks (monthly,
 * yearly), and recorded · 4 regular, and its results change decisions. Five levels because the
 * seed's yes/no hides the usual state ("we do it sometimes") and the step that matters most —
 * from doing it to doing it on schedule to acting on it; the same five rungs as common process
 * maturity models, so people recognise them.
 */
export const SCALE_MIN = 0;
export const SCALE_MAX = 4;
export const SCALE = [0, 1, 2, 3, 4] as const;

/** Dashboard pages (src/web/routes.ts) a practice is worked on in; a test keeps them real. */
export type FeaturePage = 'overview' | 'explore' | 'journey' | 'support' | 'retention' | 'customers' | 'people' | 'visitors' | 'responses' | 'surveys' | 'annotations' | 'benchmarks';

export interface QuestionnaireItem {
  key: string;
  section: 'practice' | 'step';
  features: FeaturePage[];
}

/** "كيفية قياس تجربتنا نحن مع إدارة تجربة العميل" — the checklist, in the seed's order. */
export const PRACTICES: QuestionnaireItem[] = [
  { key: 'requirement_studies', section: 'practice', features: ['visitors', 'customers'] }, // لدينا دراسات تحليلية لمتطلبات العميل
  { key: 'studies_renewed_yearly', section: 'practice', features: ['surveys', 'annotations'] }, // نقوم بتجديد وتحديث هذه الدراسات سنوياً
  { key: 'design_with_providers', section: 'practice', features: ['journey', 'support'] }, // نجلس مع مقدمي الخدمة لتصميمها حسب رغبة العميل
  { key: 'acceptance_of_parts', section: 'practice', features: ['journey'] }, // تقيم تقبل العميل لأجزاء الخدمة المقدمة له
  { key: 'competitor_quality', section: 'practice', features: ['benchmarks'] }, // نقيس التطورات في جودة خدمة المنافسين
  { key: 'retention_incentives', section: 'practice', features: ['retention', 'customers'] }, // نقدم حوافز تشجيعية لضمان استمرار العميل معنا
  { key: 'monthly_satisfaction', section: 'practice', features: ['overview', 'explore'] }, // نقوم بقياس رضا العملاء شهرياً
  { key: 'satisfaction_meeting', section: 'practice', features: ['overview', 'explore'] }, // لدينا اجتماع دوري لتحليل رضا العميل وأسباب التغيرات فيه
  { key: 'redesign_from_changes', section: 'practice', features: ['annotations', 'journey'] }, // نعيد تصميم الخدمة بناءً على التغيرات في نسبة رضا العميل
  { key: 'train_providers', section: 'practice', features: ['support', 'annotations'] }, // ندرب مقدمي الخدمة للتعامل مع عملائنا
  { key: 'train_internal_staff', section: 'practice', features: ['people', 'annotations'] }, // ندرب طاقمنا الداخلي بصورة منتظمة …
];

/** "كيف نخطط لصناعة تجربة عملاء جيدة" — the planning steps, in the seed's order. */
export const STEPS: QuestionnaireItem[] = [
  { key: 'study_expectations', section: 'step', features: ['visitors', 'customers'] }, // قم بدراسة دقيقة لتطلعات العميل
  { key: 'design_to_delight', section: 'step', features: ['journey'] }, // صمم الخدمة لإبهار العميل
  { key: 'prepare_provider', section: 'step', features: ['people', 'support'] }, // هيئ مقدمة الخدمة وحفزه
  { key: 'build_every_part', section: 'step', features: ['journey'] }, // إبدأ ببناء التجربة في كل أجزائها
  { key: 'measure_satisfaction', section: 'step', features: ['overview', 'surveys'] }, // قم بقياس رضا العميل
  { key: 'fix_before_felt', section: 'step', features: ['customers', 'responses'] }, // عالج كل المشكلات قبل أن يشعر بها العميل
  { key: 'outperform_competitors', section: 'step', features: ['benchmarks'] }, // راقب المنافسين وتفوق عليهم
  { key: 'memorable_goodbye', section: 'step', features: ['retention'] }, // فكر في طريقة مبتكرة لتوديع العميل
];

export const QUESTIONNAIRE: QuestionnaireItem[] = [...PRACTICES, ...STEPS];
export const QUESTION_KEYS = QUESTIONNAIRE.map((item) => item.key);

export type Answers = Record<string, number>;

export interface SectionScore {
  /** Sum of the answers. */
  points: number;
  /** 4 × the number of questions. */
  max: number;
  /** points / max × 100, 0–100. */
  percent: number;
}

export interface AssessmentScore {
  practices: SectionScore;
  steps: SectionScore;
  total: SectionScore;
}

const section = (items: QuestionnaireItem[], answers: Answers): SectionScore => {
  const answered = items.filter((item) => answers[item.key] !== undefined);
  const points = answered.reduce((sum, item) => sum + answers[item.key]!, 0);
  const max = answered.length * SCALE_MAX;
  return { points, max, percent: max === 0 ? 0 : (points / max) * 100 };
};

/**
 * The score of a set of answers: per section and in total, points out of 4 per question answered,
 * as a percentage of the most possible. Keys no longer in the questionnaire are not counted.
 */
export function scoreAssessment(answers: Answers): AssessmentScore {
  return { practices: section(PRACTICES, answers), steps: section(STEPS, answers), total: section(QUESTIONNAIRE, answers) };
}

/** What is wrong with a set of answers (empty: nothing): every question answered, 0–4 whole numbers, no unknown key. */
export function answerProblems(answers: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const missing = QUESTION_KEYS.filter((key) => answers[key] === undefined);
  if (missing.length) problems.push(`answer every question; missing: ${missing.join(', ')}`);
  const unknown = Object.keys(answers).filter((key) => !QUESTION_KEYS.includes(key));
  if (unknown.length) problems.push(`unknown question${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  for (const [key, value] of Object.entries(answers)) {
    if (!QUESTION_KEYS.includes(key)) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < SCALE_MIN || value > SCALE_MAX) problems.push(`${key} must be a whole number from ${SCALE_MIN} to ${SCALE_MAX}`);
  }
  return problems;
}
