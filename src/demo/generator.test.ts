import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SCORED_KINDS, type QuestionKind } from '../domain/catalog.ts';
import { RECORD_KINDS, type StoredRecord } from '../domain/record-kinds.ts';
import { checkRecord } from '../domain/record-rules.ts';
import {
  createDemo,
  DEMO_ATTRIBUTES,
  DEMO_KINDS,
  DemoOptionsError,
  PLANTED_INCIDENTS,
  planDemo,
  resolveIncidents,
  type Demo,
  type DemoKind,
  type IncidentId,
} from './generator.ts';

function digest(demo: Demo, kind: DemoKind): string {
  const hash = createHash('sha256');
  for (const record of demo.records(kind)) hash.update(JSON.stringify(record)).update('\n');
  return hash.digest('hex');
}

function all(demo: Demo, kind: DemoKind): StoredRecord[] {
  return [...demo.records(kind)];
}

const month = (value: unknown) => (value as Date).toISOString().slice(0, 7);
const ms = (value: unknown) => (value as Date).getTime();
const share = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length / items.length;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

describe('demo generator: options and reproducibility', () => {
  it('gives identical records for the same seed, and different ones for another seed', () => {
    const a = createDemo({ seed: 42, responses: 3000 });
    const b = createDemo({ seed: 42, responses: 3000 });
    const c = createDemo({ seed: 43, responses: 3000 });
    for (const kind of DEMO_KINDS) {
      assert.equal(digest(a, kind), digest(b, kind), `${kind} differ for the same seed`);
      // iterating twice gives the same records too (generators are re-created, not resumed)
      assert.equal(digest(a, kind), digest(a, kind));
    }
    for (const kind of ['customers', 'orders', 'tickets', 'visits', 'responses'] as const) {
      assert.notEqual(digest(a, kind), digest(c, kind), `${kind} are the same for seeds 42 and 43`);
    }
  });

  it('lands close to the response target for several sizes and windows', () => {
    for (const [responses, months] of [
      [1000, 18],
      [5000, 6],
      [20000, 12],
      [60000, 24],
    ] as const) {
      const demo = createDemo({ seed: 5, responses, months });
      let count = 0;
      for (const _ of demo.records('responses')) count++;
      assert.ok(Math.abs(count - responses) / responses < 0.08, `${count} responses for a target of ${responses} over ${months} months`);
    }
  });

  it('uses the window the options fix and never the clock', () => {
    const plan = planDemo({ seed: 1 });
    assert.equal(plan.startMonth, '2025-05');
    assert.equal(plan.endMonth, '2026-10');
    assert.equal(plan.startsAt.toISOString(), '2025-05-01T00:00:00.000Z');
    assert.equal(plan.endsAt.toISOString(), '2026-11-01T00:00:00.000Z');
    const other = planDemo({ seed: 1, months: 12, endMonth: '2024-03' });
    assert.equal(other.startMonth, '2023-04');
    assert.equal(other.endsAt.toISOString(), '2024-04-01T00:00:00.000Z');
  });

  it('rejects options out of range with a clear message', () => {
    assert.throws(() => planDemo({ seed: -1 }), DemoOptionsError);
    assert.throws(() => planDemo({ seed: 1.5 }), DemoOptionsError);
    assert.throws(() => planDemo({ seed: 1, responses: 10 }), /responses must be/);
    assert.throws(() => planDemo({ seed: 1, responses: 20_000_000 }), /responses must be/);
    assert.throws(() => planDemo({ seed: 1, months: 1 }), /months must be/);
    assert.throws(() => planDemo({ seed: 1, endMonth: '2026-13' }), /end month/);
  });

  it('places the incidents relative to the end of the window', () => {
    const incidents = resolveIncidents({});
    assert.deepEqual(
      incidents.map((i) => [i.id, i.month]),
      [
        ['new-agent-low-fcr', '2026-01'],
        ['bot-launch', '2026-02'],
        ['chat-understaffed', '2026-04'],
        ['carrier-delay', '2026-06'],
        ['price-change', '2026-07'],
        ['payment-outage', '2026-09'],
      ],
    );
    assert.deepEqual(incidents.find((i) => i.id === 'price-change')!.months, ['2026-07', '2026-08']);
    // A short window keeps only the incidents that fit.
    assert.deepEqual(
      resolveIncidents({ months: 5 }).map((i) => i.id),
      PLANTED_INCIDENTS.filter((i) => i.monthsBeforeEnd < 5).map((i) => i.id),
    );
  });
});

