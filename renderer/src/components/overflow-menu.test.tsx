// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { OverflowMenu } from './overflow-menu';

afterEach(cleanup);

function renderMenu(onMute = vi.fn()) {
  render(
    <div>
      <p data-testid="outside">正文</p>
      <OverflowMenu label="更多操作" testId="more">
        <button type="button" onClick={onMute}>
          免打扰
        </button>
      </OverflowMenu>
    </div>,
  );
  return onMute;
}

describe('OverflowMenu', () => {
  it('opens on its button, runs the chosen action and closes', () => {
    const onMute = renderMenu();
    expect(screen.queryByRole('menu')).toBeNull();
    const button = screen.getByTestId('more');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-label')).toBe('更多操作');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByText('免打扰'));
    expect(onMute).toHaveBeenCalledOnce();
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('closes on Escape and on a tap elsewhere, without running anything', () => {
    const onMute = renderMenu();
    fireEvent.click(screen.getByTestId('more'));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    fireEvent.click(screen.getByTestId('more'));
    fireEvent.pointerDown(screen.getByTestId('outside'));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(onMute).not.toHaveBeenCalled();
  });
});
