/**
 * CSV writer for exported tables: RFC 4180 quoting and CRLF line ends, a UTF-8 byte order mark so
 * WPS and Excel open Chinese text correctly, and neutralised formulas.
 */
import type { ExportCell, ExportTable } from './export-table';

/** Byte order mark: without it Excel reads UTF-8 CSV as the local code page (GBK) and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';

/** Characters that make a spreadsheet treat a cell as a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Renders one cell: text starting like a formula gets a leading `'`; fields with `,` `"` CR or LF are quoted. */
export function csvCell(cell: ExportCell): string {
  let text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : cell;
  if (typeof cell === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Renders rows as CSV: CRLF after every record (RFC 4180). No BOM. */
export function toCsvRows(rows: readonly (readonly ExportCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/** Renders an export table as a CSV document: BOM, metadata block, a blank line, header, rows. */
export function exportTableToCsv(table: ExportTable): string {
  return UTF8_BOM + toCsvRows(table.metadata) + '\r\n' + toCsvRows([table.header, ...table.rows]);
}
