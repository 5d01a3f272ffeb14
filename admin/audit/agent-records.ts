/**
 * What the org agent records for each request it answers: the unit admin who asked is the actor,
 * the request's subject the target, and refusals are kept too (an attempt outside one's subtree is
 * exactly what an auditor looks for).
 */
import { parseAdminRequest } from '../../shared/org/admin-requests';
import type { AdminRequest, AdminResultContent } from '../../shared/org/admin-requests';
import type { AuditRecord } from './chain';

function targetOf(request: AdminRequest): string {
  switch (request.action) {
    case 'create-user':
      return `@${request.username} in ${request.unitCode}`;
    case 'add-unit':
      return request.code;
    case 'add-department':
      return `${request.unitCode}/${request.slug}`;
    default:
      return request.userId;
  }
}

/** The audit record of one answered request (the sealed password is never copied). */
export function agentRequestRecord(opts: {
  agentUserId: string;
  sender: string;
  roomId: string;
  requestId: string;
  content: unknown;
  result: AdminResultContent;
}): AuditRecord {
  const parsed = parseAdminRequest(opts.content);
  const { result } = opts;
  const detail: Record<string, unknown> = {
    via: opts.agentUserId,
    room: opts.roomId,
    requestId: opts.requestId,
    message: result.message,
    ...(result.code ? { code: result.code } : {}),
  };
  if (parsed.ok) {
    const { request } = parsed;
    if (request.action === 'move-user') detail.to = request.toUnitCode;
    if ('roles' in request && request.roles) detail.roles = request.roles;
  }
  return {
    actor: opts.sender,
    action: parsed.ok ? `agent.${parsed.request.action}` : 'agent.malformed-request',
    target: parsed.ok ? targetOf(parsed.request) : opts.requestId,
    result: result.status === 'ok' ? 'ok' : result.code === 'failed' ? 'error' : 'refused',
    detail,
  };
}
