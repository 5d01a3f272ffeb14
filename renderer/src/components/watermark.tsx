import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';

/** Escapes text for an XML text node / attribute inside the watermark SVG. */
function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The tile of the watermark: the user's name and ID (and the date) rotated, as an SVG data URL.
 * A data URL keeps it inside the CSP (`img-src data:`) and needs no network or font files.
 */
export function watermarkTile(lines: readonly string[]): string {
  const text = lines
    .map((line, i) => `<tspan x="0" dy="${i === 0 ? 0 : 22}">${escapeXml(line)}</tspan>`)
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200">` +
    `<g transform="translate(40 130) rotate(-22)" fill="#1d2430" fill-opacity="0.09" ` +
    `font-family="sans-serif" font-size="16">` +
    `<text>${text}</text></g></svg>`;
  return `url("data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}")`;
}

/**
 * A watermark over the whole signed-in window with the user's name and ID, when the deployment
 * requires it: screenshots and photographs of the screen can be traced to the account. It never
 * takes clicks (pointer-events: none) and is hidden from assistive technology.
 */
export function Watermark() {
  const { on, userId, displayName } = useAppStore(
    useShallow((s) => ({ on: s.watermark, userId: s.userId, displayName: s.displayName })),
  );
  const day = new Date().toISOString().slice(0, 10);
  const tile = useMemo(
    () => watermarkTile([displayName ?? '', userId ?? '', day].filter(Boolean)),
    [displayName, userId, day],
  );
  if (!on || !userId) return null;
  return (
    <div
      className="watermark"
      data-testid="watermark"
      data-text={`${displayName ?? ''} ${userId}`.trim()}
      aria-hidden="true"
      style={{ backgroundImage: tile }}
    />
  );
}
