/**
 * Turns the records of a CSV user list into spec users, and merges them with a YAML spec's users so
 * that validation errors on a CSV user point at the CSV file and line.
 *
 * Tokenising the CSV text itself (quotes, embedded newlines) is done by a CSV library in the caller;
 * this module maps columns to fields and knows nothing about files.
 */
import type { SpecError, SpecLocator, SpecSource } from './spec-types';

/** One CSV record: its 1-based line in the file and its values by header name. */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

/** Accepted header names (lower-cased) for each user field, English and Chinese. */
const COLUMN_ALIASES: Record<string, readonly string[]> = {
  username: ['username', 'user', '用户名', '账号'],
  displayName: ['displayname', 'display_name', 'name', '姓名'],
  unit: ['unit', 'unit_code', 'unitcode', '单位', '单位代码'],
  position: ['position', '职务'],
  roles: ['roles', 'role', '角色'],
  password: ['password', '密码'],
};
const REQUIRED_FIELDS = ['username', 'displayName', 'unit'] as const;

function fieldForHeader(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  return Object.keys(COLUMN_ALIASES).find((field) => COLUMN_ALIASES[field]?.includes(h));
}

/**
 * Maps CSV records to spec users.
 *
 * @param opts.file - CSV file name for error locations.
 * @param opts.headers - Header names in file order (line 1).
 * @param opts.records - The data records.
 * @returns Users as plain data with a locator over `users[i].field`, plus header errors.
 */
export function usersFromCsv(opts: {
  file: string;
  headers: readonly string[];
  records: readonly CsvRecord[];
}): SpecSource {
  const { file, headers, records } = opts;
  const errors: SpecError[] = [];
  const headerOf: Record<string, string> = {};
  for (const [column, header] of headers.entries()) {
    const field = fieldForHeader(header);
    if (field === undefined) {
      errors.push({
        file,
        line: 1,
        kind: 'schema',
        // An empty header cell still needs a name the admin can find.
        field: header.trim() === '' ? `(column ${column + 1})` : header,
        message: `unknown column "${header}"; expected ${Object.keys(COLUMN_ALIASES).join(', ')}`,
      });
    } else if (headerOf[field] !== undefined) {
      errors.push({
        file,
        line: 1,
        kind: 'schema',
        field: header,
        message: `column for ${field} appears twice`,
      });
    } else {
      headerOf[field] = header;
    }
  }
  for (const field of REQUIRED_FIELDS) {
    if (headerOf[field] === undefined)
      errors.push({ file, line: 1, kind: 'schema', field, message: `missing column ${field}` });
  }
  const users = records.map((record) => {
    const user: Record<string, unknown> = {};
    for (const [field, header] of Object.entries(headerOf)) {
      const raw = (record.values[header] ?? '').trim();
      if (raw === '') continue;
      user[field] = field === 'roles' ? raw.split(/[;|,，；、\s]+/).filter((r) => r !== '') : raw;
    }
    return user;
  });
  const locate: SpecLocator = (path) => {
    const index = path[1];
    const record = typeof index === 'number' ? records[index] : undefined;
    return record ? { file, line: record.line } : { file, line: 1 };
  };
  return { data: { users }, locate, errors };
}

/**
 * Appends CSV users to a spec's `users` (the spec may list none) and combines the locators, so a
 * path `users[i]` with i past the YAML users is located in the CSV file.
 */
export function mergeCsvUsers(spec: SpecSource, csv: SpecSource): SpecSource {
  const specData = spec.data;
  const specUsers =
    isRecord(specData) && Array.isArray(specData.users) ? (specData.users as unknown[]) : [];
  const csvUsers =
    isRecord(csv.data) && Array.isArray(csv.data.users) ? (csv.data.users as unknown[]) : [];
  const offset = specUsers.length;
  const data = isRecord(specData) ? { ...specData, users: [...specUsers, ...csvUsers] } : specData;
  const locate: SpecLocator = (path, opts) => {
    const index = path[1];
    if (path[0] === 'users' && typeof index === 'number' && index >= offset) {
      return csv.locate(['users', index - offset, ...path.slice(2)], opts);
    }
    return spec.locate(path, opts);
  };
  return { data, locate, errors: [...spec.errors, ...csv.errors] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
