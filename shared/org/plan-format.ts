/**
 * Human-readable dry-run output of a plan: `+` creates, `~` changes, `-` removes.
 */
import { summarizePlan } from './plan-types';
import type { OrgPlan, PlanAction, PlanActionType } from './plan-types';

const LABELS: Record<PlanActionType, string> = {
  'create-user': 'users to create',
  'set-display-name': 'display names to change',
  'create-room': 'rooms and spaces to create',
  'set-state': 'room settings to change',
  'set-join-rules': 'join rules to change',
  'link-child': 'space links to add',
  'link-parent': 'parent links to add',
  unlink: 'space links to remove',
  join: 'memberships to add',
  kick: 'memberships to remove',
  'retire-room': 'rooms to retire',
  'deactivate-user': 'users to deactivate',
};

/** One line for one action. */
export function formatAction(a: PlanAction): string {
  switch (a.type) {
    case 'create-user':
      return `+ user ${a.userId} (${a.displayName})`;
    case 'set-display-name':
      return `~ user ${a.userId} display name ${a.from ?? '(none)'} → ${a.displayName}`;
    case 'create-room':
      return `+ ${a.kind === 'space' ? 'space' : 'room'} #${a.room} (${a.name})`;
    case 'set-state':
      return `~ #${a.room} ${a.label}`;
    case 'set-join-rules':
      return `~ #${a.room} join rule ${a.allow.length === 0 ? 'invite' : `restricted to ${a.allow.map((s) => `#${s}`).join(', ')}`}`;
    case 'link-child':
      return `+ #${a.parent} contains #${a.child}`;
    case 'link-parent':
      return `+ #${a.room} belongs to #${a.parent}`;
    case 'unlink':
      return `- #${a.room} ${a.eventType === 'm.space.child' ? 'child' : 'parent'} link to ${a.target}`;
    case 'join':
      return `+ ${a.userId} joins #${a.room}`;
    case 'kick':
      return `- ${a.userId} leaves #${a.room} (${a.reason})`;
    case 'retire-room':
      return `- retire #${a.room} (${a.roomId})`;
    case 'deactivate-user':
      return `- deactivate ${a.userId}`;
  }
}

/**
 * Formats a plan for the terminal.
 *
 * @param opts.details - List every action, not only the counts. Default true.
 */
export function formatPlan(plan: OrgPlan, opts: { details?: boolean } = {}): string {
  const lines: string[] = [];
  for (const c of plan.conflicts) lines.push(`! ${c}`);
  if (opts.details !== false) for (const a of plan.actions) lines.push(formatAction(a));
  if (plan.extraRooms.length > 0)
    lines.push(
      `  ${plan.extraRooms.length} managed room(s) not in the spec (kept; --prune removes them): ${plan.extraRooms
        .slice(0, 10)
        .map((r) => `#${r}`)
        .join(', ')}${plan.extraRooms.length > 10 ? ', …' : ''}`,
    );
  if (plan.extraUsers.length > 0)
    lines.push(
      `  ${plan.extraUsers.length} managed user(s) not in the spec (kept; --prune deactivates them): ${plan.extraUsers.slice(0, 10).join(', ')}${plan.extraUsers.length > 10 ? ', …' : ''}`,
    );
  const counts = summarizePlan(plan);
  const summary = (Object.keys(LABELS) as PlanActionType[])
    .filter((t) => counts[t])
    .map((t) => `${counts[t]} ${LABELS[t]}`);
  lines.push(
    summary.length === 0
      ? 'No changes: the server matches the spec.'
      : `Plan: ${summary.join(', ')}.`,
  );
  return lines.join('\n');
}
