import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ExportTable } from '../../../shared/circular/export-table';
import { exportTableToXlsx } from './export-xlsx';

const table: ExportTable = {
  metadata: [
    ['标题', '关于做好防汛工作的通知'],
    ['文号', '示府办〔2025〕12号'],
  ],
  header: ['单位', '姓名', '账号', '职务', '状态', '阅读时间', '签收时间', '回执', '是否逾期'],
  rows: [
    [
      '杭州市',
      '张三',
      'zhangsan',
      '主任',
      '已签收',
      '2025-06-01 10:00',
      '2025-06-01 11:00',
      '=1+1',
      '否',
    ],
    ['海曙区', '', 'zhaoliu', '', '未读', '', '', '', '是'],
  ],
};

/** Reads a sheet back as arrays of cell values (1-based columns trimmed to the header width). */
async function readBack(
  bytes: Uint8Array,
): Promise<{ sheet: ExcelJS.Worksheet; values: unknown[][] }> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's typings want an ArrayBuffer (or a Node Buffer, which this browser-side file does not use).
  await workbook.xlsx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  const sheet = workbook.getWorksheet('签收情况');
  if (sheet === undefined) throw new Error('sheet missing');
  const values: unknown[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    values.push(Array.from({ length: 9 }, (_, c) => row.getCell(c + 1).value ?? ''));
  }
  return { sheet, values };
}

describe('exportTableToXlsx', () => {
  it('writes a workbook that reads back with the same rows', async () => {
    const bytes = await exportTableToXlsx(table, { sheetName: '签收情况' });
    const { values } = await readBack(bytes);
    const pad = (row: readonly unknown[]) => [...row, ...Array<string>(9 - row.length).fill('')];
    expect(values).toEqual([...table.metadata.map(pad), pad([]), table.header, ...table.rows]);
  });

  it('keeps formula-like text as text, bolds and freezes the header', async () => {
    const { sheet } = await readBack(await exportTableToXlsx(table, { sheetName: '签收情况' }));
    const noteCell = sheet.getRow(5).getCell(8);
    expect(noteCell.type).toBe(ExcelJS.ValueType.String);
    expect(noteCell.formula).toBeUndefined();
    expect(sheet.getRow(4).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
  });
});
