/**
 * Drafts of circulars from the fixture province to its three cities (one target: every unit of
 * level city), as integration tests, the worker-topology test and benchmarks issue them.
 */
import type { CircularDraft } from '../renderer/src/circulars/issue';
import { UNITS } from './org-fixture';

/** A draft to the three cities, acknowledgment required within a day; `fields` replace defaults. */
export function draftToCities(title: string, fields: Partial<CircularDraft> = {}): CircularDraft {
  return {
    title,
    issuingUnit: { code: UNITS.province, name: '示范省人民政府办公厅' },
    urgency: 'urgent',
    ackRequired: true,
    ackDeadline: Date.now() + 86_400_000,
    noForward: false,
    body: '各市人民政府：\n\n请于规定时间内签收。',
    targets: [{ unitCode: UNITS.province, scope: 'level', level: 'city' }],
    attachments: [],
    ...fields,
  };
}