describe('demo generator: every record is valid', () => {
  const demo = createDemo({ seed: 9, responses: 8000 });
  const { startsAt, endsAt } = demo.plan;
  const ids = new Map<DemoKind, Set<string>>();
  const records = new Map<DemoKind, StoredRecord[]>();
  for (const kind of DEMO_KINDS) {
    records.set(kind, all(demo, kind));
    ids.set(kind, new Set(records.get(kind)!.map((r) => String(r.id))));
  }

  for (const kind of DEMO_KINDS) {
    it(`${kind}: fields, types, scales, required values and cross-field rules`, () => {
      const spec = RECORD_KINDS[kind];
      const fieldNames = new Set<string>(spec.fields.map((f) => f.name));
      const list = records.get(kind)!;
      assert.ok(list.length > 0);
      assert.equal(ids.get(kind)!.size, list.length, 'ids are unique');
      for (const record of list) {
        for (const key of Object.keys(record)) assert.ok(fieldNames.has(key), `${kind}.${key} is not a field`);
        const attributes = record.attributes as Record<string, unknown>;
        for (const [name, value] of Object.entries(attributes)) {
          assert.ok(DEMO_ATTRIBUTES[kind].includes(name), `${kind} attribute ${name} is not declared`);
          assert.ok(value === null || typeof value === 'string', `${kind} attribute ${name} should be text`);
        }
        for (const field of spec.fields) {
          if (field.name === 'attributes') continue;
          const value = record[field.name];
          const where = `${kind} ${String(record.id)}.${field.name} = ${String(value)}`;
          if ('required' in field && field.required) assert.ok(value !== null && value !== undefined, `${where}: required`);
          if (value === null || value === undefined) continue;
          switch (field.type) {
            case 'text':
              assert.equal(typeof value, 'string', where);
              assert.notEqual((value as string).trim(), '', where);
              break;
            case 'key':
              assert.equal(typeof value, 'string', where);
              assert.match(value as string, /^[a-z0-9][a-z0-9-]*$/, `${where}: keys are lower-case slugs`);
              break;
            case 'integer':
              assert.ok(Number.isSafeInteger(value), where);
              break;
            case 'number':
              assert.ok(typeof value === 'number' && Number.isFinite(value), where);
              break;
            case 'boolean':
              assert.equal(typeof value, 'boolean', where);
              break;
            case 'timestamp':
              assert.ok(value instanceof Date && !Number.isNaN(value.getTime()), where);
              assert.ok(ms(value) < endsAt.getTime(), `${where}: after the end of the window`);
              break;
            default:
              assert.fail(`unexpected field type ${field.type}`);
          }
          if ('oneOf' in field && field.oneOf) assert.ok((field.oneOf as readonly string[]).includes(value as string), `${where}: not one of ${field.oneOf.join(', ')}`);
          if ('min' in field && typeof field.min === 'number') assert.ok((value as number) >= field.min, `${where}: below ${field.min}`);
        }
        assert.deepEqual(checkRecord(kind, { ...record }), [], `${kind} ${String(record.id)} breaks a rule`);
      }
    });
  }

  it('events happen inside the window and in order', () => {
    const inWindow = (value: unknown) => value === null || (ms(value) >= startsAt.getTime() && ms(value) < endsAt.getTime());
    for (const t of records.get('tickets')!) {
      assert.ok(inWindow(t.created_at));
      const created = ms(t.created_at);
      for (const field of ['first_response_at', 'first_resolved_at', 'resolved_at', 'closed_at']) {
        if (t[field] !== null) assert.ok(ms(t[field]) >= created, `ticket ${String(t.id)}: ${field} before created_at`);
      }
      if (t.first_resolved_at !== null && t.first_response_at !== null) assert.ok(ms(t.first_resolved_at) >= ms(t.first_response_at));
      if (t.resolved_at !== null) assert.ok(ms(t.resolved_at) >= ms(t.first_resolved_at));
      if (t.closed_at !== null) assert.ok(ms(t.closed_at) >= ms(t.resolved_at));
      if (t.status === 'abandoned') assert.equal(t.first_response_at, null);
      if (t.handled_by_bot) assert.equal(t.agent_id, null);
      if ((t.reopen_count as number) > 0 && t.resolved_at !== null && t.status !== 'open') assert.ok(ms(t.resolved_at) > ms(t.first_resolved_at));
    }
    for (const r of records.get('responses')!) assert.ok(inWindow(r.submitted_at));
    for (const o of records.get('orders')!) assert.ok(inWindow(o.placed_at) && inWindow(o.delivered_at));
    for (const v of records.get('visits')!) assert.ok(inWindow(v.visited_at));
    const signup = new Map(records.get('customers')!.map((c) => [c.id, ms(c.signup_at)]));
    for (const o of records.get('orders')!) assert.ok(ms(o.placed_at) >= signup.get(o.customer_id)!, `order ${String(o.id)} before its customer signed up`);
    for (const t of records.get('tickets')!) assert.ok(ms(t.created_at) >= signup.get(t.customer_id)!);
  });

  it('references point at records that exist', () => {
    const has = (kind: DemoKind, id: unknown) => id === null || ids.get(kind)!.has(String(id));
    const employees = new Map(records.get('employees')!.map((e) => [e.id, e]));
    for (const e of employees.values()) assert.ok(has('teams', e.team_id));
    for (const s of records.get('subscriptions')!) assert.ok(has('customers', s.customer_id));
    for (const o of records.get('orders')!) assert.ok(has('customers', o.customer_id));
    for (const v of records.get('visits')!) assert.ok(has('customers', v.customer_id));
    for (const t of records.get('tickets')!) {
      assert.ok(has('customers', t.customer_id) && has('teams', t.team_id) && has('tickets', t.merged_into));
      if (t.agent_id !== null) {
        const agent = employees.get(t.agent_id)!;
        assert.equal(agent.is_agent, true);
        assert.ok(ms(agent.hired_at) <= ms(t.created_at), `ticket ${String(t.id)} assigned before ${String(agent.id)} was hired`);
        assert.ok(agent.left_at === null || ms(agent.left_at) > ms(t.created_at), `ticket ${String(t.id)} assigned after ${String(agent.id)} left`);
      }
    }
    for (const r of records.get('responses')!) {
      assert.ok(has('customers', r.customer_id) && has('employees', r.employee_id) && has('employees', r.agent_id));
      assert.ok(has('tickets', r.ticket_id) && has('orders', r.order_id));
    }
  });

  it('answers every kind of survey at every touchpoint, in three languages', () => {
    const responses = records.get('responses')!;
    const kinds = new Set(responses.map((r) => r.kind));
    for (const kind of ['nps', 'csat', 'ces', 'esat', 'enps', 'intent', 'profile', 'choice']) assert.ok(kinds.has(kind), `no ${kind} answers`);
    const touchpoints = new Set(responses.map((r) => r.touchpoint));
    for (const tp of ['website', 'checkout', 'onboarding', 'support', 'shipping', 'returns', 'renewal', 'cancellation']) assert.ok(touchpoints.has(tp), `no answers at ${tp}`);
    const csatTouchpoints = new Set(responses.filter((r) => r.kind === 'csat').map((r) => r.touchpoint));
    assert.equal(csatTouchpoints.size, 8, 'CSAT at every touchpoint');
    assert.deepEqual(new Set(responses.filter((r) => r.kind === 'ces').map((r) => r.touchpoint)), new Set(['support', 'checkout', 'onboarding']));
    for (const r of responses) {
      if (SCORED_KINDS.has(r.kind as QuestionKind)) {
        assert.ok(Number.isInteger(r.score), `${String(r.id)}: integer score`);
        assert.ok(r.scale_min !== null && r.scale_max !== null, `${String(r.id)}: explicit scale`);
      } else {
        assert.equal(r.score, null);
        assert.ok(typeof r.answer === 'string');
      }
    }
    const commented = responses.filter((r) => r.comment !== null);
    const scored = responses.filter((r) => r.score !== null);
    const commentShare = commented.length / scored.length;
    assert.ok(commentShare > 0.12 && commentShare < 0.35, `comment share ${commentShare}`);
    const byLanguage = groupBy(commented, (r) => String(r.language));
    for (const language of ['en', 'ar', 'lt']) assert.ok((byLanguage.get(language)?.length ?? 0) > commented.length * 0.1, `too few ${language} comments`);
    for (const r of byLanguage.get('ar')!) assert.match(String(r.comment), /[\u0600-\u06FF]/, 'Arabic comments are in Arabic script');
    for (const r of byLanguage.get('lt')!) assert.doesNotMatch(String(r.comment), /[\u0600-\u06FF]/);
    const countries = new Set(records.get('customers')!.map((c) => c.country));
    for (const country of ['Saudi Arabia', 'Jordan', 'Lithuania', 'United Kingdom']) assert.ok(countries.has(country));
    const channels = new Set(records.get('tickets')!.map((t) => t.channel));
    assert.deepEqual(channels, new Set(['email', 'chat', 'phone', 'social', 'messaging']));
    const orderStatuses = new Set(records.get('orders')!.map((o) => o.status));
    for (const status of ['delivered', 'cancelled', 'refunded', 'returned']) assert.ok(orderStatuses.has(status));
    assert.ok(records.get('tickets')!.some((t) => t.merged_into !== null));
    assert.ok(records.get('subscriptions')!.some((s) => s.ended_at !== null && s.cancel_reason !== null));
    assert.ok(records.get('visits')!.some((v) => v.intent !== null && v.converted === true));
  });
});

