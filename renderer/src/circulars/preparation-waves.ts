/**
 * Prepares a fan-out's encryption in waves of rooms, so that sending can start before all of it
 * is prepared.
 *
 * Preparing is partly server work (member lists, device lists, the one-time key claim) and partly
 * client work (opening an Olm session per device, encrypting each room's key for every device);
 * sending is mostly server work. Done one after the other, each waits for the other. Two waves are
 * prepared at once, so one wave's server work overlaps the other's client work, and the rooms of
 * each prepared wave go out while later waves prepare. The first wave is small so the first copies
 * leave early; later waves are capped, so the rooms still to send when preparing ends are few.
 * When the issuer prepared the rooms while composing, every wave finds its work done and the waves
 * cost next to nothing.
 */
import type { MatrixClient } from 'matrix-js-sdk';
import { prepareFanOutEncryption } from './warm-up-encryption';

/** Rooms in the first wave; each later wave is twice the one before, up to {@link LARGEST_WAVE}. */
export const FIRST_WAVE = 8;
/** The largest wave: the last ones' sends are what is left once everything is prepared. */
export const LARGEST_WAVE = 16;
/** Waves prepared at the same time (see above: one's server work beside the other's client work). */
export const PARALLEL_WAVES = 2;

/** Splits rooms into waves of {@link FIRST_WAVE}, then twice as many up to {@link LARGEST_WAVE}, in their order. */
export function splitIntoWaves<T>(
  items: readonly T[],
  first = FIRST_WAVE,
  largest = LARGEST_WAVE,
): T[][] {
  const waves: T[][] = [];
  let size = Math.max(1, first);
  for (let i = 0; i < items.length; i += size, size = Math.min(Math.max(largest, 1), size * 2))
    waves.push(items.slice(i, i + size));
  return waves;
}

/** Parameters of {@link PreparationWaves}. */
export interface PreparationWavesParams {
  client: MatrixClient;
  roomIds: readonly string[];
  /**
   * Longest wait for one wave. Preparing is only an optimisation: if a wave takes longer (e.g. the
   * server is down), every room is released to be sent the SDK's own way, room by room.
   */
  waveLimitMs: number;
  /** How a wave is prepared (default {@link prepareFanOutEncryption}; tests inject their own). */
  prepare?: (client: MatrixClient, roomIds: readonly string[]) => Promise<unknown>;
}

/** The waves of one fan-out run: which rooms may be sent, and a way to wait for more. */
export class PreparationWaves {
  private readonly ready = new Set<string>();
  private finished = false;
  private waiters: (() => void)[] = [];
  /** Resolves once every room is released (prepared, or given up on). */
  readonly done: Promise<void>;

  constructor(private readonly params: PreparationWavesParams) {
    this.done = this.prepareAll();
  }

  /** Whether a room's wave is prepared (or preparing was given up), so it can be sent. */
  isReady(roomId: string): boolean {
    return this.finished || this.ready.has(roomId);
  }

  /** Whether rooms are still waiting for their wave. */
  get pending(): boolean {
    return !this.finished;
  }

  /** Resolves when the next wave is released (at once when all are). */
  nextWave(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Releases every room now, e.g. when the run stops. */
  releaseAll(): void {
    this.finished = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async prepareAll(): Promise<void> {
    const { client, roomIds, waveLimitMs } = this.params;
    const prepare = this.params.prepare ?? prepareFanOutEncryption;
    const waves = splitIntoWaves(roomIds);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!this.finished && next < waves.length) {
        const wave = waves[next++] ?? [];
        let timer: ReturnType<typeof setTimeout> | undefined;
        const inTime = await Promise.race([
          prepare(client, wave).then(
            () => true,
            () => true,
          ),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), waveLimitMs);
          }),
        ]);
        clearTimeout(timer);
        for (const roomId of wave) this.ready.add(roomId);
        if (!inTime) this.releaseAll();
        else this.wake();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_WAVES }, worker));
    this.releaseAll();
  }
}
