/**
 * `npm run admin -- apply`: brings the server in line with the org spec, with a progress bar, and
 * writes the initial passwords of new accounts to an owner-only file. See docs/provisioning.md.
 */
import cliProgress from 'cli-progress';
import type { OrgSpec } from '../shared/org/spec-types';
import { applyOrgSpec } from './apply';
import type { OrgConnection } from './apply';
import type { ApplyProgress } from './executor';
import { PasswordFile } from './secrets';
import { audited } from './audit/audit-command';

/** What `apply` needs once the command line is read. */
export interface ApplyCommandParams {
  connection: OrgConnection;
  spec: OrgSpec;
  prune: boolean;
  /** Where the initial passwords of new accounts go (created on the first one). */
  passwordsPath: string;
  /** The audit log to record the run in. */
  audit: Parameters<typeof audited>[0];
  /** The spec as named in the audit entry. */
  target: string;
}

/** Applies the spec and reports what changed. */
export async function runApplyCommand(params: ApplyCommandParams): Promise<void> {
  const { connection: conn, spec, prune, passwordsPath } = params;
  // Opened on the first generated password only; a promise, because creations run concurrently.
  let passwords: Promise<PasswordFile> | undefined;
  const progress = progressReporter();
  const started = Date.now();
  try {
    const result = await audited(
      params.audit,
      { action: 'org.apply', target: params.target, detail: { prune } },
      () =>
        applyOrgSpec({
          ...conn,
          spec,
          prune,
          onProgress: progress.onProgress,
          onPassword: async (userId, password) => {
            passwords ??= PasswordFile.open(passwordsPath);
            await (await passwords).add(userId, password);
          },
        }),
      (r) => ({
        detail: { writes: r.writes, summary: r.summary },
        extra: r.powerLevelRooms.map((room) => ({
          action: 'room.power-levels',
          target: `#${room}`,
        })),
      }),
    );
    progress.stop();
    if (conn.snapshotCache) console.error(conn.snapshotCache.report());
    const done = Object.entries(result.summary).map(([k, v]) => `${v} ${k}`);
    console.log(
      done.length === 0
        ? 'No changes: the server already matched the spec.'
        : `Applied: ${done.join(', ')}.`,
    );
    console.log(`${result.writes} HTTP writes in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (result.generatedPasswords.length > 0) {
      console.log(
        `Initial passwords of ${result.generatedPasswords.length} new account(s) were written to ${passwordsPath} (owner-only). Hand them over securely, then delete the file.`,
      );
    }
  } finally {
    progress.stop();
    // Whatever happened, the rooms read stay known; the rooms written were dropped before writing.
    await conn.snapshotCache?.save();
    await passwords?.then(
      (p) => p.close(),
      () => undefined,
    );
  }
}

/** A progress bar on a terminal; one line per phase otherwise (logs, CI). */
function progressReporter(): { onProgress: (p: ApplyProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    let phase = '';
    return {
      onProgress: (p) => {
        if (p.phase !== phase)
          process.stderr.write(`${p.phase}: ${p.done}/${p.total} done, ${p.writes} writes\n`);
        phase = p.phase;
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} |{bar}| {value}/{total} actions, {writes} writes, ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p) => {
      if (!started) bar.start(p.total, p.done, { phase: p.phase, writes: p.writes });
      // A second plan round (rare: rooms the snapshot had missed) brings a new total.
      else if (bar.getTotal() !== p.total) bar.setTotal(p.total);
      started = true;
      bar.update(p.done, { phase: p.phase.padEnd(17), writes: p.writes });
    },
    stop: () => started && bar.stop(),
  };
}
