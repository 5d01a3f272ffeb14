/**
 * Writes the acknowledgment report as an XLSX workbook. A thin layer over the plain table built in
 * `shared/circular/export-table.ts`; everything about content lives there.
 */
import ExcelJS from 'exceljs';
import type { ExportTable } from '../../../shared/circular/export-table';

/** Options of {@link exportTableToXlsx}. */
export interface XlsxExportOptions {
  /** Worksheet name (Excel allows at most 31 characters). */
  sheetName: string;
  /** Document creator shown in the file's properties. */
  creator?: string;
}

/** Column widths in characters, tuned for the report's nine columns (CJK glyphs are about two wide). */
const COLUMN_WIDTHS = [20, 12, 24, 16, 14, 18, 18, 32, 10];

/**
 * Renders the table as an XLSX file: the metadata block, a blank row, then the header (bold,
 * frozen, with filters) and the rows. Cells are written as values, never as formulas, so text
 * such as `=1+1` stays text.
 */
export async function exportTableToXlsx(
  table: ExportTable,
  options: XlsxExportOptions,
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = options.creator ?? 'Hongyan';
  const sheet = workbook.addWorksheet(options.sheetName.slice(0, 31));

  for (const row of table.metadata) {
    const added = sheet.addRow(row);
    added.getCell(1).font = { bold: true };
  }
  sheet.addRow([]);
  const header = sheet.addRow(table.header);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  for (const row of table.rows) sheet.addRow(row);

  sheet.columns.forEach((column, i) => {
    column.width = COLUMN_WIDTHS[i] ?? 14;
  });
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  sheet.autoFilter = {
    from: { row: header.number, column: 1 },
    to: { row: header.number, column: table.header.length },
  };

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
