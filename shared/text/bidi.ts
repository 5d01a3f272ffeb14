/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) reorder
 * the text drawn after them: "invoice\u202Egnp.exe" is drawn as "invoiceexe.png". In names and
 * messages from other people they only serve to disguise, so they are removed before display, and
 * the caller can flag that they were there. (The plain marks U+200E/U+200F reorder nothing and stay.)
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** The text without bidi controls, and whether it had any. */
export function neutraliseBidi(text: string): { text: string; hadControls: boolean } {
  const cleaned = text.replace(BIDI_CONTROLS, '');
  return { text: cleaned, hadControls: cleaned.length !== text.length };
}

/** The text without bidi controls. */
export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
