import { DEFAULT_SCALES, SCORED_KINDS, type QuestionKind } from './catalog.ts';
import type { RecordKindName, StoredRecord } from './record-kinds.ts';

/**
 * Rules that span several fields of one record. Each returns the problems it finds (field +
 * reason) and may fill defaults that follow from other fields (a CSAT answer's scale).
 */

export interface FieldProblem {
  field: string;
  reason: string;
}

type Rule = (record: StoredRecord) => FieldProblem[];

function notBefore(later: string, earlier: string): Rule {
  return (record) => {
    const a = record[later];
    const b = record[earlier];
    if (a instanceof Date && b instanceof Date && a.getTime() < b.getTime()) {
      return [{ field: later, reason: `${later} (${a.toISOString()}) is before ${earlier} (${b.toISOString()})` }];
    }
    return [];
  };
}

const responseScale: Rule = (record) => {
  const kind = record.kind as QuestionKind;
  if (!SCORED_KINDS.has(kind)) return [];
  const fallback = DEFAULT_SCALES[kind];
  if (record.scale_min == null && fallback) record.scale_min = fallback.min;
  if (record.scale_max == null && fallback) record.scale_max = fallback.max;
  const { score, scale_min: min, scale_max: max } = record;
  if (typeof min !== 'number' || typeof max !== 'number') {
    return [{ field: 'scale_max', reason: `a ${kind} answer needs its scale: map scale_min and scale_max` }];
  }
  if (min >= max) return [{ field: 'scale_max', reason: `the scale ${min}–${max} is empty` }];
  if (typeof score !== 'number') return [{ field: 'score', reason: `a ${kind} answer needs a score` }];
  if (score < min || score > max) {
    return [{ field: 'score', reason: `score ${score} is outside the scale ${min}–${max}` }];
  }
  return [];
};

const RULES: Partial<Record<RecordKindName, Rule[]>> = {
  responses: [responseScale],
  tickets: [
    notBefore('first_response_at', 'created_at'),
    notBefore('handoff_at', 'created_at'),
    notBefore('first_resolved_at', 'created_at'),
    notBefore('resolved_at', 'created_at'),
    notBefore('closed_at', 'created_at'),
  ],
  subscriptions: [notBefore('ended_at', 'started_at')],
  orders: [notBefore('delivered_at', 'placed_at')],
};

/** Fields the rules may fill in even when the file does not map them. */
const FILLED: Partial<Record<RecordKindName, readonly string[]>> = {
  responses: ['scale_min', 'scale_max'],
};

export function fieldsFilledByRules(kind: RecordKindName): readonly string[] {
  return FILLED[kind] ?? [];
}

export function checkRecord(kind: RecordKindName, record: StoredRecord): FieldProblem[] {
  return (RULES[kind] ?? []).flatMap((rule) => rule(record));
}
