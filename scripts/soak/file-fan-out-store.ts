/**
 * A fan-out store in one JSON file, for Node processes that must survive being killed (the soak's
 * client process). Each write goes to a temporary file that is renamed over the old one, so a
 * SIGKILL mid-write leaves the previous complete file, never half of one.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  parseFanOutRecord,
  serializeFanOutRecord,
  type FanOutRecord,
  type FanOutStore,
} from '../../renderer/src/circulars/fan-out-store';

export class FileFanOutStore implements FanOutStore {
  constructor(readonly file: string) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`fan-out store ${this.file} cannot be read: ${(err as Error).message}`);
    }
  }

  private write(records: Record<string, string>): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(records), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  async get(circularId: string): Promise<FanOutRecord | undefined> {
    const json = this.read()[circularId];
    return json === undefined ? undefined : parseFanOutRecord(circularId, json);
  }

  async put(record: FanOutRecord): Promise<void> {
    const records = this.read();
    records[record.plan.circularId] = serializeFanOutRecord(record);
    this.write(records);
  }

  async list(): Promise<FanOutRecord[]> {
    return Object.entries(this.read()).map(([id, json]) => parseFanOutRecord(id, json));
  }

  async delete(circularId: string): Promise<void> {
    const records = this.read();
    delete records[circularId];
    this.write(records);
  }
}
