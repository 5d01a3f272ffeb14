/**
 * Small line icons drawn as inline SVG, so they look the same on every machine (emoji fonts are
 * missing on many government desktops) and never load anything.
 */
const base = {
  width: 14,
  height: 14,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  className: 'icon-svg',
};

/** Padlock: end-to-end encrypted. */
export function LockIcon() {
  return (
    <svg {...base}>
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  );
}

/** Open padlock: not encrypted, or cannot be decrypted. */
export function UnlockIcon() {
  return (
    <svg {...base}>
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 7.5-2" />
    </svg>
  );
}

/** Paperclip: attachment. */
export function ClipIcon() {
  return (
    <svg {...base} width={16} height={16}>
      <path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5" />
    </svg>
  );
}

/** Crossed bell: muted. */
export function MutedIcon() {
  return (
    <svg {...base}>
      <path d="M6 8a6 6 0 0 1 10.5-4M18 9v4l2 3H8M4 4l16 16M10 20a2 2 0 0 0 4 0" />
    </svg>
  );
}
