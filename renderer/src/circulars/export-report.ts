/**
 * Exports the acknowledgment report of the open dashboard as CSV or XLSX (a file download).
 */
import type { CircularAggregate } from '../../../shared/circular/aggregate';
import { exportTableToCsv } from '../../../shared/circular/csv';
import {
  buildExportTable,
  exportFileBaseName,
  type ExportLanguage,
  type ExportPerson,
} from '../../../shared/circular/export-table';
import type { Circular } from '../../../shared/circular/types';
import type { UnitIndex } from '../../../shared/circular/unit-index';

/** Parameters of {@link exportReport}. */
export interface ExportReportParams {
  circular: Circular;
  aggregate: CircularAggregate;
  index: UnitIndex;
  personOf(userId: string): ExportPerson | undefined;
  serverName: string;
  language: ExportLanguage;
  format: 'csv' | 'xlsx';
  /** Lets the user save the file (the platform's `saveFile`: a save dialog or a download). */
  save(data: Uint8Array<ArrayBuffer>, fileName: string, mimeType: string): Promise<void>;
}

/** Builds the report and offers it as a file named after the circular. */
export async function exportReport(p: ExportReportParams): Promise<void> {
  const table = buildExportTable({
    circular: p.circular,
    aggregate: p.aggregate,
    index: p.index,
    personOf: p.personOf,
    serverName: p.serverName,
    language: p.language,
  });
  const base = exportFileBaseName(p.circular, p.language);
  if (p.format === 'csv') {
    await p.save(
      new TextEncoder().encode(exportTableToCsv(table)),
      `${base}.csv`,
      'text/csv;charset=utf-8',
    );
    return;
  }
  // The XLSX writer is large and rarely used: loaded on the first export, not with the app.
  const { exportTableToXlsx } = await import('./export-xlsx');
  const bytes = await exportTableToXlsx(table, {
    sheetName: p.language === 'zh' ? '签收情况' : 'Acknowledgments',
  });
  await p.save(
    bytes as Uint8Array<ArrayBuffer>,
    `${base}.xlsx`,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
}
