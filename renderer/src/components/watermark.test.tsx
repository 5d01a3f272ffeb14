// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/store-context';
import { Watermark, watermarkTile } from './watermark';

afterEach(cleanup);

function renderFor(opts: { on: boolean }) {
  const store = createAppStore();
  store.getState().setSignedIn({
    userId: '@zhang.wei:hongyan.local',
    deviceId: 'DEV',
    homeserverUrl: 'http://hs',
    displayName: '张伟',
  });
  store.getState().setWatermark(opts.on);
  render(
    <StoreProvider store={store}>
      <Watermark />
    </StoreProvider>,
  );
}

describe('Watermark', () => {
  it('covers the window with the user name and ID when the deployment requires it', () => {
    renderFor({ on: true });
    const mark = screen.getByTestId('watermark');
    expect(mark.dataset.text).toBe('张伟 @zhang.wei:hongyan.local');
    const svg = decodeURIComponent(mark.style.backgroundImage);
    expect(svg).toContain('张伟');
    expect(svg).toContain('@zhang.wei:hongyan.local');
    expect(mark.getAttribute('aria-hidden')).toBe('true');
  });

  it('draws nothing when the deployment does not ask for it', () => {
    renderFor({ on: false });
    expect(screen.queryByTestId('watermark')).toBeNull();
  });

  it('escapes names so they cannot inject markup into the SVG', () => {
    const svg = decodeURIComponent(watermarkTile(['<script>x</script>', 'a"b&c']));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
    expect(svg).toContain('a&#34;b&#38;c');
  });
});
