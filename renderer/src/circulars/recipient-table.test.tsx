// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { RecipientStatus } from '../../../shared/circular/aggregate';
import { createAppI18n } from '../app-i18n';
import { RecipientTable } from './recipient-table';

// jsdom does no layout: the list's scroll box is given the height a window would give it.
const original = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('circ-recipients-scroll') ? 330 : 0;
    },
  });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  if (original) Object.defineProperty(Element.prototype, 'clientHeight', original);
});
afterEach(cleanup);

const people = (n: number): RecipientStatus[] =>
  Array.from({ length: n }, (_, i) => ({
    roomId: '!community:t',
    unitCode: '990101001',
    userId: `@m${String(i).padStart(5, '0')}:t`,
    status: i % 2 ? 'acknowledged' : 'unread',
    overdue: false,
    leftAfterSend: false,
    ...(i % 2 ? { ackedAt: 1_700_000_000_000, ackNote: '收到' } : {}),
  }));

async function renderTable(rows: RecipientStatus[]) {
  const i18n = await createAppI18n('zh-CN');
  return render(
    <I18nextProvider i18n={i18n}>
      <RecipientTable
        rows={rows}
        unitName={() => '青山社区'}
        nameOf={(id) => `居民${id.slice(2, 7)}`}
      />
    </I18nextProvider>,
  );
}

describe('RecipientTable', () => {
  it('shows every person of a small list', async () => {
    await renderTable(people(5));
    const rows = screen.getAllByTestId('recipient-row');
    expect(rows.map((r) => r.getAttribute('data-user'))).toEqual(people(5).map((p) => p.userId));
    expect(rows[1]?.textContent).toContain('居民00001');
    expect(rows[1]?.textContent).toContain('收到');
  });

  it('renders only the rows in view of 5,000 people, and the others when scrolled to', async () => {
    await renderTable(people(5000));
    const shown = () =>
      screen.getAllByTestId('recipient-row').map((r) => r.getAttribute('data-user'));
    expect(shown().length).toBeLessThan(50);
    expect(shown()).toContain('@m00000:t');
    expect(shown()).not.toContain('@m04999:t');
    const box = screen.getByTestId('recipient-scroll');
    Object.defineProperty(box, 'scrollTop', { configurable: true, get: () => 4990 * 33 });
    fireEvent.scroll(box);
    expect(shown()).toContain('@m04999:t');
    expect(shown()).not.toContain('@m00000:t');
  });
});
