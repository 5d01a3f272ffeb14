/**
 * The org agent's entry points: {@link startOrgAgent} for the homeserver kit's demo and the tests,
 * {@link runOrgAgentCommand} for `npm run admin -- agent`.
 */
export { startOrgAgent } from './org-agent';
export type { OrgAgent, OrgAgentOptions } from './org-agent';
export { runOrgAgentCommand } from './agent-command';
export type { OrgAgentCommandOptions } from './agent-command';
