/**
 * Hostile org specs and CSV user lists (fast-check, fixed seed) through parsing, validation and the
 * planner: no crash, and every rejection names a file and a field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzImports, hostileImport } from './org-spec-fuzz';

describe('hostile org specs and CSV imports', () => {
  it('end in a plan or in errors naming file and field, never in a crash', () => {
    const inputs = fc.sample(hostileImport, { numRuns: 500, seed: 19 });
    const result = fuzzImports(inputs);
    expect(result.failures.slice(0, 10)).toEqual([]);
    expect(result.crashes).toBe(0);
    // Most hostile inputs are refused; the rest (HTML in a name, say) are valid and plan.
    expect(result.rejected).toBeGreaterThan(inputs.length / 2);
  }, 120_000);
});
