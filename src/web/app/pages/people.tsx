import { useMemo, useRef } from 'react';
import { useBenchmarkLines } from '../benchmarks.ts';
import { trendOption, type TrendSeries } from '../charts.ts';
import { Chart, type ChartHandle } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { forestOption, type ForestPoint } from '../forest.ts';
import { formatInterval, formatPeriod, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import type { MetricGroup, MetricResult, PeopleReportJson, Period, Unit } from '../types.ts';

const PERIOD_CHOICES: Period[] = ['quarter', 'month'];
type EmployeeMetric = 'esat' | 'enps';
const UNIT: Record<string, Unit> = { esat: 'percent', enps: 'nps', csat: 'percent', nps: 'nps' };

/** A group's value as the table shows it: hidden groups say so, with their n. */
function cellText(i18n: I18n, metric: string, group: MetricGroup | undefined, min: number): string {
  if (!group) return '–';
  if (group.suppressed) return i18n.t('people.hidden', { n: group.n, min });
  return formatValue(i18n, UNIT[metric]!, group.value);
}

const point = (group: MetricGroup | undefined): ForestPoint | null => (group && group.value !== null ? { value: group.value, n: group.n, ci: group.ci } : null);

function index(result: MetricResult, keyOf: (key: MetricGroup['key']) => string): Map<string, MetricGroup> {
  return new Map(result.groups.map((g) => [keyOf(g.key), g]));
}

interface PeriodRow {
  period: string;
  team: string | null;
  esat?: MetricGroup;
  enps?: MetricGroup;
  csat?: MetricGroup;
}

interface TeamRow {
  team: string | null;
  esat?: MetricGroup;
  enps?: MetricGroup;
  csat?: MetricGroup;
  nps?: MetricGroup;
}

/** ESAT and eNPS by team over time, beside what the same teams' customers say: the HR lead's page. */
export default function People() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ metric: 'esat', period: 'quarter', team: '', from: '', to: '' });
  const metric = (view.metric === 'enps' ? 'enps' : 'esat') as EmployeeMetric;
  const benchmarks = useBenchmarkLines(metric);
  const period = (PERIOD_CHOICES.includes(view.period as Period) ? view.period : 'quarter') as Period;
  const { data, error, loading } = useApi<PeopleReportJson>('/api/v1/people', { workspace: workspace.name, period, from: view.from, to: view.to });
  // What the data on screen is by: the period asked for once it has arrived (the previous one until then).
  const shown: Period = data?.period ?? period;
  const trendChart = useRef<ChartHandle>(null);
  const teamChart = useRef<ChartHandle>(null);

  const model = useMemo(() => {
    if (!data) return undefined;
    const names = new Map(data.teams.map((team) => [team.id, team.name ?? team.id]));
    const teamName = (id: string | null) => (id === null ? t('people.noTeam') : names.get(id) ?? id);
    const byPeriodTeam = (key: MetricGroup['key']) => `${key[shown]}|${key.team ?? ''}`;
    const maps = { esat: index(data.esat, byPeriodTeam), enps: index(data.enps, byPeriodTeam), csat: index(data.csat, byPeriodTeam) };
    const periodRows = new Map<string, PeriodRow>();
    for (const [name, map] of Object.entries(maps) as Array<[keyof typeof maps, Map<string, MetricGroup>]>) {
      for (const [id, group] of map) {
        // Customers' answers no agent served (and employees without a team) belong to no team: not on this page.
        if (group.key.team === null || group.key.team === undefined) continue;
        const row = periodRows.get(id) ?? { period: String(group.key[shown]), team: group.key.team ?? null };
        row[name] = group;
        periodRows.set(id, row);
      }
    }
    const byTeam = (key: MetricGroup['key']) => key.team ?? '';
    const teamMaps = { esat: index(data.esatByTeam, byTeam), enps: index(data.enpsByTeam, byTeam), csat: index(data.csatByTeam, byTeam), nps: index(data.npsByTeam, byTeam) };
    const teamIds = [...new Set([...data.teams.map((team) => team.id), ...Object.values(teamMaps).flatMap((m) => [...m.values()].map((g) => g.key.team ?? null))])];
    const teamRows: TeamRow[] = teamIds
      .map((team) => ({ team, esat: teamMaps.esat.get(team ?? ''), enps: teamMaps.enps.get(team ?? ''), csat: teamMaps.csat.get(team ?? ''), nps: teamMaps.nps.get(team ?? '') }))
      .filter((row) => row.team !== null && (row.esat || row.enps || row.csat || row.nps))
      .sort((a, b) => (a.team === null ? 1 : b.team === null ? -1 : teamName(a.team).localeCompare(teamName(b.team), i18n.locale)));
    const rows = [...periodRows.values()]
      .filter((row) => !view.team || row.team === view.team)
      .sort((a, b) => (a.period !== b.period ? (a.period < b.period ? 1 : -1) : teamName(a.team).localeCompare(teamName(b.team), i18n.locale)));
    const npsByTeam = data.npsByTeam.groups.some((g) => g.key.team !== null);
    return { teamName, rows, teamRows, npsByTeam };
  }, [data, shown, view.team, t, i18n.locale]);

  const trend = useMemo(() => {
    if (!data || !model) return undefined;
    const toPoints = (groups: MetricGroup[]) => groups.map((g) => ({ period: String(g.key[shown]), value: g.value, n: g.n, ci: g.ci }));
    const series: TrendSeries[] = [];
    if (!view.team) series.push({ name: t('people.allTeams'), points: toPoints(data[`${metric}Total`].groups) });
    // One line per team with at least two periods shown (the six largest), or the team picked.
    const teams = [...new Set(data[metric].groups.map((g) => g.key.team ?? null))].filter((team) => team !== null && (view.team ? team === view.team : true));
    const lines = teams
      .map((team) => ({ team, groups: data[metric].groups.filter((g) => (g.key.team ?? null) === team) }))
      .filter(({ groups }) => groups.filter((g) => g.value !== null).length >= (view.team ? 1 : 2))
      .sort((a, b) => b.groups.reduce((s, g) => s + g.n, 0) - a.groups.reduce((s, g) => s + g.n, 0))
      .slice(0, 6);
    for (const { team, groups } of lines) series.push({ name: model.teamName(team), points: toPoints(groups) });
    const drawn = series.filter((s) => s.points.some((p) => p.value !== null));
    return drawn.length > 0 ? trendOption({ i18n, unit: UNIT[metric]!, period: shown, series: drawn, benchmarks, valueName: t(`people.axis.${metric}` as MessageKey) }) : undefined;
  }, [data, model, metric, shown, view.team, i18n, t, benchmarks]);

  const comparison = useMemo(() => {
    if (!model) return undefined;
    const rows = model.teamRows.filter((row) => row.team !== null && (!view.team || row.team === view.team));
    return {
      rows,
      option: forestOption({
        i18n,
        unit: 'percent',
        range: [0, 100],
        categories: rows.map((row) => model.teamName(row.team)),
        series: [
          { name: t('people.series.esat'), points: rows.map((row) => point(row.esat)) },
          { name: t('people.series.csat'), points: rows.map((row) => point(row.csat)) },
        ],
        valueName: t('people.axis.satisfied'),
      }),
    };
  }, [model, view.team, i18n, t]);

  const min = data?.minAnswers ?? 5;
  const empty = data && data.esatTotal.groups.length === 0 && data.enpsTotal.groups.length === 0;
  const valueColumns = <Row extends Partial<Record<'esat' | 'enps' | 'csat' | 'nps', MetricGroup>>>(metrics: Array<'esat' | 'enps' | 'csat' | 'nps'>): Array<Column<Row>> =>
    metrics.flatMap((m): Array<Column<Row>> => [
      {
        header: t(`people.col.${m}` as MessageKey),
        numeric: true,
        cell: (row) => (
          <>
            <span data-testid={`cell-${m}`} className={row[m]?.suppressed ? 'muted' : undefined}>{cellText(i18n, m, row[m], min)}</span>
            {row[m] && !row[m]!.suppressed && <span className="cell-ci">{formatInterval(i18n, UNIT[m]!, row[m]!.ci)}</span>}
          </>
        ),
        value: (row) => row[m]?.value ?? null,
      },
      { header: t('people.col.ci'), csvOnly: true, cell: () => null, value: (row) => (row[m]?.ci ? row[m]!.ci!.join(' to ') : null) },
      { header: t(`people.col.n.${m}` as MessageKey), numeric: true, cell: (row) => <span data-testid={`n-${m}`}>{row[m] ? i18n.number(row[m]!.n) : '–'}</span>, value: (row) => row[m]?.n ?? null },
    ]);

  return (
    <>
      <h1>{t('page.people')}</h1>
      <p className="lede">{t('people.lede')}</p>
      <p className="note" role="note" data-testid="confidentiality">
        <strong>{t('people.confidential.title')}</strong> {t('people.confidential.body', { min })}
      </p>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('people.control.metric')}
          <select value={metric} onChange={(event) => setView({ metric: event.target.value })} data-testid="metric">
            <option value="esat">{t('metric.esat')}</option>
            <option value="enps">{t('metric.enps')}</option>
          </select>
        </label>
        <label>
          {t('control.period')}
          <select value={period} onChange={(event) => setView({ period: event.target.value })} data-testid="period">
            {PERIOD_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t(`period.name.${choice}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('people.control.team')}
          <select value={view.team} onChange={(event) => setView({ team: event.target.value })} data-testid="team">
            <option value="">{t('people.allTeams')}</option>
            {(data?.teams ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name ?? team.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('control.from')}
          <input type="date" value={view.from} onChange={(event) => setView({ from: event.target.value })} />
        </label>
        <label>
          {t('control.to')}
          <input type="date" value={view.to} onChange={(event) => setView({ to: event.target.value })} />
        </label>
      </form>
      {error && <Failure error={error} />}
      {loading && !data && <Loading />}
      {empty && (
        <Empty title={t('empty.people.title')}>
          <p>{t('empty.people.body')}</p>
          <DemoDataAction />
        </Empty>
      )}
      {data && model && !empty && (
        <div aria-busy={loading}>
          <section className="panel">
            <h2>{t(`people.trend.${metric}` as MessageKey)}</h2>
            {trend ? (
              <>
                <Chart ref={trendChart} option={trend} label={t(`people.trend.${metric}` as MessageKey)} testId="people-trend" />
                <div className="table-actions">
                  <button type="button" onClick={() => { const png = trendChart.current?.toPng(); if (png) download(`people-${metric}-trend.png`, png); }}>
                    {t('action.exportPng')}
                  </button>
                </div>
              </>
            ) : null}
            {trend && !view.team && <p className="muted">{t('people.trendNote')}</p>}
            {!trend && (
              <p className="muted" data-testid="trend-hidden">{t('people.trendHidden', { min })}</p>
            )}
            <DataTable<PeriodRow>
              caption={t('people.table.periods', { period: t(`period.name.${shown}` as MessageKey) })}
              fileName={`people-by-${shown}-and-team`}
              testId="people-periods"
              rowKey={(row) => `${row.period}|${row.team}`}
              rows={model.rows}
              columns={[
                { header: t(`period.name.${shown}` as MessageKey), cell: (row) => formatPeriod(i18n, row.period, shown), value: (row) => row.period },
                { header: t('people.col.team'), cell: (row) => <span dir="auto">{model.teamName(row.team)}</span>, value: (row) => model.teamName(row.team) },
                ...valueColumns<PeriodRow>(['esat', 'enps', 'csat']),
              ]}
            />
          </section>
          <section className="panel">
            <h2>{t('people.compare.title')}</h2>
            <p className="muted">{t('people.compare.body')}</p>
            {comparison && comparison.rows.length > 0 && (
              <>
                <Chart ref={teamChart} option={comparison.option} label={t('people.compare.title')} height={Math.max(220, 60 + comparison.rows.length * 46)} testId="people-compare" />
                <div className="table-actions">
                  <button type="button" onClick={() => { const png = teamChart.current?.toPng(); if (png) download('people-employees-and-customers.png', png); }}>
                    {t('action.exportPng')}
                  </button>
                </div>
              </>
            )}
            {!model.npsByTeam && <p className="muted" data-testid="nps-note">{t('people.npsUnavailable')}</p>}
            <DataTable<TeamRow>
              caption={t('people.table.teams')}
              fileName="people-teams-employees-and-customers"
              testId="people-teams"
              rowKey={(row) => row.team ?? '(none)'}
              rows={model.teamRows.filter((row) => !view.team || row.team === view.team)}
              columns={[
                { header: t('people.col.team'), cell: (row) => <span dir="auto">{model.teamName(row.team)}</span>, value: (row) => model.teamName(row.team) },
                ...valueColumns<TeamRow>(model.npsByTeam ? ['esat', 'enps', 'csat', 'nps'] : ['esat', 'enps', 'csat']),
              ]}
            />
          </section>
        </div>
      )}
    </>
  );
}
