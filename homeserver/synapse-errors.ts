/**
 * Picks, out of the log Synapse wrote before it exited, the lines that say what was wrong, so the
 * kit can show them instead of a wall of log. Three shapes occur:
 * - Synapse's own config check: `Error in configuration at 'key':` and indented lines under it;
 * - an uncaught exception: a Python traceback ending in the exception's message;
 * - anything else: the last ERROR/CRITICAL log records, or failing that the last lines.
 */
export function extractSynapseError(log: string, maxLines = 12): string[] {
  const lines = log.replace(/\r\n/g, '\n').split('\n');

  const configIdx = findLastIndex(lines, (l) => l.startsWith('Error in configuration'));
  if (configIdx >= 0) {
    const block = [lines[configIdx] ?? ''];
    for (const line of lines.slice(configIdx + 1)) {
      if (!/^\s+\S/.test(line)) break;
      block.push(line.trimEnd());
    }
    return block.slice(0, maxLines);
  }

  const tracebackIdx = findLastIndex(lines, (l) =>
    l.startsWith('Traceback (most recent call last):'),
  );
  if (tracebackIdx >= 0) return summariseTraceback(lines.slice(tracebackIdx), maxLines);

  const errorLines = lines.filter((l) => / - (ERROR|CRITICAL) - /.test(l));
  if (errorLines.length > 0) return errorLines.slice(-maxLines);
  return lines.filter((l) => l.trim() !== '').slice(-maxLines);
}

function summariseTraceback(tb: string[], maxLines: number): string[] {
  const frameIdx = findLastIndex(tb, (l) => /^\s+File "/.test(l));
  if (frameIdx < 0) return tb.filter((l) => l.trim() !== '').slice(-maxLines);
  // After the last frame come its source line and caret markers (indented), then the exception.
  let i = frameIdx + 1;
  while (i < tb.length && /^\s/.test(tb[i] ?? '')) i++;
  const message = tb.slice(i).filter((l) => l.trim() !== '');
  // Name where it failed when that was a config module: its source line usually names the key.
  // Prefer the section module (repository.py, server.py, ...) over the shared helpers in _base.py.
  const isConfigFrame = (l: string): boolean => /^\s+File ".*\/synapse\/config\//.test(l);
  let synapseFrame = findLastIndex(tb, (l) => isConfigFrame(l) && !l.includes('/_base.py'));
  if (synapseFrame < 0) synapseFrame = findLastIndex(tb, isConfigFrame);
  const where: string[] = [];
  if (synapseFrame >= 0) {
    const frame = tb[synapseFrame] ?? '';
    const file = /synapse\/config\/[^"]+/.exec(frame)?.[0] ?? '';
    const lineNo = /line (\d+)/.exec(frame)?.[1] ?? '?';
    where.push(
      `(raised while reading the config, ${file}:${lineNo}: ${(tb[synapseFrame + 1] ?? '').trim()})`,
    );
  }
  return [...message.slice(0, maxLines - where.length), ...where];
}

function findLastIndex<T>(items: readonly T[], pred: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i] as T)) return i;
  return -1;
}
