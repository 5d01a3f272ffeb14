import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'npm-engine-note.awk');

function filter(input: string): string {
  const run = spawnSync('awk', ['-v', 'node=v20.19.2', '-f', SCRIPT], { input, encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stdout;
}

const block = (pkg: string) => `npm warn EBADENGINE Unsupported engine {
npm warn EBADENGINE   package: '${pkg}',
npm warn EBADENGINE   required: { node: '>=22.0.0' },
npm warn EBADENGINE   current: { node: 'v20.19.2', npm: '10.8.2' }
npm warn EBADENGINE }
`;

describe('the install output filter of ./hongyan', () => {
  it('folds the EBADENGINE warnings into one note naming the packages, and passes the rest through', () => {
    const out = filter(
      `${block('matrix-js-sdk@43.0.0')}${block('vite@8.3.8')}npm warn deprecated glob@7.2.3: old\n\nadded 812 packages in 40s\n`,
    );
    expect(out).not.toContain('EBADENGINE');
    expect(out).toContain('npm warn deprecated glob@7.2.3: old');
    expect(out).toContain('added 812 packages in 40s');
    const notes = out.split('\n').filter((l) => l.startsWith('note:'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('2 packages ask for a newer Node than the system');
    expect(notes[0]).toContain('v20.19.2 (matrix-js-sdk@43.0.0, vite@8.3.8)');
  });

  it('adds nothing when npm had no engine complaint', () => {
    expect(filter('added 812 packages in 40s\n')).toBe('added 812 packages in 40s\n');
  });
});
