/**
 * `npm run admin -- agent`: runs the org agent in the foreground until SIGINT or SIGTERM. The admin
 * CLI parses the connection options and calls {@link runOrgAgentCommand}.
 */
import { AuditLog } from '../audit/audit-log';
import { startOrgAgent } from './org-agent';

/** Options of {@link runOrgAgentCommand}. */
export interface OrgAgentCommandOptions {
  homeserverUrl: string;
  /** Server-admin token of the provisioning account (from the token file or the environment). */
  adminToken: string;
  /** Owner-only file for the agent's private key, so requests survive a restart (see docs/org-admin.md). */
  keyFile?: string;
  /** The audit database the agent records into. */
  auditFile: string;
  /** Where log lines go (default stderr). */
  log?: (line: string) => void;
}

/** Runs the agent until the process is asked to stop; rejects if the agent fails for good. */
export async function runOrgAgentCommand(opts: OrgAgentCommandOptions): Promise<void> {
  const log =
    opts.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const audit = new AuditLog(opts.auditFile);
  try {
    const agent = await startOrgAgent({
      homeserverUrl: opts.homeserverUrl,
      adminToken: opts.adminToken,
      signal: stop.signal,
      log,
      audit,
      ...(opts.keyFile === undefined ? {} : { keyFile: opts.keyFile }),
    });
    await agent.ready;
    log('org agent ready; press Ctrl+C to stop');
    await agent.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    audit.close();
  }
}
