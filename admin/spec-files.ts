/**
 * Reads an org spec from its files: the YAML spec and an optional CSV user list. Parsing and
 * validation are the pure functions in shared/org; this module does the file and CSV reading.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { parseSpecYaml } from '../shared/org/spec-source';
import { formatSpecError } from '../shared/org/spec-types';
import type { OrgSpec, SpecError } from '../shared/org/spec-types';
import { validateOrgSpec } from '../shared/org/spec-validate';
import { mergeCsvUsers, usersFromCsv } from '../shared/org/users-csv';
import type { CsvRecord } from '../shared/org/users-csv';

/** The spec files are invalid; `errors` name file, line and field. */
export class SpecFileError extends Error {
  constructor(readonly errors: SpecError[]) {
    super(
      `the org spec is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${errors.map((e) => `  ${formatSpecError(e)}`).join('\n')}`,
    );
    this.name = 'SpecFileError';
  }
}

/**
 * Splits CSV text into a header and records that know their line numbers (a quoted field may span
 * lines, so a record's line is where it starts). Excel's byte-order mark is dropped.
 */
export function parseCsvText(
  text: string,
  file: string,
): { headers: string[]; records: CsvRecord[]; errors: SpecError[] } {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const rows: { cells: string[]; line: number }[] = [];
  const errors: SpecError[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(clean, {
    skipEmptyLines: 'greedy',
    step: (result) => {
      // Blank lines skipped before this row still count towards its line number.
      while (start < clean.length && /\s/.test(clean[start] ?? '')) {
        if (clean[start] === '\n') line += 1;
        start += 1;
      }
      const rowLine = line;
      for (const e of result.errors)
        errors.push({ file, line: rowLine, kind: 'syntax', field: '(csv)', message: e.message });
      rows.push({ cells: result.data, line: rowLine });
      const end = result.meta.cursor;
      for (let i = start; i < end; i += 1) if (clean[i] === '\n') line += 1;
      start = end;
    },
  });
  const [header, ...data] = rows;
  const headers = (header?.cells ?? []).map((h) => h.trim());
  const records = data.map((r) => {
    if (r.cells.length !== headers.length) {
      errors.push({
        file,
        line: r.line,
        kind: 'syntax',
        field: '(csv)',
        message: `expected ${headers.length} fields, found ${r.cells.length}`,
      });
    }
    return {
      line: r.line,
      values: Object.fromEntries(headers.map((h, i) => [h, r.cells[i] ?? ''])),
    };
  });
  return { headers, records, errors };
}

/**
 * Loads and validates a spec.
 *
 * @param opts.specPath - The YAML spec.
 * @param opts.usersCsvPath - A CSV user list to add to the spec's users.
 * @throws {SpecFileError} listing every problem, when the spec is invalid.
 */
export async function loadOrgSpec(opts: {
  specPath: string;
  usersCsvPath?: string;
}): Promise<OrgSpec> {
  const specName = path.basename(opts.specPath);
  let source = parseSpecYaml(await readFile(opts.specPath, 'utf8'), specName);
  if (opts.usersCsvPath !== undefined) {
    const csvName = path.basename(opts.usersCsvPath);
    const csv = parseCsvText(await readFile(opts.usersCsvPath, 'utf8'), csvName);
    const users = usersFromCsv({ file: csvName, headers: csv.headers, records: csv.records });
    source = mergeCsvUsers(source, { ...users, errors: [...csv.errors, ...users.errors] });
  }
  const result = validateOrgSpec(source);
  if (!result.ok) throw new SpecFileError(result.errors);
  return result.spec;
}