describe('demo generator: the planted incidents are in the data', () => {
  const demo = createDemo({ seed: 11, responses: 60000 });
  const incident = (id: IncidentId) => demo.plan.incidents.find((i) => i.id === id)!;
  const customers = new Map(all(demo, 'customers').map((c) => [c.id, c]));
  const orders = new Map(all(demo, 'orders').map((o) => [o.id, o]));
  const tickets = all(demo, 'tickets').filter((t) => t.merged_into === null);
  const responses = all(demo, 'responses');
  const subscriptions = all(demo, 'subscriptions');
  const countryOf = (record: StoredRecord) => customers.get(record.customer_id)!.country;
  const ordinary = (m: string, exclude: readonly string[]) => !exclude.includes(m) && !m.endsWith('-11') && !m.endsWith('-12');

  it('carrier delay: shipping CSAT in Lithuania collapses for orders placed that month', () => {
    const { month: when } = incident('carrier-delay');
    const shipping = responses.filter((r) => r.touchpoint === 'shipping' && countryOf(r) === 'Lithuania');
    const byMonth = groupBy(shipping, (r) => month(orders.get(r.order_id)!.placed_at));
    const top2 = (rs: StoredRecord[]) => share(rs, (r) => (r.score as number) >= 4);
    const during = top2(byMonth.get(when)!);
    const others = [...byMonth].filter(([m]) => m !== when).map(([, rs]) => top2(rs));
    assert.ok(during < 0.45, `top-2-box during the incident: ${during}`);
    assert.ok(Math.min(...others) > during + 0.25, `other months: ${others.join(', ')}`);
    // elsewhere the same month is normal
    const elsewhere = responses.filter((r) => r.touchpoint === 'shipping' && countryOf(r) !== 'Lithuania' && month(orders.get(r.order_id)!.placed_at) === when);
    assert.ok(top2(elsewhere) > 0.7);
    // and the Lithuanian delivery tickets jump
    const ltDelivery = groupBy(
      tickets.filter((t) => t.category === 'delivery' && countryOf(t) === 'Lithuania'),
      (t) => month(t.created_at),
    );
    const usual = median([...ltDelivery].filter(([m]) => m !== when).map(([, ts]) => ts.length));
    assert.ok(ltDelivery.get(when)!.length > 2 * usual, `LT delivery tickets ${ltDelivery.get(when)!.length} vs ${usual}`);
  });

  it('understaffed month: chat first-response time more than doubles and abandons rise', () => {
    const { month: when } = incident('chat-understaffed');
    const chats = groupBy(
      tickets.filter((t) => t.channel === 'chat'),
      (t) => month(t.created_at),
    );
    const frt = (ts: StoredRecord[]) => median(ts.filter((t) => t.first_response_at !== null).map((t) => ms(t.first_response_at) - ms(t.created_at)));
    const usual = median([...chats].filter(([m]) => ordinary(m, [when])).map(([, ts]) => frt(ts)));
    assert.ok(frt(chats.get(when)!) > 2 * usual, `chat FRT ${frt(chats.get(when)!)} ms vs usual ${usual} ms`);
    const abandoned = (ts: StoredRecord[]) => share(ts, (t) => t.status === 'abandoned');
    const usualAbandoned = median([...chats].filter(([m]) => ordinary(m, [when])).map(([, ts]) => abandoned(ts)));
    assert.ok(abandoned(chats.get(when)!) > 2 * usualAbandoned);
    // e-mail is not affected
    const emails = groupBy(
      tickets.filter((t) => t.channel === 'email'),
      (t) => month(t.created_at),
    );
    const usualEmail = median([...emails].filter(([m]) => ordinary(m, [when])).map(([, ts]) => frt(ts)));
    assert.ok(frt(emails.get(when)!) < 1.4 * usualEmail);
  });

  it('new agent: E-9001 resolves far fewer tickets at first contact than the rest of the team', () => {
    const { months } = incident('new-agent-low-fcr');
    const team = tickets.filter((t) => t.team_id === 'support-ar' && t.agent_id !== null && t.first_resolved_at !== null && months.includes(month(t.created_at)));
    const fcr = (ts: StoredRecord[]) => share(ts, (t) => t.customer_contact_count === 1 && t.reopen_count === 0);
    const his = team.filter((t) => t.agent_id === 'E-9001');
    const rest = team.filter((t) => t.agent_id !== 'E-9001');
    assert.ok(his.length >= 60, `${his.length} tickets`);
    assert.ok(fcr(his) < 0.5 && fcr(rest) > 0.6, `FCR ${fcr(his)} vs ${fcr(rest)}`);
    const csat = (agent: (id: unknown) => boolean) =>
      share(
        responses.filter((r) => r.touchpoint === 'support' && r.kind === 'csat' && agent(r.agent_id) && months.includes(month(r.submitted_at))),
        (r) => (r.score as number) >= 4,
      );
    assert.ok(csat((id) => id === 'E-9001') < csat((id) => id !== 'E-9001' && id !== null) - 0.05);
    // he is not there before he was hired
    assert.ok(tickets.every((t) => t.agent_id !== 'E-9001' || month(t.created_at) >= months[0]!));
  });

  it('price change: club-plus churn jumps, mostly because of the price', () => {
    const { months } = incident('price-change');
    const churn = (plan: string, m: string) => {
      const start = Date.parse(`${m}-01T00:00:00Z`);
      const next = new Date(start);
      next.setUTCMonth(next.getUTCMonth() + 1);
      const active = subscriptions.filter((s) => s.plan === plan && ms(s.started_at) < start && (s.ended_at === null || ms(s.ended_at) >= start));
      const ended = active.filter((s) => s.ended_at !== null && ms(s.ended_at) < next.getTime());
      return { rate: ended.length / active.length, ended };
    };
    const allMonths = [...new Set(tickets.map((t) => month(t.created_at)))].sort();
    const usual = median(allMonths.filter((m) => !months.includes(m)).map((m) => churn('club-plus', m).rate));
    const during = churn('club-plus', months[0]!);
    assert.ok(during.rate > 3 * usual, `club-plus churn ${during.rate} vs ${usual}`);
    assert.ok(churn('club-plus', months[1]!).rate > 1.5 * usual);
    assert.ok(share(during.ended, (s) => s.cancel_reason === 'too expensive') > 0.6);
    // other plans are not affected
    const basicUsual = median(allMonths.filter((m) => !months.includes(m)).map((m) => churn('club-basic', m).rate));
    assert.ok(churn('club-basic', months[0]!).rate < 2 * basicUsual);
  });

  it('payment outage: Saudi orders get cancelled and checkout effort worsens', () => {
    const { month: when } = incident('payment-outage');
    const saudi = groupBy(
      [...orders.values()].filter((o) => countryOf(o) === 'Saudi Arabia'),
      (o) => month(o.placed_at),
    );
    const cancelled = (os: StoredRecord[]) => share(os, (o) => o.status === 'cancelled');
    const usual = median([...saudi].filter(([m]) => m !== when).map(([, os]) => cancelled(os)));
    assert.ok(cancelled(saudi.get(when)!) > 3 * usual, `cancelled ${cancelled(saudi.get(when)!)} vs ${usual}`);
    const mada = saudi.get(when)!.filter((o) => (o.attributes as Record<string, unknown>).payment_method === 'mada');
    assert.ok(cancelled(mada) > 0.2);
    const ces = groupBy(
      responses.filter((r) => r.touchpoint === 'checkout' && r.kind === 'ces' && countryOf(r) === 'Saudi Arabia'),
      (r) => month(r.submitted_at),
    );
    const top2 = (rs: StoredRecord[]) => share(rs, (r) => (r.score as number) >= 4);
    const usualCes = median([...ces].filter(([m]) => m !== when).map(([, rs]) => top2(rs)));
    assert.ok(top2(ces.get(when)!) < usualCes - 0.1, `checkout CES ${top2(ces.get(when)!)} vs ${usualCes}`);
    // the cause is visible one level down: checkouts paid with mada
    const madaCes = responses.filter(
      (r) =>
        r.touchpoint === 'checkout' &&
        r.kind === 'ces' &&
        month(r.submitted_at) === when &&
        (orders.get(r.order_id)!.attributes as Record<string, unknown>).payment_method === 'mada',
    );
    assert.ok(top2(madaCes) < 0.6, `mada checkout CES ${top2(madaCes)}`);
  });

  it('bot launch: no bot before, a steady share of messaging after', () => {
    const { month: when } = incident('bot-launch');
    const bot = tickets.filter((t) => t.handled_by_bot === true);
    assert.ok(bot.every((t) => month(t.created_at) >= when && (t.channel === 'messaging' || t.channel === 'chat')));
    const after = tickets.filter((t) => t.channel === 'messaging' && month(t.created_at) >= when);
    const botShare = share(after, (t) => t.handled_by_bot === true);
    assert.ok(botShare > 0.1 && botShare < 0.3, `bot share ${botShare}`);
    assert.ok(bot.every((t) => t.first_response_at === null && t.agent_id === null));
  });

  it('seasonality: December brings the most tickets and the slowest e-mail replies', () => {
    const byMonth = groupBy(tickets, (t) => month(t.created_at));
    const december = byMonth.get('2025-12')!;
    const usual = median([...byMonth].filter(([m]) => ordinary(m, [])).map(([, ts]) => ts.length));
    assert.ok(december.length > 1.4 * usual, `December ${december.length} vs ${usual}`);
    const emailFrt = (ts: StoredRecord[]) => median(ts.filter((t) => t.channel === 'email' && t.first_response_at !== null).map((t) => ms(t.first_response_at) - ms(t.created_at)));
    const usualFrt = median([...byMonth].filter(([m]) => ordinary(m, [])).map(([, ts]) => emailFrt(ts)));
    assert.ok(emailFrt(december) > 1.25 * usualFrt, `December e-mail FRT ${emailFrt(december)} ms vs ${usualFrt} ms`);
  });
});
