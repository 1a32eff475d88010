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
  const exportCsv = () => download(`${fileName}.csv`, toCsv(columns.map((c) => c.header), rows.map((row) => columns.map((c) => c.value(row)))));
  return (
    <div className="table-block">
      <div className="table-actions">
        <button type="button" onClick={exportCsv} data-testid={testId ? `${testId}-csv` : undefined}>
          {t('action.exportCsv')}
        </button>
      </div>
      <div className="table-scroll">
        <table data-testid={testId}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={column.numeric ? 'numeric' : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={rowKey ? rowKey(row, index) : index}>
                {columns.map((column) => (
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
