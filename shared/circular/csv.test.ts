import { describe, expect, it } from 'vitest';
import { UTF8_BOM, csvCell, exportTableToCsv, toCsvRows } from './csv';

describe('CSV', () => {
  it.each<[string, string | number, string]>([
    ['plain text', '张三', '张三'],
    ['a comma', '杭州市,上城区', '"杭州市,上城区"'],
    ['a double quote', '他说"收到"', '"他说""收到"""'],
    ['a line break', '第一行\n第二行', '"第一行\n第二行"'],
    ['a carriage return', 'a\r\nb', '"a\r\nb"'],
    ['a formula', '=HYPERLINK("http://evil","点我")', `"'=HYPERLINK(""http://evil"",""点我"")"`],
    ['a plus sign', '+86 10 1234', "'+86 10 1234"],
    ['a minus sign', '-1+1', "'-1+1"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a number (kept as a number)', -3.5, '-3.5'],
    ['a non-finite number', Number.NaN, ''],
    ['an empty string', '', ''],
  ])('writes %s safely', (_name, cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it('ends every record with CRLF', () => {
    expect(toCsvRows([['a', 'b'], ['c']])).toBe('a,b\r\nc\r\n');
  });

  it('writes a BOM, the metadata block, a blank line, then the table', () => {
    const csv = exportTableToCsv({
      metadata: [['标题', '通知']],
      header: ['单位', '姓名'],
      rows: [['杭州市', '张三']],
    });
    expect(csv).toBe(`${UTF8_BOM}标题,通知\r\n\r\n单位,姓名\r\n杭州市,张三\r\n`);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
  });
});
