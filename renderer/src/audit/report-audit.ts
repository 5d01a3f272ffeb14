/**
 * Sends audit reports (shared/audit/audit-report.ts) to the org agent, which records them in the
 * server-side audit log with this account as the actor. The agent is the account that published
 * the agent key in the unit Spaces, an event only power 100 (the provisioning account) may send.
 * Reports are best-effort: an action is never held up or undone because its report could not go
 * out, and the report carries nothing the agent's account may not know (circular and room IDs).
 */
import { EventType, type MatrixClient } from 'matrix-js-sdk';
import type { AuditReport } from '../../../shared/audit/audit-report';
import { ADMIN_AGENT_EVENT, AUDIT_REPORT_EVENT } from '../../../shared/matrix-types';
import { readOrgView } from '../matrix/org-state';
import { waitForFirstSync } from '../matrix/wait-for';

/** Power the agent key needs in a Space (see shared/org/matrix-mapping.ts). */
const AGENT_POWER = 100;

/** The org agent's account, from the agent key in one of the user's unit Spaces. */
export function findOrgAgent(client: MatrixClient): string | undefined {
  const org = readOrgView(client);
  for (const rooms of Object.values(org.roomsByUnit)) {
    const space = rooms?.spaceId ? client.getRoom(rooms.spaceId) : null;
    const state = space?.currentState;
    const sender = state?.getStateEvents(ADMIN_AGENT_EVENT, '')?.getSender();
    // From the power levels themselves: Spaces lazy-load their members.
    const levels = state?.getStateEvents(EventType.RoomPowerLevels, '')?.getContent();
    const power = (levels?.users as Record<string, unknown> | undefined)?.[sender ?? ''];
    if (sender && typeof power === 'number' && power >= AGENT_POWER) return sender;
  }
  return undefined;
}

/** Sends one report to every device of the agent's account. Never throws. */
export async function reportAudit(client: MatrixClient, report: AuditReport): Promise<void> {
  try {
    const agent = findOrgAgent(client);
    if (!agent) {
      console.warn(`[audit] no org agent known; ${report.action} not reported`);
      return;
    }
    const content = report as unknown as Record<string, unknown>;
    await client.sendToDevice(AUDIT_REPORT_EVENT, new Map([[agent, new Map([['*', content]])]]));
  } catch (err) {
    console.warn(`[audit] ${report.action} not reported: ${(err as Error).message}`);
  }
}

/** After a sign-in: reports it once the first sync has shown the org (the agent records admins only). */
export async function reportLogin(client: MatrixClient): Promise<void> {
  try {
    await waitForFirstSync(client);
  } catch {
    return;
  }
  const deviceId = client.getDeviceId();
  if (deviceId) await reportAudit(client, { action: 'session.login', deviceId });
}
