import type { ReactNode } from 'react';
import { download, toCsv } from '../csv.ts';
import { useI18n } from '../i18n.tsx';

export interface Column<Row> {
  header: string;
  /** What the cell shows (formatted for people). */
  cell: (row: Row) => ReactNode;
  /** What the CSV gets (raw numbers, unformatted). */
  value: (row: Row) => string | number | null | undefined;
  numeric?: boolean;
  /** In the CSV only (an interval's bounds beside a cell that shows them under the value). */
  csvOnly?: boolean;
}

/**
 * The numbers behind a chart, as a table people can read and a CSV they can take away. Every
 * chart in the app has one.
 */
export function DataTable<Row>({ caption, columns, rows, fileName, testId, rowKey }: {
  caption: string;
  columns: Array<Column<Row>>;
  rows: Row[];
  fileName: string;
  testId?: string;
  rowKey?: (row: Row, index: number) => string;
}) {
  const { t } = useI18n();
  const shown = columns.filter((c) => !c.csvOnly);
  const exportCsv = () => download(`${fileName}.csv`, toCsv(columns.map((c) => c.header), rows.map((row) => columns.map((c) => c.value(row)))));
  return (
    <div className="table-block">
      <div className="table-actions">
        <button type="button" onClick={exportCsv} data-testid={testId ? `${testId}-csv` : undefined}>
          {t('action.exportCsv')}
        </button>
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table data-testid={testId}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {shown.map((column) => (
                <th key={column.header} scope="col" className={column.numeric ? 'numeric' : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={rowKey ? rowKey(row, index) : index}>
                {shown.map((column) => (
                  <td key={column.header} className={column.numeric ? 'numeric' : undefined}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
