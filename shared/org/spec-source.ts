/**
 * Reads spec text (YAML) into plain data plus a locator that maps any data path back to its line and
 * column, so validation can say exactly where a problem was written.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { SpecError, SpecLocation, SpecLocator, SpecPath, SpecSource } from './spec-types';

/** Fields that are text even when written as digits (codes such as `990100`, numeric passwords). */
const TEXT_FIELDS: Record<string, readonly string[]> = {
  units: ['code', 'parent', 'name'],
  users: ['username', 'displayName', 'unit', 'position', 'password'],
};

/**
 * Keeps code-like fields as the text that was written. YAML reads `code: 990100` as a number, and
 * `code: 010100` would lose its leading zero, so the original source text is restored instead.
 */
function keepTextFields(doc: Document): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  for (const [section, fields] of Object.entries(TEXT_FIELDS)) {
    const seq = root.get(section, true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      for (const field of fields) {
        const node = item.get(field, true);
        if (isScalar(node) && typeof node.value === 'number')
          node.value = node.source ?? String(node.value);
      }
    }
  }
}

function nodeAt(
  doc: Document,
  path: SpecPath,
): { node: YamlNode | null; keyNode: YamlNode | null; depth: number } {
  let node: YamlNode | null = doc.contents;
  let keyNode: YamlNode | null = null;
  let depth = 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part),
      );
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : null;
      node = (pair.value as YamlNode | null) ?? keyNode;
    } else if (isSeq(node) && typeof part === 'number') {
      const item: unknown = node.items[part];
      if (item === undefined) break;
      keyNode = null;
      node = item as YamlNode;
    } else {
      break;
    }
    depth += 1;
  }
  return { node, keyNode, depth };
}

function errorFromYaml(
  file: string,
  err: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] },
): SpecError {
  const pos = err.linePos?.[0];
  // The yaml library appends a code excerpt after the first line; the location is reported separately.
  const message = err.message.split('\n')[0] ?? err.message;
  return { file, line: pos?.line, column: pos?.col, kind: 'syntax', field: '(yaml)', message };
}

/**
 * Parses YAML spec text.
 *
 * @param text - The file's contents.
 * @param file - The file name used in error locations.
 * @returns The data, a locator for its paths and any syntax errors. On syntax errors `data` is undefined.
 */
export function parseSpecYaml(text: string, file: string): SpecSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const locate: SpecLocator = (path, opts) => {
    const { node, keyNode, depth } = nodeAt(doc, path);
    const chosen = opts?.key && depth === path.length && keyNode ? keyNode : node;
    const offset = chosen?.range?.[0];
    if (offset === undefined) return { file };
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    return { data: undefined, locate, errors: doc.errors.map((e) => errorFromYaml(file, e)) };
  }
  keepTextFields(doc);
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, locate, errors: [] };
  } catch (err) {
    // An alias bomb (aliases of aliases, expanding to millions of nodes) is refused, not expanded.
    return {
      data: undefined,
      locate,
      errors: [{ file, kind: 'syntax', field: '(yaml)', message: (err as Error).message }],
    };
  }
}

/** A locator for data that has no source file position (e.g. built in code). */
export function locatorWithoutLines(file: string): SpecLocator {
  return (): SpecLocation => ({ file });
}
