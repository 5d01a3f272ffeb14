/** The one corner of jsdom's API the fuzz benchmark uses (jsdom ships no types). */
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string, options?: { url?: string });
    readonly window: Window & typeof globalThis;
  }
}
