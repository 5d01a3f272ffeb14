/** Background colours for initials avatars: muted, readable with white text. */
const COLOURS = [
  '#1f4e8c',
  '#2e7d32',
  '#6a4c93',
  '#b26a00',
  '#00796b',
  '#8d3b72',
  '#455a64',
  '#3949ab',
];

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/**
 * An initials avatar. Avatars are drawn locally rather than loaded from the server, so showing a
 * timeline never fetches anything a sender chose.
 */
export function Avatar({ name, id, size = 32 }: { name: string; id: string; size?: number }) {
  const initial = Array.from(name.replace(/^[@#!]/, '').trim())[0] ?? '?';
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{
        width: size,
        height: size,
        lineHeight: `${size}px`,
        fontSize: size * 0.45,
        background: COLOURS[hash(id) % COLOURS.length],
      }}
    >
      {initial.toUpperCase()}
    </span>
  );
}
