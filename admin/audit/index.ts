/** The audit log of administrative actions; see docs/audit.md. */
export {
  AuditLog,
  AuditRoom,
  MIN_RETENTION_DAYS,
  defaultAuditFile,
  retentionDaysFrom,
} from './audit-log';
export type { AuditVerification } from './audit-log';
export type { AuditAnchor } from './anchor';
export type { AuditEntry, AuditRecord, AuditResult } from './chain';
export { audited, runAuditCommand } from './audit-command';
export type { AuditedAction, AuditOutcome } from './audit-command';
