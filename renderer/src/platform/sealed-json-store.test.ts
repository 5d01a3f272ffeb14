import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { AesGcmSealer } from './aes-gcm-sealer';
import { idbRequest, openKeyValueDb } from './idb';
import { SealedJsonStore, SealedValueError } from './sealed-json-store';

interface Note {
  text: string;
}

const decodeNote = (json: string): Note => {
  const v = JSON.parse(json) as { text?: unknown };
  if (typeof v.text !== 'string') throw new Error('a note needs a text');
  return { text: v.text };
};

const notes = (sealer: AesGcmSealer, factory: IDBFactory, dbName = 'notes') =>
  new SealedJsonStore<Note>({
    dbName,
    storeName: 'notes',
    sealer,
    context: (key) => `note:${key}`,
    decode: decodeNote,
    factory,
  });

/** The raw rows, as any other code on the machine could read them. */
async function rawRows(factory: IDBFactory, dbName = 'notes'): Promise<unknown[]> {
  const db = await openKeyValueDb(dbName, 'notes', factory);
  const rows = await idbRequest<unknown[]>(db, 'notes', 'readonly', (s) => s.getAll());
  db.close();
  return rows;
}

describe('SealedJsonStore', () => {
  it('gives back what was put, across a reopen, and nothing after a delete', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    await notes(sealer, factory).put('a', { text: '机密一' });
    await notes(sealer, factory).put('b', { text: '机密二' });
    const reopened = notes(sealer, factory);
    expect(await reopened.get('a')).toEqual({ text: '机密一' });
    expect(await reopened.list()).toEqual([{ text: '机密一' }, { text: '机密二' }]);
    await reopened.delete('a');
    expect(await reopened.get('a')).toBeUndefined();
    expect(await reopened.list()).toEqual([{ text: '机密二' }]);
  });

  it('keeps only ciphertext at rest', async () => {
    const factory = new IDBFactory();
    await notes(await AesGcmSealer.generate(), factory).put('a', { text: '机密一' });
    const rows = await rawRows(factory);
    expect(rows).toHaveLength(1);
    const bytes = (rows[0] as { data: Uint8Array }).data;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes)).not.toContain('机密一');
    expect(JSON.stringify(rows)).not.toContain('机密一');
  });

  it('refuses a value sealed under another key, naming the database and the key, and keeps it', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    await notes(sealer, factory).put('a', { text: '机密一' });
    const stranger = notes(await AesGcmSealer.generate(), factory);
    const err = await stranger.get('a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealedValueError);
    expect((err as SealedValueError).message).toMatch(/^a in notes cannot be opened/);
    const unreadable: string[] = [];
    expect(await stranger.list((e) => unreadable.push(e.key))).toEqual([]);
    expect(unreadable).toEqual(['a']);
    expect(await notes(sealer, factory).get('a')).toEqual({ text: '机密一' });
  });

  it('does not open a row moved under another key', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    await notes(sealer, factory).put('a', { text: '机密一' });
    const [row] = await rawRows(factory);
    const db = await openKeyValueDb('notes', 'notes', factory);
    await idbRequest(db, 'notes', 'readwrite', (s) => s.put(row, 'b'));
    db.close();
    await expect(notes(sealer, factory).get('b')).rejects.toThrow(SealedValueError);
  });

  it('names the value whose content is not valid', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    const loose = new SealedJsonStore<unknown>({
      dbName: 'notes',
      storeName: 'notes',
      sealer,
      context: (key) => `note:${key}`,
      decode: (json) => JSON.parse(json) as unknown,
      factory,
    });
    await loose.put('a', { title: 'no text' });
    await expect(notes(sealer, factory).get('a')).rejects.toThrow(/a note needs a text/);
  });

  it('opens rows of the earlier { sealed } shape', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    const sealed = await sealer.seal(JSON.stringify({ text: '旧' }), 'note:old');
    const db = await openKeyValueDb('notes', 'notes', factory);
    await idbRequest(db, 'notes', 'readwrite', (s) => s.put({ sealed }, 'old'));
    db.close();
    expect(await notes(sealer, factory).get('old')).toEqual({ text: '旧' });
  });

  it('deletes the whole database', async () => {
    const factory = new IDBFactory();
    const store = notes(await AesGcmSealer.generate(), factory, 'gone');
    await store.put('a', { text: 'x' });
    await store.deleteAll();
    expect((await factory.databases()).map((d) => d.name)).not.toContain('gone');
  });
});
