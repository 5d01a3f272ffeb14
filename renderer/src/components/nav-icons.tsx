import type { AppView } from '../store/ui-slice';

/** Stroke paths (24×24) for the navigation rail; inline SVG so no icon font or emoji font is needed. */
const PATHS: Record<AppView, string[]> = {
  chat: ['M4 5h16v11H9l-5 4z'],
  circulars: ['M6 3h9l4 4v14H6z', 'M15 3v4h4', 'M9 11h7', 'M9 15h7'],
  directory: [
    'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z',
    'M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6',
    'M16 4.5a3.5 3.5 0 0 1 0 6.5',
    'M18 14c2 .8 3 2.8 3 6',
  ],
  me: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7'],
  admin: [
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
    'M19 12a7 7 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14 3h-4l-.5 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7 7 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2L10 21h4l.5-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z',
  ],
};

/** A 24×24 line icon drawn in the current text colour. */
export function StrokeIcon({ paths, weight = 1.6 }: { paths: readonly string[]; weight?: number }) {
  return (
    <svg
      className="nav-icon"
      viewBox="0 0 24 24"
      width="22"
      height="22"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth={weight}
      strokeLinejoin="round"
      strokeLinecap="round"
    >
      {paths.map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}

/** Icon of one navigation entry. */
export function NavIcon({ view }: { view: AppView }) {
  return <StrokeIcon paths={PATHS[view]} />;
}
