import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LineWriter, type ShapeOptions, type ShapeProblem, type ShapeResult } from '../shaping.ts';

/**
 * Derives `customers.csv` (one row per CDNOW customer: id and first purchase date) from the
 * purchase log, for `customers.mapping.json`. The orders themselves are imported straight from
 * the raw file by `orders.mapping.json`; this step exists because the log has one line per
 * purchase, and the customers of this cohort were acquired by their first purchase (all in
 * January–March 1997), which becomes their `signup_at`.
 *
 * The file is whitespace-separated (`customer_id date number_of_cds dollar_value`, date YYYYMMDD)
 * and read as a stream; memory holds one date per customer. A line without four fields or with a
 * date that is not YYYYMMDD is returned as a problem (the orders import rejects it too, with its
 * own reason).
 */

const RAW = 'CDNOW_master.txt';

export async function shape({ datasetDir, workDir }: ShapeOptions): Promise<ShapeResult> {
  const problems: ShapeProblem[] = [];
  const first = new Map<string, string>();
  let lineNo = 0;
  let purchases = 0;
  for await (const text of createInterface({ input: createReadStream(join(datasetDir, RAW)), crlfDelay: Infinity })) {
    lineNo++;
    const fields = text.trim() === '' ? [] : text.trim().split(/\s+/);
    if (lineNo === 1) {
      if (fields[0] !== 'customer_id' || fields[1] !== 'date') throw new Error(`${RAW}: unexpected header "${text.trim()}"`);
      continue;
    }
    if (fields.length !== 4) {
      problems.push({ file: RAW, line: lineNo, reason: fields.length === 0 ? 'empty line' : `line has ${fields.length} fields, not 4` });
      continue;
    }
    const [customer, date] = fields as [string, string];
    if (!/^\d{8}$/.test(date)) {
      problems.push({ file: RAW, line: lineNo, reason: `date "${date}" is not YYYYMMDD` });
      continue;
    }
    purchases++;
    const seen = first.get(customer);
    if (seen === undefined || date < seen) first.set(customer, date);
  }

  const out = new LineWriter(join(workDir, 'customers.csv'));
  await out.csvRow(['customer_id', 'first_purchase']);
  for (const [customer, date] of first) await out.csvRow([customer, date]);
  await out.close();

  const dates = [...first.values()].sort();
  return {
    files: ['customers.csv'],
    notes: [
      `${first.size} customers from ${purchases} purchase lines; first purchases from ${dates[0]} to ${dates.at(-1)} (the acquisition cohort)`,
    ],
    problems,
  };
}
