/**
 * The one place circular code imports zod from.
 *
 * Circular events are parsed in the renderer, which runs under a strict Content Security Policy
 * without `'unsafe-eval'`. Zod's object fast path compiles code with `new Function`, and merely
 * probing for it fires a CSP violation report. `jitless` turns both off before any schema below is
 * built (ES modules evaluate this file before the schema modules that import it); the interpreted
 * path gives identical results. The same reason rules out ajv at run time in the renderer: ajv
 * always compiles validators with `new Function`.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
