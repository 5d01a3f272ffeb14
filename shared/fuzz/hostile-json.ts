/**
 * Building blocks of property-based fuzzing over JSON-like data (fast-check): paths into a value,
 * in-place edits, and the hostile values a malformed event, spec or file may hold. Test support
 * only; nothing in the product imports it.
 */
import fc from 'fast-check';

export type Path = (string | number)[];
export type Json = Record<string, unknown> | unknown[];

/** Script, handlers, links and markup that must only ever show as text. */
export const HTML_PAYLOADS = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 1">',
  '<a href="javascript:window.__pwned=1">点此签收</a>',
  '"><svg onload=window.__pwned=1>',
  '<iframe src="https://evil.example/"></iframe>',
  '<b>加粗</b><style>body{display:none}</style>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '\u202e\u0000<div style="position:fixed;inset:0">伪造</div>',
];

/** A deep copy of JSON-like data (plain objects and arrays; other values are shared). */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => clone(x)) as T;
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

/** Every path in the value (objects and arrays, not the root). */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: Path[] = [];
  for (const [k, v] of Object.entries(value)) {
    const key: string | number = Array.isArray(value) ? Number(k) : k;
    out.push([...prefix, key], ...pathsOf(v, [...prefix, key]));
  }
  return out;
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } | undefined {
  let node: unknown = root;
  for (const k of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[k];
  }
  if (typeof node !== 'object' || node === null) return undefined;
  return { parent: node as Json, key: path.at(-1) ?? '' };
}

export function setAt(root: Json, path: Path, value: unknown): void {
  const p = parentOf(root, path);
  if (p) (p.parent as Record<string | number, unknown>)[p.key] = value;
}

export function deleteAt(root: Json, path: Path): void {
  const p = parentOf(root, path);
  if (!p) return;
  if (Array.isArray(p.parent) && typeof p.key === 'number') p.parent.splice(p.key, 1);
  else delete (p.parent as Record<string, unknown>)[String(p.key)];
}

/** Leaves (strings) anywhere in the value, with their paths. */
export const stringPaths = (v: unknown): Path[] =>
  pathsOf(v).filter((p) => {
    const at = parentOf(v as Json, p);
    return at && typeof (at.parent as Record<string | number, unknown>)[at.key] === 'string';
  });

/** Arrays or objects nested `depth` deep, ending in junk. */
export const nestedJunk = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean(), fc.jsonValue({ maxDepth: 2 }))
  .map(([depth, arrays, leaf]) => {
    let v: unknown = leaf;
    for (let i = 0; i < depth; i += 1) v = arrays ? [v] : { [`k${i % 7}`]: v, x: i };
    return v;
  });

/** Deepest path where nested junk is put; a structured input's own fields are far shallower. */
const MAX_JUNK_PATH = 12;

/** Values of another type than anything a field expects. */
export const wrongTyped = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, '', [], {}, [[]], { '': null }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }),
);

export const hugeString = fc
  .tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 10_000, max: 70_000 }))
  .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));

/** A mutation: edits the value in place and says what it did. */
export type Mutator = (c: Json) => string;

/**
 * The mutations any structured input must survive: a field of the wrong type, a field missing, a
 * huge string, deeply nested junk, HTML in every text field. `skip` keeps paths out of reach.
 */
export function genericMutations(
  skip: (p: Path) => boolean = () => false,
): fc.Arbitrary<Mutator>[] {
  const pick = fc.nat();
  const targets = (c: Json): Path[] => pathsOf(c).filter((p) => !skip(p));
  return [
    fc.tuple(pick, wrongTyped).map(([i, v]) => (c: Json) => {
      const paths = targets(c);
      const p = paths[i % paths.length] ?? [];
      setAt(c, p, clone(v));
      return `wrong-type at ${p.join('.')}`;
    }),
    pick.map((i) => (c: Json) => {
      const paths = targets(c);
      const p = paths[i % paths.length] ?? [];
      deleteAt(c, p);
      return `missing-field ${p.join('.')}`;
    }),
    fc.tuple(pick, hugeString).map(([i, s]) => (c: Json) => {
      const paths = stringPaths(c).filter((p) => !skip(p));
      const p = paths[i % paths.length];
      if (p) setAt(c, p, s);
      return `huge-string (${s.length}) at ${p?.join('.') ?? 'nowhere'}`;
    }),
    fc.tuple(pick, nestedJunk).map(([i, junk]) => (c: Json) => {
      // Never inside junk an earlier mutation left: junk in junk would nest deeper than the
      // 3,000 levels meant, past what the harness itself can serialise (JSON.stringify overflows).
      const paths = targets(c).filter((p) => p.length <= MAX_JUNK_PATH);
      const p = paths[i % paths.length] ?? [];
      setAt(c, p, junk);
      return `nested-junk at ${p.join('.')}`;
    }),
    fc.constantFrom(...HTML_PAYLOADS).map((html) => (c: Json) => {
      for (const p of stringPaths(c)) if (!skip(p)) setAt(c, p, html);
      return 'html-everywhere';
    }),
  ];
}

/** A value from `base`, damaged by one to three of `mutations`. */
export function hostileVariant<T extends Json>(
  base: () => T,
  mutations: readonly fc.Arbitrary<Mutator>[],
): fc.Arbitrary<{ content: T; mutations: string[] }> {
  return fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }).map((muts) => {
    const content = clone(base());
    return { content, mutations: muts.map((m) => m(content)) };
  });
}
