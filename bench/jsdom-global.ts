/**
 * The React views need a DOM; benchmarks run in plain Node, so they install jsdom's window as
 * globals (only names Node does not already have). Import React DOM and Testing Library after
 * this: they look for the DOM when loaded.
 */
import { JSDOM } from 'jsdom';

export function installDom(): void {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
  const win = dom.window as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(win)) {
    if (key in globalThis) continue;
    Object.defineProperty(globalThis, key, { configurable: true, get: () => win[key] });
  }
}
